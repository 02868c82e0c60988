"""Fault injection: latency, 5xx, 429 (random and bursts), dropped connections.

Decisions come from a seeded `random.Random`, so a test that sets the same seed and makes the same
calls sees the same faults.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send


@dataclass
class FaultConfig:
    """What to inject on Open API calls (the auth host and admin surface are never faulted)."""

    error_rate: float = 0.0  # share of calls answered HTTP 500 / 36009003 before they run
    rate_429: float = 0.0  # share of calls answered HTTP 429 / 36009002
    burst_429: int = 0  # the next N calls answer 429
    drop_rate: float = 0.0  # share of calls that run, then lose the connection mid-answer
    latency_ms: float = 0.0  # added to every call
    retry_after: int = 1  # Retry-After seconds sent with injected 429s
    # After this many more Open API calls every access token expires, once (0: never): a token
    # that dies mid-run, answered 105002 like a real expiry.
    expire_tokens_after: int = 0
    # Inject only into calls whose "METHOD /path" matches this regular expression (empty: all).
    path_pattern: str = ""
    seed: int = 0


class FaultInjector:
    """Holds the fault settings and draws the decision for each call."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())
        self.injected: dict[str, int] = {"error": 0, "429": 0, "drop": 0, "token_expiry": 0}

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self.rng = random.Random(config.seed)

    def update(self, changes: dict[str, Any]) -> FaultConfig:
        """Apply a partial update (the admin payload); reseed when ``seed`` is given."""
        merged = {**asdict(self.config), **changes}
        config = FaultConfig(**merged)
        with self._lock:
            self.config = config
            if "seed" in changes:
                self.rng = random.Random(config.seed)
        return config

    def tokens_expire_now(self) -> bool:
        """Count one call towards ``expire_tokens_after``; True on the call where tokens expire."""
        with self._lock:
            if self.config.expire_tokens_after <= 0:
                return False
            self.config.expire_tokens_after -= 1
            if self.config.expire_tokens_after:
                return False
            self.injected["token_expiry"] += 1
            return True

    def decide(self, call: str = "") -> str | None:
        """'429', 'error', 'drop' or None for ``call`` ("METHOD /path")."""
        with self._lock:
            config = self.config
            if config.path_pattern and not re.search(config.path_pattern, call):
                return None
            if config.burst_429 > 0:
                config.burst_429 -= 1
                outcome: str | None = "429"
            else:
                roll = self.rng.random()
                if roll < config.rate_429:
                    outcome = "429"
                elif roll < config.rate_429 + config.error_rate:
                    outcome = "error"
                elif roll < config.rate_429 + config.error_rate + config.drop_rate:
                    outcome = "drop"
                else:
                    outcome = None
            if outcome:
                self.injected[outcome] += 1
            return outcome


class DroppedResponse(Response):
    """Starts a response and never finishes it: the server closes the connection mid-body."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"code":0,', "more_body": True})
        # Returning here leaves the body incomplete; the server closes the connection.
