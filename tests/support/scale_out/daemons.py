"""Three ``sync_daemon.py run`` processes on one store: start, SIGKILL, restart, stop, memory.

Each daemon names its PostgreSQL connections (``application_name``), so that the scenario can ask
PostgreSQL which daemon's transaction holds a flow's lease row at this moment and kill exactly
the daemon that is in the middle of that flow.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from processes import ROOT, daemon_env
from scale_out.deployment import with_application_name

APP_NAME_PREFIX = "scale-out-daemon-"


def peak_rss_kib(pid: int) -> int:
    """The kernel's high-water mark of the process's resident memory, 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used, 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # After the command name: utime and stime are the 12th and 13th fields, in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class DaemonProcess:
    """One incarnation of a daemon slot (a restart is a new incarnation of the same slot)."""

    slot: int
    generation: int
    process: subprocess.Popen[bytes]
    log_path: Path
    peak_rss_kib: int = 0
    cpu_seconds: float = 0.0
    killed: bool = False

    @property
    def label(self) -> str:
        return f"daemon-{self.slot}" + (f" (restart {self.generation})" if self.generation else "")

    def sample_memory(self) -> None:
        """Read the peak resident memory (VmHWM) and CPU time so far while the process lives."""
        self.peak_rss_kib = max(self.peak_rss_kib, peak_rss_kib(self.process.pid))
        self.cpu_seconds = max(self.cpu_seconds, cpu_seconds(self.process.pid))

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class DaemonPool:
    """Runs ``size`` daemon slots over one configuration and store."""

    def __init__(
        self, config_path: Path, database_url: str, workdir: Path, env: dict[str, str], size: int
    ) -> None:
        self.config_path = config_path
        self.database_url = database_url
        self.workdir = workdir
        self.env = env
        self.size = size
        self.current: dict[int, DaemonProcess] = {}
        self.history: list[DaemonProcess] = []

    def start_all(self) -> None:
        for slot in range(1, self.size + 1):
            self.start(slot)

    def start(self, slot: int) -> DaemonProcess:
        generation = sum(1 for daemon in self.history if daemon.slot == slot)
        log_path = self.workdir / f"daemon-{slot}-{generation}.log"
        url = with_application_name(self.database_url, f"{APP_NAME_PREFIX}{slot}")
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "sync_daemon.py"), "--config", str(self.config_path), "run"],
                env=daemon_env(url, **self.env),
                cwd=str(self.workdir),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        daemon = DaemonProcess(slot, generation, process, log_path)
        self.current[slot] = daemon
        self.history.append(daemon)
        return daemon

    def sample_memory(self) -> None:
        for daemon in self.current.values():
            daemon.sample_memory()

    def check_alive(self) -> None:
        """Fail loudly when a daemon that nobody killed has exited."""
        for daemon in self.current.values():
            code = daemon.process.poll()
            if code is not None:
                raise RuntimeError(
                    f"{daemon.label} exited on its own with {code}; last lines of {daemon.log_path}:\n"
                    f"{daemon.log_tail()}"
                )

    def kill(self, slot: int) -> DaemonProcess:
        """SIGKILL: no shutdown handler runs, the transaction in flight dies with the connection."""
        daemon = self.current[slot]
        daemon.sample_memory()
        daemon.process.send_signal(signal.SIGKILL)
        daemon.process.wait(timeout=30)
        daemon.killed = True
        return daemon

    def stop_all(self) -> list[str]:
        """SIGTERM every daemon and wait; returns each one's shutdown summary line."""
        self.sample_memory()
        for daemon in self.current.values():
            if daemon.process.poll() is None:
                daemon.process.send_signal(signal.SIGTERM)
        summaries = []
        for daemon in self.current.values():
            try:
                daemon.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                daemon.process.kill()
                daemon.process.wait(timeout=30)
            lines = [line for line in daemon.log_tail(5).splitlines() if "daemon stopped" in line]
            summaries.append(f"{daemon.label}: {lines[-1] if lines else '(no summary line)'}")
        return summaries

    def terminate_all(self) -> None:
        """Last-resort cleanup after a failure: no process of ours outlives the scenario."""
        for daemon in self.current.values():
            if daemon.process.poll() is None:
                daemon.process.kill()
                daemon.process.wait(timeout=30)


@contextmanager
def flow_holder(engine: Engine, connection_name: str, flow_name: str) -> Iterator[int | None]:
    """The daemon slot whose transaction holds the flow's lease row right now, or None.

    A probe asks for the same row lock (waiting, with a timeout) and PostgreSQL's
    ``pg_blocking_pids`` names the backend in its way. Kill the holder inside the block: leaving
    it cancels the probe's wait (or rolls back the lock it was granted) before returning.
    """
    outcome: dict[str, object] = {}
    with engine.connect() as probe, engine.connect() as watcher:
        probe_pid = probe.execute(text("SELECT pg_backend_pid()")).scalar_one()
        probe.rollback()

        def lock() -> None:
            try:
                probe.execute(text("SET LOCAL lock_timeout = '20s'"))
                probe.execute(
                    text("SELECT id FROM lease WHERE connection_name = :c AND flow_name = :f FOR UPDATE"),
                    {"c": connection_name, "f": flow_name},
                )
            except OperationalError as error:  # cancelled or timed out: nobody to name
                outcome["error"] = error
            finally:
                probe.rollback()
                outcome["finished"] = True

        thread = threading.Thread(target=lock, name="lease-probe", daemon=True)
        thread.start()
        holder: int | None = None
        waiter = threading.Event()
        while holder is None and not outcome.get("finished"):
            names = (
                watcher.execute(
                    text(
                        "SELECT application_name FROM pg_stat_activity "
                        "WHERE pid = ANY(pg_blocking_pids(:pid))"
                    ),
                    {"pid": probe_pid},
                )
                .scalars()
                .all()
            )
            watcher.rollback()
            for name in names:
                if name.startswith(APP_NAME_PREFIX):
                    holder = int(name.removeprefix(APP_NAME_PREFIX))
            if holder is None:
                waiter.wait(0.005)
        try:
            yield holder
        finally:
            watcher.execute(text("SELECT pg_cancel_backend(:pid)"), {"pid": probe_pid})
            watcher.rollback()
            thread.join(timeout=60)
