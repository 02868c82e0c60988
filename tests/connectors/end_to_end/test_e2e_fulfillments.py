"""Shipments made in SFCC become TikTok packages with tracking and a valid provider, partial ones
included, each pushed exactly once however often the flows run. On SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.tiktok.sandbox import Sandbox
from store.models import Fulfillment, Order
from tests.connectors.end_to_end.world import PROVIDERS, run, run_all, sfcc_orders, ship_in_sfcc, tiktok_order


@pytest.fixture
def store_url(database_url: str) -> str:
    return database_url


def _line_ids(sandbox: Sandbox, order_id: str, seller_sku: str) -> list[str]:
    with sandbox.state.lock:
        lines = sandbox.state.orders[order_id]["line_items"]
        return [line["id"] for line in lines if line["seller_sku"] == seller_sku]


def _shipments(sandbox: Sandbox) -> dict[str, dict[str, Any]]:
    """What TikTok received, by tracking number."""
    with sandbox.state.lock:
        return {s["tracking_number"]: dict(s) for s in sandbox.state.received.shipments}


def _store(app: DaemonApp) -> tuple[dict[str, str], dict[str, str]]:
    """(order status by TikTok id, fulfillment push state by SFCC shipment)."""
    with app.session_factory() as session:
        orders = {o.external_id: o.status for o in session.scalars(select(Order))}
        pushed = {f.external_id: f.push_state for f in session.scalars(select(Fulfillment))}
    return orders, pushed


def test_sfcc_shipments_reach_tiktok_once_partial_and_full(
    order_goods: DaemonApp, sandbox: Sandbox, sfcc_url: str, clock: FrozenClock
) -> None:
    app = order_goods
    placed = int(clock.now().timestamp()) - 7200
    sandbox.state.put_order(
        tiktok_order("9101", status="AWAITING_SHIPMENT", create_time=placed, units=[2, 0, 1])
    )
    sandbox.state.put_order(
        tiktok_order("9102", status="AWAITING_SHIPMENT", create_time=placed, units=[0, 1, 0])
    )
    run(app, "tt:pull_orders")
    assert run(app, "sf:push_orders")["created"] == 2

    # The warehouse ships one of the two shirts of TT9101 by UPS, and all of TT9102 by FedEx.
    ship_in_sfcc(
        sfcc_url,
        "TT9101",
        "1ZPARTIAL0001",
        "UPS",
        shipment_id="part-1",
        product_items=[{"product_id": "SHIRT-M", "quantity": 1}],
    )
    ship_in_sfcc(sfcc_url, "TT9102", "9400FULL0002", "FedEx")
    assert sfcc_orders(sfcc_url)["TT9101"]["shipping_status"] == "part_shipped"
    assert run(app, "sf:pull_fulfillments")["fulfillments"] == 2
    assert run(app, "tt:push_fulfillments")["pushed"] == 2

    shipments = _shipments(sandbox)
    partial, full = shipments["1ZPARTIAL0001"], shipments["9400FULL0002"]
    assert partial["order_id"] == "9101" and partial["shipping_provider_id"] == PROVIDERS["UPS"]
    (shirt_line,) = partial["order_line_item_ids"]  # one unit, so one of TikTok's one-per-unit lines
    assert shirt_line in _line_ids(sandbox, "9101", "SHIRT-M")
    assert full["order_id"] == "9102" and full["shipping_provider_id"] == PROVIDERS["FedEx"]
    assert full["order_line_item_ids"] == _line_ids(sandbox, "9102", "SHIRT-L")
    assert sandbox.state.orders["9101"]["status"] == "PARTIALLY_SHIPPING"

    # Every flow of both connections runs again, twice: nothing is sent to TikTok a second time.
    run_all(app)
    run_all(app)
    assert len(sandbox.state.received.shipments) == 2
    orders, pushed = _store(app)
    assert orders == {"9101": "partialFulfillment", "9102": "fulfilled"}
    assert pushed == {"TT9101/part-1": "pushed", "TT9102/me": "pushed"}

    # The rest of TT9101 (the other shirt and the tote) ships by USPS: a second package, new lines.
    ship_in_sfcc(sfcc_url, "TT9101", "9400REST0003", "USPS")
    run(app, "sf:pull_fulfillments")
    assert run(app, "tt:push_fulfillments")["pushed"] == 1
    rest = _shipments(sandbox)["9400REST0003"]
    assert rest["shipping_provider_id"] == PROVIDERS["USPS"]
    everything = _line_ids(sandbox, "9101", "SHIRT-M") + _line_ids(sandbox, "9101", "TOTE")
    assert sorted([shirt_line, *rest["order_line_item_ids"]]) == sorted(everything)
    run_all(app)
    assert len(sandbox.state.received.shipments) == 3
    orders, pushed = _store(app)
    assert orders == {"9101": "fulfilled", "9102": "fulfilled"}
    assert set(pushed.values()) == {"pushed"} and len(pushed) == 3
