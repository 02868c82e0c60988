"""The one retry policy of the SFCC connector: which answers are retried, and how long to wait."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import httpx

# 429 (rate limit) and 503 (load shedding or `sfdc_maintenance`) mean SFCC did not act on the
# request, so even a non-idempotent POST may be sent again. 502/504 might have been acted on.
RETRY_ANY_METHOD = frozenset({429, 503})
RETRY_IDEMPOTENT = frozenset({502, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


@dataclass
class RetryPolicy:
    """Bounded exponential backoff with full jitter, honouring Retry-After when SFCC sends it."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    rng: random.Random = field(default_factory=random.Random)

    def should_retry_status(self, method: str, status: int, attempt: int) -> bool:
        """Whether a response with `status` to `method` is worth another attempt."""
        if attempt >= self.max_attempts:
            return False
        return status in RETRY_ANY_METHOD or (status in RETRY_IDEMPOTENT and method in IDEMPOTENT_METHODS)

    def should_retry_error(self, method: str, error: httpx.TransportError, attempt: int) -> bool:
        """Transport errors: a failed connect never reached SFCC; anything else only if idempotent."""
        if attempt >= self.max_attempts:
            return False
        return isinstance(error, httpx.ConnectError) or method in IDEMPOTENT_METHODS

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1` (attempts count from 1)."""
        if retry_after is not None:
            try:
                return min(max(float(retry_after), 0.0), self.max_delay)
            except ValueError:
                pass  # an HTTP date: fall back to our own backoff rather than parse clocks
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return self.rng.uniform(0, ceiling)
