"""The daemon's own command line, run by the demo as a person would: ``once``, ``run``, ``status``.

Output is shown as it comes. ``run`` is bounded: the demo stops it (SIGTERM, which the daemon
handles by finishing the flow in progress) once the store shows no flow due.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from demo.daemon_runs import REPO_ROOT, InProcessDaemon, show_new_exceptions
from demo.output import Reporter
from store.models import Lease

FIRST_TICK_SECONDS = 20.0


def run_cli(reporter: Reporter, arguments: Sequence[str], environment: dict[str, str]) -> tuple[int, str]:
    """Run ``python sync_daemon.py ARGS`` in the demo's environment; print and return its output."""
    reporter.lines([f"$ python sync_daemon.py {' '.join(arguments)}"], indent="   ")
    completed = subprocess.run(  # noqa: S603
        [sys.executable, str(REPO_ROOT / "sync_daemon.py"), *arguments],
        env=environment,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = (completed.stdout + completed.stderr).rstrip()
    reporter.lines(output.splitlines())
    return completed.returncode, output


def anything_due(session_factory: sessionmaker[Session]) -> bool:
    """True while some flow that has run is due again (its batch left work, or it is scheduled)."""
    with session_factory() as session:
        due = session.scalar(
            select(func.count()).select_from(Lease).where(Lease.next_due_at <= datetime.now(UTC))
        )
    return bool(due)


def _event_line(event: dict[str, object]) -> str | None:
    """A JSON log line of the daemon as ``sync_daemon.py once`` would print the run, or None."""
    if event.get("msg") == "flow run":
        counts = event.get("counts")
        pairs = sorted(counts.items()) if isinstance(counts, dict) else []
        shown = ", ".join(f"{k}={v}" for k, v in pairs) or "no records"
        return f"{event.get('flow')}: {event.get('outcome')} ({shown}, {event.get('duration_ms')} ms)"
    if event.get("msg") == "flow run failed":
        return f"{event.get('flow')}: {event.get('outcome')} ({event.get('code')}): {event.get('error')}"
    return None


def run_daemon_until_settled(
    reporter: Reporter, environment: dict[str, str], daemon: InProcessDaemon, limit_seconds: float = 150
) -> str:
    """``sync_daemon.py run`` until no flow is due, then SIGTERM; its runs shown as they happen.

    Returns the daemon's one-line summary. The wait is bounded: after ``limit_seconds`` the daemon
    is stopped whatever it is doing (it finishes or rolls back the flow in progress).
    """
    arguments = ["--log-level", "INFO", "run"]
    reporter.lines([f"$ python sync_daemon.py {' '.join(arguments)}   (stopped once nothing is due)"], "   ")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, str(REPO_ROOT / "sync_daemon.py"), *arguments],
        env=environment,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    events: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(process.stderr, events), daemon=True)
    reader.start()
    deadline = time.monotonic() + limit_seconds
    ran = 0
    # Before its first tick the daemon has run nothing; with nothing due it never will.
    first_tick = time.monotonic() + FIRST_TICK_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            raw = events.get(timeout=0.5)
        except queue.Empty:
            if (ran or time.monotonic() > first_tick) and not anything_due(daemon.app.session_factory):
                break
            continue
        if raw is None:
            break
        line = _event_line(_json(raw))
        if line is not None:
            ran += 1
            reporter.lines([line])
            show_new_exceptions(reporter, daemon.watch)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    reader.join(timeout=5)
    summary = (
        output.strip().splitlines()[-1] if output.strip() else f"daemon exited with {process.returncode}"
    )
    reporter.lines([summary])
    return summary


def _pump(stream: IO[str] | None, events: queue.Queue[str | None]) -> None:
    if stream is not None:
        for line in stream:
            events.put(line)
    events.put(None)


def _json(raw: str) -> dict[str, object]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
