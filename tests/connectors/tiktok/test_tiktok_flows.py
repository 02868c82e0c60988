"""TikTok flows end to end: sandbox orders in every status land in the store's lifecycle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from connectors.config import load_config
from connectors.engine.app import DaemonApp, create_daemon
from connectors.engine.clock import FrozenClock
from connectors.tiktok.client import build_client
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE, make_order
from connectors.tiktok.store_tokens import StoreTokenStore
from store.models import ConnectionToken, ExceptionRecord, Order, OrderLine, Product

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"


@pytest.fixture
def app(database_url: str, sandbox_url: str, clock: FrozenClock, tmp_path: Path) -> Iterator[DaemonApp]:
    config_path = tmp_path / "shopwright.toml"
    config_path.write_text(
        f'database_url = "{database_url}"\n[connections.tt]\ntype = "tiktok"\napp_key = "{APP_KEY}"\n'
        f'api_base_url = "{sandbox_url}"\nauth_base_url = "{sandbox_url}"\nrate_limit_qps = 1000\n'
    )
    config = load_config(config_path, environ={"SHOPWRIGHT_TT_APP_SECRET": APP_SECRET})
    daemon_app = create_daemon(config, clock=clock, holder="test:1")
    # The seller authorises once; the tokens land in the store for every daemon to share.
    with httpx.Client() as http:
        settings = config.connections["tt"].settings
        client = build_client(settings, http, StoreTokenStore(daemon_app.session_factory, "tt"), clock)  # type: ignore[arg-type]
        client.exchange_auth_code(DEFAULT_AUTH_CODE)
        client.bind_shop()
    yield daemon_app
    daemon_app.close()


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
