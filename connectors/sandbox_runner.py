"""Run a sandbox ASGI app on a free loopback port in a background thread.

Used by tests, benchmarks and the demo, so that our clients talk real HTTP to the sandboxes.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    """Ask the kernel for a port nobody is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_sandbox(app: Any, host: str = "127.0.0.1", startup_timeout: float = 10.0) -> Iterator[str]:
    """Serve `app` until the block exits; yields its base URL (``http://127.0.0.1:PORT``)."""
    port = free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"sandbox-{port}", daemon=True)
    thread.start()
    started = threading.Event()
    # uvicorn flips `started` once the socket listens; poll it with a bound, never a blind sleep.
    for _ in range(int(startup_timeout / 0.01)):
        if server.started:
            started.set()
            break
        if not thread.is_alive():
            break
        started.wait(0.01)
    if not server.started:
        server.should_exit = True
        thread.join(timeout=5)
        raise RuntimeError(f"sandbox did not start on {host}:{port} within {startup_timeout}s")
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
