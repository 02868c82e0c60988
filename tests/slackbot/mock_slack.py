"""A tiny local Slack Web API: records every call, answers ``{"ok": true}`` plus canned fields.

``answers[method]`` adds fields to that method's answer, e.g. the members of a user group for
``usergroups.users.list``. Requests without a bot token get Slack's ``not_authed`` error.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class MockSlack:
    """Start with :meth:`start`; ``base_url`` goes to the WebClient; ``calls`` holds (method, payload)."""

    def __init__(self, answers: dict[str, dict[str, Any]] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answers: dict[str, dict[str, Any]] = dict(answers or {})
        self._changed = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                """Read methods (``conversations.history``) send their arguments in the query."""
                path, _, query = self.path.partition("?")
                self._answer(path, {key: values[0] for key, values in parse_qs(query).items()})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length).decode()
                if self.headers.get("content-type", "").startswith("application/json"):
                    payload = json.loads(raw or "{}")
                else:
                    payload = {key: values[0] for key, values in parse_qs(raw).items()}
                self._answer(self.path, payload)

            def _answer(self, path: str, payload: dict[str, Any]) -> None:
                for key in ("blocks",):
                    if isinstance(payload.get(key), str):
                        payload[key] = json.loads(payload[key])
                method = path.rsplit("/", 1)[-1]
                with outer._changed:
                    ts = f"1700000001.{len(outer.calls) + 1:06d}"
                    if method == "chat.postMessage":
                        payload["ts"] = ts  # the ts Slack gives the new message, for later clicks
                    outer.calls.append((method, payload))
                    outer._changed.notify_all()
                if not self.headers.get("authorization", "").startswith("Bearer xoxb-"):
                    answer: dict[str, Any] = {"ok": False, "error": "not_authed"}
                else:
                    answer = {"ok": True, "ts": ts, "channel": payload.get("channel", "C1")}
                    answer |= outer.answers.get(method, {})
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                """Keep the test output clean: the server's calls are asserted, not logged."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def start(self) -> MockSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The payloads of ``method`` once there are at least ``count``; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [payload for name, payload in self.calls if name == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} {method} call(s), saw {[n for n, _ in self.calls]}"
                    )
                self._changed.wait(remaining)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._changed:
            return [payload for name, payload in self.calls if name == method]
