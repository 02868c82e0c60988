"""Pure scheduling arithmetic."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.engine.schedule import next_run, retry_delay

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_next_run_of_a_never_run_flow_is_now() -> None:
    assert next_run(None, MINUTE, T0) == T0


def test_next_run_stays_on_the_grid() -> None:
    assert next_run(T0, MINUTE, T0 + timedelta(seconds=10)) == T0 + MINUTE


def test_next_run_after_downtime_runs_once_not_per_missed_interval() -> None:
    assert next_run(T0, MINUTE, T0 + timedelta(minutes=10, seconds=5)) == T0 + timedelta(minutes=11)


def test_next_run_rejects_a_zero_interval() -> None:
    with pytest.raises(ValueError, match="positive"):
        next_run(T0, timedelta(0), T0)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=3600))
def test_next_run_is_always_in_the_future_and_on_the_grid(elapsed_s: int, interval_s: int) -> None:
    interval = timedelta(seconds=interval_s)
    now = T0 + timedelta(seconds=elapsed_s)
    due = next_run(T0, interval, now)
    assert due > now
    assert (due - T0) % interval == timedelta(0)
    assert due - now <= interval


@given(st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=2**32))
def test_retry_delay_grows_and_is_capped(attempt: int, seed: int) -> None:
    delay = retry_delay(attempt, base=2.0, maximum=60.0, rng=random.Random(seed))
    bound = min(60.0, 2.0 * 2 ** (attempt - 1))
    assert bound / 2 <= delay <= bound


def test_retry_delay_honours_retry_after() -> None:
    assert retry_delay(1, base=1.0, maximum=60.0, rng=random.Random(1), retry_after=30.0) == 30.0


def test_retry_delay_jitter_spreads_daemons_apart() -> None:
    delays = {retry_delay(5, base=2.0, maximum=300.0, rng=random.Random(seed)) for seed in range(20)}
    assert len(delays) == 20
