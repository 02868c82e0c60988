"""A daemon SIGKILLed at random points while pushing 500 orders, then restarted: exactly 500 SFCC orders.

The sandbox runs in its own process so it outlives every daemon; the orders go straight into the
store. Kill points are drawn from a seeded generator (SHOPWRIGHT_KILL_SEED reproduces a run) as
numbers of SFCC orders to wait for, so each kill lands wherever the daemon happens to be: between
basket steps, inside the order creation, or in the middle of committing its batch.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sfcc_helpers import add_store_order, write_config_files
from sqlalchemy import select

from connectors.sandbox_runner import free_port
from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.seeding import seed_with_ample_stock
from processes import ROOT, daemon_env, start_daemon, wait_for
from store.models import ExceptionRecord, OrderRoute
from store.repositories import LineData
from store.session import create_session_factory, create_store_engine

ORDERS = 500
KILLS = 3
#: Polls every 0.2 s: polling the sandbox faster would steal its time from the daemon.
POLL_SECONDS = 0.2
ONLY_PUSH = "\n".join(
    f"{flag} = false"
    for flag in ("pull_fulfillments", "pull_inventory", "pull_product_catalog", "pull_shipping_requests")
)


@pytest.fixture
def sandbox_process(tmp_path: Path) -> Iterator[str]:
    seed = tmp_path / "seed.json"
    seed.write_text(jsonwire.dumps(seed_with_ample_stock()))
    port = free_port()
    command = [sys.executable, "-m", "connectors.sfcc.sandbox", "--port", str(port), "--seed", str(seed)]
    process = subprocess.Popen(
        [*command, "--log-level", "warning"],
        cwd=str(ROOT),
        env=daemon_env("sqlite://"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: _answers(url), timeout=20, what="the SFCC sandbox process to listen", every=POLL_SECONDS
        )
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/_sandbox/stats", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _sfcc_orders(url: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = jsonwire.loads(httpx.get(f"{url}/_sandbox/orders", timeout=10).content)[
        "data"
    ]
    return data


def _sfcc_count(url: str) -> int:
    return int(httpx.get(f"{url}/_sandbox/stats", timeout=5).json()["orders"])


def _seed_store(database_url: str) -> set[str]:
    engine = create_store_engine(database_url)
    ids = {f"58{n:016d}" for n in range(ORDERS)}
    with create_session_factory(engine).begin() as session:
        for external_id in sorted(ids):
            add_store_order(
                session,
                external_id,
                lines=[LineData("MUG-001", 1, Decimal("12.50"), external_line_ids=(f"{external_id}-1",))],
            )
    engine.dispose()
    return ids


def _routes(database_url: str) -> tuple[dict[str, int], int]:
    engine = create_store_engine(database_url)
    with create_session_factory(engine)() as session:
        states: dict[str, int] = {}
        for route in session.scalars(select(OrderRoute)):
            states[route.state] = states.get(route.state, 0) + 1
        open_exceptions = len(
            session.scalars(select(ExceptionRecord).where(ExceptionRecord.status == "open")).all()
        )
    engine.dispose()
    return states, open_exceptions


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_sigkill_at_random_points_leaves_exactly_one_sfcc_order_per_order(
    sqlite_url: str, sandbox_process: str, tmp_path: Path
) -> None:
    seed = int(os.environ.get("SHOPWRIGHT_KILL_SEED", "20261123"))
    rng = random.Random(seed)
    expected = {f"TT{external_id}" for external_id in _seed_store(sqlite_url)}
    config = write_config_files(
        tmp_path, sqlite_url, sandbox_process, ONLY_PUSH, "tick_seconds = 0.05", with_tiktok=False
    )
    kill_at = sorted(rng.sample(range(25, ORDERS - 25), KILLS))
    for threshold in kill_at:
        daemon = start_daemon(config, sqlite_url, "--log-level", "ERROR", "run")
        try:
            wait_for(
                lambda: _sfcc_count(sandbox_process) >= threshold or daemon.poll() is not None,  # noqa: B023
                timeout=60,
                what=f"{threshold} SFCC orders (kill seed {seed})",
                every=POLL_SECONDS,
            )
            assert daemon.poll() is None, f"the daemon exited by itself: {daemon.communicate()}"
        finally:
            daemon.send_signal(signal.SIGKILL)
            daemon.communicate(timeout=10)

    survivor = start_daemon(config, sqlite_url, "--log-level", "ERROR", "run")
    try:
        wait_for(
            lambda: _sfcc_count(sandbox_process) >= ORDERS or survivor.poll() is not None,
            timeout=60,
            what=f"{ORDERS} SFCC orders after the kills at {kill_at} (seed {seed})",
            every=POLL_SECONDS,
        )
        wait_for(
            lambda: _routes(sqlite_url)[0].get("created", 0) == ORDERS or survivor.poll() is not None,
            timeout=30,
            what=f"all {ORDERS} routes recorded as created (seed {seed})",
            every=POLL_SECONDS,
        )
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.communicate(timeout=20)

    orders = _sfcc_orders(sandbox_process)
    numbers = [o["order_no"] for o in orders]
    assert len(numbers) == ORDERS and set(numbers) == expected, f"kill seed {seed}, kills at {kill_at}"
    for order in orders:  # no basket step ran twice into the same order
        assert [(i["product_id"], i["quantity"]) for i in order["product_items"]] == [("MUG-001", 1)]
        assert len(order["payment_instruments"]) == 1
    states, open_exceptions = _routes(sqlite_url)
    assert states == {"created": ORDERS} and open_exceptions == 0
