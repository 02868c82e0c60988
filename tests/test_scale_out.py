"""Scale-out on PostgreSQL: three daemons, two TikTok shops, one SFCC site, faults and a SIGKILL.

The CI-size run of ``bench/scale_out.py``'s scenario: 1,000 orders placed on two TikTok sandboxes,
pulled, pushed to the SFCC sandbox, shipped there, pulled back and pushed to TikTok by three
``sync_daemon.py run`` processes sharing one store, with 5% of API calls answered by an injected
5xx or 429, and the daemon in the middle of the SFCC push killed with SIGKILL and restarted. The
verdict comes from the sandboxes' own state.

The sandboxes ask for ``Retry-After: 0`` here (the bench uses 1 s): the order push to one SFCC site
is one flow that a single daemon runs at a time, so every second a 429 makes it wait adds to the
run, while the retry itself is what this test is about.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scale_out.scenario import ScenarioSettings, run_scenario

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ORDERS = 1_000


@pytest.mark.timeout(900)
def test_three_daemons_deliver_every_order_and_fulfillment_exactly_once(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = ScenarioSettings(orders=ORDERS, retry_after=0, fulfillments=True, timeout_seconds=840)
    progress: list[str] = []
    result = run_scenario(settings, postgres_url, tmp_path, progress.append)
    report = "\n".join([*progress, *result.lines()])

    assert result.finished, report
    assert result.orders.expected == ORDERS, report
    assert result.orders.exactly_once, report
    assert result.fulfillments is not None and result.fulfillments.exactly_once, report
    assert result.fulfillments.expected == ORDERS, report
    assert not result.ship_missing, report
    # The kill landed while the dead run had orders in SFCC that the store had not committed, and
    # the next push found each of them there instead of creating it again.
    assert result.in_flight_at_kill > 0, report
    assert result.found_existing >= result.in_flight_at_kill, report
    assert any(daemon.killed for daemon in result.daemons), report
    # Every sandbox answered both kinds of fault along the way, and nothing was stopped by them.
    assert len(result.rates) == 3, report
    assert all(rate.answered_5xx > 0 and rate.answered_429 > 0 for rate in result.rates), report
