"""Per-shop token buckets: TikTok scopes its QPS per app and authorised shop."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class TokenBucket:
    """``qps`` tokens per second, holding at most ``burst``; thread-safe."""

    def __init__(self, qps: float, burst: float, monotonic: Callable[[], float]) -> None:
        self.qps = qps
        self.burst = burst
        self._monotonic = monotonic
        self._tokens = burst
        self._at = monotonic()

    def take(self) -> float:
        """Take one token; return 0.0 on success or the seconds until one is available."""
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.qps)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self.qps


class ShopRateLimiter:
    """One bucket per shop key. ``qps=None`` disables limiting."""

    def __init__(
        self,
        qps: float | None,
        *,
        burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._monotonic = monotonic
        self._buckets: dict[str, TokenBucket] = {}
        self.configure(qps, burst)

    def configure(self, qps: float | None, burst: float | None = None) -> None:
        """Change the limit; buckets start full again."""
        with self._lock:
            self.qps = qps
            # A one-second burst: a client pacing itself at qps never trips the limit.
            self.burst = burst if burst is not None else max(1.0, qps or 1.0)
            self._buckets.clear()

    def check(self, shop_key: str) -> int | None:
        """None when the call may proceed, else the Retry-After seconds (at least 1)."""
        with self._lock:
            if not self.qps:
                return None
            bucket = self._buckets.get(shop_key)
            if bucket is None:
                bucket = self._buckets[shop_key] = TokenBucket(self.qps, self.burst, self._monotonic)
            wait = bucket.take()
        return None if wait == 0.0 else max(1, math.ceil(wait))
