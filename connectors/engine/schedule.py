"""Pure scheduling arithmetic: when a flow runs next, and how long a retry waits."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def next_run(previous: datetime | None, interval: timedelta, now: datetime) -> datetime:
    """The next due time after a run that was due at ``previous``.

    Drift-free: due times stay on the grid ``previous + k * interval``; a daemon that was down
    for several intervals runs once, not once per missed interval. A flow never run is due now.
    """
    if interval <= timedelta(0):
        raise ValueError(f"interval must be positive, got {interval}")
    if previous is None:
        return now
    due = previous + interval
    if due <= now:
        missed = (now - previous) // interval
        due = previous + missed * interval + interval
    return due


def retry_delay(
    attempt: int,
    *,
    base: float,
    maximum: float,
    rng: random.Random | None = None,
    retry_after: float | None = None,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 = first retry).

    Exponential backoff with "equal jitter" (between half and all of the exponential bound) so that
    several daemons failing together do not retry together; never below a server's Retry-After.
    """
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    bound = min(maximum, base * (2 ** (attempt - 1)))
    chooser = rng or random.Random()
    delay = chooser.uniform(bound / 2, bound)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, max(maximum, retry_after or 0.0))
