"""TikTok flows end to end: sandbox orders in every status land in the store's lifecycle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.tiktok.sandbox.seed import make_order
from store.models import ConnectionToken, ExceptionRecord, Order, OrderLine, Product

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"


@pytest.fixture
def app(authorized_app: Callable[[str], DaemonApp]) -> DaemonApp:
    return authorized_app("")


def _pull(app: DaemonApp) -> None:
    reports = app.daemon.run_once(app.registry.select("tt:pull_orders"), force=True)
    assert [r.outcome for r in reports] in (["success"], ["partial"]), reports


def _orders(app: DaemonApp) -> dict[str, Order]:
    with app.session_factory() as session:
        return {o.external_id: o for o in session.scalars(select(Order))}


def test_orders_in_every_status_land_with_the_right_lifecycle(
    app: DaemonApp, sandbox: Any, clock: FrozenClock
) -> None:
    now = int(clock.now().timestamp())
    state = sandbox.state
    for order_id, status in [
        ("100", "UNPAID"),
        ("101", "ON_HOLD"),
        ("102", "AWAITING_SHIPMENT"),
        ("103", "CANCELLED"),
        ("104", "DELIVERED"),
    ]:
        state.put_order(make_order(order_id, status=status, create_time=now - 600, units=[1]))
    state.put_order(make_order("105", status="AWAITING_SHIPMENT", create_time=now - 7200, units=[3, 0, 1]))
    state.put_order(
        make_order(
            "106",
            status="AWAITING_COLLECTION",
            create_time=now - 7200,
            units=[1],
            fulfillment_type="FULFILLMENT_BY_TIKTOK",
        )
    )
    _pull(app)
    orders = _orders(app)
    assert {k: o.status for k, o in orders.items()} == {
        "100": "onHold",
        "101": "onHold",
        "102": "onHold",  # 102: inside the 60-minute edit window
        "103": "canceled",
        "104": "fulfilled",
        "105": "readyForFulfillment",
        "106": "fulfilled",
    }
    assert orders["106"].fulfillment_type == "platform"
    assert orders["101"].shipping_address is None  # TikTok hides it while ON_HOLD
    assert orders["105"].shipping_address is not None
    with app.session_factory() as session:
        lines = session.scalars(select(OrderLine).where(OrderLine.order_id == orders["105"].id)).all()
        assert sorted((line.quantity, len(line.external_line_ids)) for line in lines) == [(1, 1), (3, 3)]
        token = session.scalars(select(ConnectionToken)).one()
        assert token.data["shop_cipher"]

    # The hold window passes: 102 is released without TikTok sending anything new.
    clock.advance(timedelta(minutes=61))
    _pull(app)
    assert _orders(app)["102"].status == "readyForFulfillment"

    # A cancellation on TikTok reaches the stored order on the next pull.
    cancelled = make_order("105", status="CANCELLED", create_time=now - 7200, units=[3, 0, 1])
    cancelled["update_time"] = int(clock.now().timestamp())
    state.put_order(cancelled)
    _pull(app)
    assert _orders(app)["105"].status == "canceled"
    assert len(_orders(app)) == 7


def test_near_miss_sku_is_an_ingestion_exception_naming_the_likely_sku(
    app: DaemonApp, sandbox: Any, clock: FrozenClock
) -> None:
    now = int(clock.now().timestamp())
    order = make_order("200", status="AWAITING_SHIPMENT", create_time=now - 7200, units=[1])
    seller_sku = order["line_items"][0]["seller_sku"]
    with app.session_factory.begin() as session:
        session.add(Product(sku=f"{seller_sku.lower()} ", title="Same product, other spelling"))
    sandbox.state.put_order(order)
    _pull(app)
    with app.session_factory() as session:
        (exception,) = session.scalars(select(ExceptionRecord)).all()
    assert exception.code == "sku.unmapped" and exception.entity_id == "200"
    assert f"'{seller_sku.lower()} '" in exception.message
