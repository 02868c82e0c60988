"""The demo's servers as child processes on free local ports: both sandboxes and the image host.

They start side by side, the demo waits (bounded) until each answers, and each is stopped by its
own pid when the demo ends, whatever happened.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from connectors.sandbox_runner import free_port
from connectors.tiktok.sandbox.__main__ import SECRET_ENV as TIKTOK_SECRET_ENV

STARTUP_SECONDS = 30.0
STOP_SECONDS = 10.0
POLL_SECONDS = 0.1


class SandboxStartError(RuntimeError):
    """A server did not answer in time; the message points at its log."""


@dataclass(frozen=True)
class RunningServer:
    """A started server: its name, base URL, process and log file."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    probe: str


def _wait_until_ready(servers: Sequence[RunningServer], deadline: float) -> None:
    """Poll each server's probe path until it answers 200, it dies, or the deadline passes."""
    waiting = list(servers)
    with httpx.Client(timeout=2.0) as http:
        while waiting and time.monotonic() < deadline:
            for server in list(waiting):
                if server.process.poll() is not None:
                    raise SandboxStartError(
                        f"the {server.name} server exited with status {server.process.returncode} "
                        f"before it answered; see {server.log}"
                    )
                try:
                    if http.get(f"{server.url}{server.probe}").status_code == 200:
                        waiting.remove(server)
                except httpx.TransportError:
                    pass  # not listening yet
            if waiting:
                time.sleep(POLL_SECONDS)  # the poll interval of a bounded readiness wait
    if waiting:
        names = ", ".join(f"{s.name} ({s.log})" for s in waiting)
        raise SandboxStartError(f"no answer within {STARTUP_SECONDS:.0f}s from: {names}")


def _stop(server: RunningServer) -> None:
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=STOP_SECONDS)


@contextmanager
def server_process(
    name: str,
    command: Callable[[int], list[str]],
    probe: str,
    log_dir: Path,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[RunningServer]:
    """Start ``command(port)`` on a free port; stop it when the block ends. Does not wait for it.

    ``extra_env`` adds variables to the child's environment: how secrets reach a server without
    appearing on its command line (and so in the process list).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    port = free_port()
    env = {**os.environ, **extra_env} if extra_env else None
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603
            command(port), stdout=output, stderr=subprocess.STDOUT, env=env
        )
    server = RunningServer(name, f"http://127.0.0.1:{port}", process, log, probe)
    try:
        yield server
    finally:
        _stop(server)


@dataclass(frozen=True)
class Servers:
    """Everything the demo talks to over HTTP."""

    tiktok: RunningServer
    sfcc: RunningServer
    images: RunningServer


def _module(module: str, *arguments: str) -> Callable[[int], list[str]]:
    def command(port: int) -> list[str]:
        return [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port), *arguments]

    return command


@contextmanager
def start_servers(log_dir: Path, app_key: str, app_secret: str, image_root: Path) -> Iterator[Servers]:
    """The TikTok Shop sandbox, the SFCC sandbox and the image host, all answering."""

    def images(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(image_root),
        ]

    with ExitStack() as stack:
        started = Servers(
            tiktok=stack.enter_context(
                server_process(
                    "tiktok-sandbox",
                    _module("connectors.tiktok.sandbox", "--app-key", app_key),
                    "/_sandbox/clock",
                    log_dir,
                    {TIKTOK_SECRET_ENV: app_secret},
                )
            ),
            sfcc=stack.enter_context(
                server_process("sfcc-sandbox", _module("connectors.sfcc.sandbox"), "/_sandbox/stats", log_dir)
            ),
            images=stack.enter_context(server_process("image-host", images, "/", log_dir)),
        )
        _wait_until_ready([started.tiktok, started.sfcc, started.images], time.monotonic() + STARTUP_SECONDS)
        yield started
