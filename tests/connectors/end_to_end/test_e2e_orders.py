"""TikTok orders become SFCC orders (generic customer, mapped method, payment, items, totals), and a
TikTok cancellation cancels the SFCC order. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.tiktok.sandbox import Sandbox
from store.models import Order, OrderRoute
from tests.connectors.end_to_end.world import run, sfcc_orders, tiktok_order


@pytest.fixture
def store_url(database_url: str) -> str:
    return database_url


def test_tiktok_orders_become_sfcc_orders_and_cancellations_follow(
    order_goods: DaemonApp, sandbox: Sandbox, sfcc_url: str, clock: FrozenClock
) -> None:
    app = order_goods
    placed = int(clock.now().timestamp()) - 7200  # past TikTok's and our hold
    sandbox.state.put_order(
        tiktok_order("9001", status="AWAITING_SHIPMENT", create_time=placed, units=[2, 0, 1])
    )
    sandbox.state.put_order(
        tiktok_order("9002", status="AWAITING_SHIPMENT", create_time=placed, units=[0, 1, 0], state="NY")
    )
    run(app, "tt:pull_orders")
    assert run(app, "sf:push_orders")["created"] == 2

    orders = sfcc_orders(sfcc_url)
    assert set(orders) == {"TT9001", "TT9002"}
    first = orders["TT9001"]
    assert first["customer_info"]["customer_no"] == "00000001"  # the generic customer
    shipment = first["shipments"][0]
    assert shipment["shipping_method"]["id"] == "002"  # 'Standard Shipping' mapped
    (payment,) = first["payment_instruments"]
    assert payment["payment_method_id"] == "TTS" and payment["amount"] == Decimal("61.00")  # what was paid
    items = sorted((i["product_id"], i["quantity"]) for i in first["product_items"])
    assert items == [("SHIRT-M", 2), ("TOTE-CANVAS", 1)]  # the tote under its SFCC SKU
    # SFCC prices the items from its price book and adds its own shipping method price.
    assert first["product_total"] == Decimal("61.00") and first["order_total"] == Decimal("70.99")
    address = shipment["shipping_address"]
    assert (address["address1"], address["city"], address["postal_code"]) == (
        "2 Buyer St",
        "Phoenix",
        "73301",
    )
    # TikTok names the state "Arizona"; SFCC gets its code. A code TikTok sends stays as it is.
    assert address["state_code"] == "AZ" and address["country_code"] == "US"
    assert orders["TT9002"]["shipments"][0]["shipping_address"]["state_code"] == "NY"

    assert "created" not in run(app, "sf:push_orders")  # nothing is created twice

    cancelled = tiktok_order("9001", status="CANCELLED", create_time=placed, units=[2, 0, 1])
    clock.advance(timedelta(minutes=5))
    cancelled["update_time"] = int(clock.now().timestamp())
    sandbox.state.put_order(cancelled)
    run(app, "tt:pull_orders")
    with app.session_factory() as session:
        assert session.scalars(select(Order.status).where(Order.external_id == "9001")).one() == "canceled"
    assert run(app, "sf:push_orders")["canceled"] == 1
    orders = sfcc_orders(sfcc_url)
    assert orders["TT9001"]["status"] == "cancelled" and orders["TT9002"]["status"] == "new"
    assert len(orders) == 2
    with app.session_factory() as session:
        states = dict(session.execute(select(OrderRoute.external_id, OrderRoute.state)).all())
    assert states == {"TT9001": "canceled", "TT9002": "created"}
