"""SCAPI createOrders (channel type tiktok) behind its setting, end to end through the flows."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sfcc_helpers import add_store_order, create_app_for, run_flow
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.app import create_app
from store.models import Fulfillment, Order, OrderRoute

SCAPI = 'order_push_api = "scapi_create_orders"'


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with running_sandbox(create_app()) as url:
        yield url


@pytest.fixture
def app(database_url: str, sandbox_url: str, tmp_path: Path) -> Iterator[DaemonApp]:
    daemon_app = create_app_for(tmp_path, database_url, sandbox_url, SCAPI)
    yield daemon_app
    daemon_app.close()


def _orders(url: str) -> dict[str, dict]:  # type: ignore[type-arg]
    data = jsonwire.loads(httpx.get(f"{url}/_sandbox/orders").content)["data"]
    return {o["order_no"]: o for o in data}


def test_scapi_create_orders_creates_once_cancels_and_ships(app: DaemonApp, sandbox_url: str) -> None:
    with app.session_factory.begin() as session:
        # 2 x 19.99 + 12.50 + 5.99 shipping + 4.20 tax - 2.00 discount = 60.67 paid.
        add_store_order(
            session, "9101", tax=Decimal("4.20"), discount=Decimal("2.00"), total=Decimal("60.67")
        )
    assert run_flow(app, "push_orders").counts == {"routes_opened": 1, "created": 1}
    assert run_flow(app, "push_orders").counts == {"routes_opened": 0}
    (order,) = _orders(sandbox_url).values()
    assert order["order_no"] == "TT9101" and order["channel_type"] == "tiktok" and order["status"] == "new"
    assert order["customer_info"]["customer_no"] == "00000001"  # placed on behalf of the generic customer
    assert order["shipments"][0]["shipping_method"] == {"id": "001"}
    assert order["order_total"] == Decimal("60.67") and order["tax_total"] == Decimal("4.20")
    assert sum(i["tax"] for i in order["product_items"]) == Decimal("4.20")
    assert order["payment_instruments"][0]["payment_method_id"] == "TTS"
    assert order["payment_instruments"][0]["payment_transaction"]["amount"] == Decimal("60.67")
    assert sorted((i["product_id"], i["quantity"]) for i in order["product_items"]) == [
        ("MUG-001", 1),
        ("TSHIRT-RED-M", 2),
    ]
    with app.session_factory() as session:
        route = session.scalars(select(OrderRoute)).one()
        assert (route.state, route.external_id) == ("created", "TT9101")
        assert route.steps["create_order"] == {"order_no": "TT9101", "found_existing": False}

    httpx.post(
        f"{sandbox_url}/_sandbox/orders/TT9101/ship", json={"tracking_number": "9400", "c_carrier": "USPS"}
    )
    run_flow(app, "pull_fulfillments")
    with app.session_factory() as session:
        fulfillment = session.scalars(select(Fulfillment)).one()
        assert (fulfillment.tracking_number, fulfillment.carrier) == ("9400", "USPS")


def test_scapi_cancellation_reaches_sfcc(app: DaemonApp, sandbox_url: str) -> None:
    with app.session_factory.begin() as session:
        add_store_order(session, "9102")
    run_flow(app, "push_orders")
    with app.session_factory.begin() as session:
        session.scalars(select(Order)).one().status = "canceled"
    assert run_flow(app, "push_orders").counts == {"routes_opened": 0, "canceled": 1}
    assert _orders(sandbox_url)["TT9102"]["status"] == "cancelled"


def test_scapi_push_after_a_lost_record_finds_the_order_instead_of_creating_it(
    app: DaemonApp, sandbox_url: str
) -> None:
    with app.session_factory.begin() as session:
        add_store_order(session, "9103")
    run_flow(app, "push_orders")
    with app.session_factory.begin() as session:  # as if the run's commit had been lost
        route = session.scalars(select(OrderRoute)).one()
        route.state, route.steps = "pending", {}
    assert run_flow(app, "push_orders").counts == {"routes_opened": 0, "already_in_sfcc": 1}
    assert list(_orders(sandbox_url)) == ["TT9103"]


def test_scapi_totals_sfcc_refuses_are_kept_as_rejections(app: DaemonApp, sandbox_url: str) -> None:
    with app.session_factory.begin() as session:
        add_store_order(session, "9104", currency="EUR", total=Decimal("58.47"))
    report = run_flow(app, "push_orders", outcomes=("partial",))
    assert report.exceptions_opened == 1
    with app.session_factory() as session:
        route = session.scalars(select(OrderRoute)).one()
        assert route.state == "failed" and "Currency EUR is not defined on the site" in (
            route.last_error or ""
        )
    assert _orders(sandbox_url) == {}


def test_scapi_dry_run_lists_lookup_login_and_creation_without_sending(sandbox_url: str) -> None:
    from sfcc_helpers import make_order, make_settings

    from connectors.engine.clock import SystemClock
    from connectors.sfcc.basket_push import BasketPusher
    from connectors.sfcc.client import SfccClient

    with httpx.Client() as http:
        settings = make_settings(sandbox_url, order_push_api="scapi_create_orders")
        planned = BasketPusher(SfccClient(http, settings, clock=SystemClock())).plan_requests(
            make_order("77")
        )
    assert [(p.step, p.method) for p in planned] == [
        ("check_order", "GET"),
        ("resolve_login", "GET"),
        ("create_order", "POST"),
    ]
    assert planned[0].url.endswith(
        "/checkout/orders/v1/organizations/f_ecom_zzte_053/orders/TT77?siteId=RefArch"
    )
    assert planned[1].url.endswith("/s/-/dw/data/v25_6/customer_lists/RefArch/customers/00000001")
    assert planned[2].json["channelType"] == "tiktok" and planned[2].json["orderNo"] == "TT77"
    assert httpx.get(f"{sandbox_url}/_sandbox/stats").json()["requests_total"] == 0
