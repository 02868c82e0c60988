"""A side service that serves an ASGI app (a webhook receiver, say) from a thread of the daemon.

The daemon's flow loop keeps the main thread (and its signal handlers); uvicorn runs its own event
loop in a background thread and, off the main thread, installs no signal handlers of its own. The
daemon's shutdown calls `stop()`, which lets requests in flight finish before the socket closes.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn

from connectors.engine.hooks import ServiceStartError


class AsgiService:
    """Serves ``app`` on ``host:port`` (port 0: any free port) until `stop()`."""

    def __init__(
        self,
        name: str,
        app: Any,
        *,
        host: str,
        port: int,
        path: str = "",
        start_timeout: float = 10.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self.name = name
        self.host = host
        self.port = port
        self.path = path
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        # log_config=None: uvicorn's records go through the daemon's own (JSON, redacting) logging.
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=int(stop_timeout),
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.path}"

    @property
    def description(self) -> str:
        return f"{self.name} on {self.url}"

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._serve, name=f"service-{self.name}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.start_timeout
        waiter = threading.Event()
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ServiceStartError(
                    f"{self.name} could not listen on {self.host}:{self.port} (the port may be in use or "
                    f"the address not local); choose another port or host in the connection settings"
                )
            waiter.wait(0.01)
        if self.port == 0:  # the kernel chose: report the real port
            self.port = int(self._server.servers[0].sockets[0].getsockname()[1])

    def _serve(self) -> None:
        try:
            self._server.run()
        except SystemExit:
            # uvicorn exits when it cannot bind (it has logged why); start() sees the dead thread.
            return

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._server.should_exit = True
        thread.join(timeout=self.stop_timeout + 5)
