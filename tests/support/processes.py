"""Start daemon processes for tests, and wait on conditions with a bound (never a blind sleep)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def daemon_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPWRIGHT_")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests" / "support")]),
        SHOPWRIGHT_DATABASE_URL=database_url,
        **extra,
    )
    return env


def start_daemon(config: Path, database_url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "sync_daemon.py"), "--config", str(config), *args],
        env=daemon_env(database_url),
        cwd=str(config.parent),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(
    config: Path | None, database_url: str, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "sync_daemon.py")]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(
        [*command, *args],
        env=daemon_env(database_url),
        cwd=str(config.parent if config else ROOT),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str, every: float = 0.02) -> None:
    """Poll ``condition`` every ``every`` seconds until true; fail with ``what`` after ``timeout``."""
    waiter = threading.Event()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        waiter.wait(every)
