"""SFCC flows end to end: store orders -> SFCC sandbox orders, cancellations, shipments back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.config import load_config
from connectors.engine.app import DaemonApp, create_daemon
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc.order_mapping import order_number_for
from connectors.sfcc.sandbox.app import create_app
from connectors.sfcc.sandbox.seeding import SAMPLE_ADDRESS
from store.models import Connection, ExceptionRecord, Fulfillment, Mapping, Order, OrderRoute
from store.repositories import LineData, OrderRepository

SECRETS = {
    "SHOPWRIGHT_TT_APP_SECRET": "tiktok-app-secret-value",
    "SHOPWRIGHT_SF_OCAPI_CLIENT_PASSWORD": "sandbox-ocapi-secret",
}


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with running_sandbox(create_app()) as url:
        yield url


@pytest.fixture
def app(database_url: str, sandbox_url: str, tmp_path: Path) -> Iterator[DaemonApp]:
    config_path = tmp_path / "shopwright.toml"
    config_path.write_text(f"""
database_url = "{database_url}"
[connections.tt]
type = "tiktok"
app_key = "sandbox-app-key"
[connections.sf]
type = "sfcc"
short_code = "sandbox1"
organization_id = "f_ecom_zzte_053"
site_id = "RefArch"
ocapi_url = "{sandbox_url}"
account_manager_url = "{sandbox_url}"
scapi_url = "{sandbox_url}"
ocapi_client_id = "ocapi-client-0001"
generic_customer_number = "00000001"
push_orders = true
[connections.sf.shipping_method_mapping]
"Standard Shipping" = "001"
""")
    config = load_config(config_path, environ=SECRETS)
    daemon_app = create_daemon(config, holder="test:1")
    yield daemon_app
    daemon_app.close()


def _add_order(
    factory: sessionmaker[Session],
    external_id: str,
    *,
    delivery: str = "Standard Shipping",
    status: str = "readyForFulfillment",
) -> None:
    with factory.begin() as session:
        tiktok = session.scalars(select(Connection).where(Connection.name == "tt")).one()
        OrderRepository(session).upsert(
            tiktok.id,
            external_id,
            {
                "status": status,
                "currency": "USD",
                "subtotal": Decimal("52.48"),
                "shipping_fee": Decimal("5.99"),
                "tax": Decimal(0),
                "discount": Decimal(0),
                "total": Decimal("58.47"),
                "shipping_option": delivery,
                "shipping_address": SAMPLE_ADDRESS,
                "placed_at": datetime(2026, 11, 23, 9, tzinfo=UTC),
                "source_channel": "tiktok",
            },
            [
                LineData("TSHIRT-RED-M", 2, Decimal("19.99"), external_line_ids=("L1", "L2")),
                LineData("MUG-001", 1, Decimal("12.50"), external_line_ids=("L3",)),
            ],
        )


def _run(app: DaemonApp, flow: str) -> None:
    reports = app.daemon.run_once(app.registry.select(f"sf:{flow}"), force=True)
    assert [r.outcome for r in reports] in (["success"], ["partial"]), reports


def _sandbox_orders(url: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {o["order_no"]: o for o in httpx.get(f"{url}/_sandbox/orders").json()["data"]}


def test_orders_reach_sfcc_once_with_customer_method_and_payment(app: DaemonApp, sandbox_url: str) -> None:
    _add_order(app.session_factory, "576653688135258178")
    _run(app, "push_orders")
    _run(app, "push_orders")  # a second run must not create a second order
    orders = _sandbox_orders(sandbox_url)
    number = order_number_for("576653688135258178", "TT")
    assert list(orders) == [number]
    created = orders[number]
    assert created["customer_info"]["customer_no"] == "00000001"
    assert created["shipments"][0]["shipping_method"]["id"] == "001"
    assert created["payment_instruments"][0]["payment_method_id"] == "TTS"
    assert Decimal(str(created["payment_instruments"][0]["amount"])) == Decimal("58.47")
    assert sorted((i["product_id"], i["quantity"]) for i in created["product_items"]) == [
        ("MUG-001", 1),
        ("TSHIRT-RED-M", 2),
    ]
    with app.session_factory() as session:
        route = session.scalars(select(OrderRoute)).one()
        assert route.state == "created" and route.external_id == number


def test_unmapped_delivery_option_waits_for_a_mapping_then_goes(app: DaemonApp, sandbox_url: str) -> None:
    _add_order(app.session_factory, "1001", delivery="Next Day")
    _run(app, "push_orders")
    with app.session_factory() as session:
        (exception,) = session.scalars(select(ExceptionRecord).where(ExceptionRecord.status == "open")).all()
        assert exception.code == "mapping.shipping_method_missing" and exception.entity_id == "1001"
        assert "Next Day" in exception.message
    assert _sandbox_orders(sandbox_url) == {}
    with app.session_factory.begin() as session:
        sf = session.scalars(select(Connection).where(Connection.name == "sf")).one()
        session.add(Mapping(kind="shipping_method", connection_id=sf.id, source="Next Day", target="003"))
        route = session.scalars(select(OrderRoute)).one()
        route.next_attempt_at = None  # what retry_order_push does: try now rather than in two minutes
    _run(app, "push_orders")
    (created,) = _sandbox_orders(sandbox_url).values()
    assert created["shipments"][0]["shipping_method"]["id"] == "003"
    with app.session_factory() as session:
        exception = session.scalars(select(ExceptionRecord)).one()
        assert exception.status == "resolved"


def test_sfcc_rejection_keeps_the_raw_fault(app: DaemonApp, sandbox_url: str) -> None:
    with app.session_factory.begin() as session:
        sf = session.scalars(select(Connection).where(Connection.name == "sf")).one()
        session.add(
            Mapping(kind="shipping_method", connection_id=sf.id, source="Standard Shipping", target="EXP")
        )
    _add_order(app.session_factory, "1002")
    _run(app, "push_orders")
    with app.session_factory() as session:
        exception = session.scalars(select(ExceptionRecord)).one()
        assert exception.code == "sfcc.invalid_shipping_method"
        assert exception.fault["type"] == "InvalidShippingMethodIdException"
        assert session.scalars(select(OrderRoute)).one().state == "failed"


def test_tiktok_cancellation_cancels_the_sfcc_order(app: DaemonApp, sandbox_url: str) -> None:
    _add_order(app.session_factory, "1003")
    _run(app, "push_orders")
    with app.session_factory.begin() as session:
        session.scalars(select(Order)).one().status = "canceled"
    _run(app, "push_orders")
    (created,) = _sandbox_orders(sandbox_url).values()
    assert created["status"] == "cancelled"
    with app.session_factory() as session:
        assert session.scalars(select(OrderRoute)).one().state == "canceled"


def test_sfcc_shipment_becomes_a_fulfillment_with_tracking(app: DaemonApp, sandbox_url: str) -> None:
    _add_order(app.session_factory, "1004")
    _run(app, "push_orders")
    number = order_number_for("1004", "TT")
    shipped = httpx.post(
        f"{sandbox_url}/_sandbox/orders/{number}/ship",
        json={"tracking_number": "1Z999AA10123456784", "c_carrier": "UPS"},
    )
    assert shipped.status_code == 200
    _run(app, "pull_fulfillments")
    _run(app, "pull_fulfillments")  # re-reading is harmless
    with app.session_factory() as session:
        (fulfillment,) = session.scalars(select(Fulfillment)).all()
        assert fulfillment.tracking_number == "1Z999AA10123456784" and fulfillment.carrier == "UPS"
        assert fulfillment.push_state == "pending"
        assert sorted((line["sku"], line["quantity"]) for line in fulfillment.lines) == [
            ("MUG-001", 1),
            ("TSHIRT-RED-M", 2),
        ]
        assert sorted(i for line in fulfillment.lines for i in line["line_ids"]) == ["L1", "L2", "L3"]
