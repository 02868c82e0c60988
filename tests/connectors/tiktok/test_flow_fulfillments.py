"""push_fulfillments end to end: store shipments -> TikTok sandbox packages, each exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.engine.runner import RunReport
from connectors.tiktok.client import build_client
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.faults import FaultConfig
from connectors.tiktok.sandbox.seed import DEFAULT_DELIVERY_OPTION, make_order
from connectors.tiktok.store_tokens import StoreTokenStore
from store.models import Connection, ExceptionRecord, Fulfillment, Mapping, Order
from store.repositories import FulfillmentRepository, OrderRepository

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"
USPS, UPS, FEDEX = "6617675021119438849", "6617675021119438850", "6617675021119438851"
OFFERED = {USPS, UPS, FEDEX}


@pytest.fixture
def app(request: pytest.FixtureRequest, authorized_app: Callable[[str], DaemonApp]) -> DaemonApp:
    daemon_app = authorized_app(getattr(request, "param", ""))
    with daemon_app.session_factory.begin() as session:
        session.add(Connection(name="sf", type="sfcc", settings={}))
    return daemon_app


def _run(app: DaemonApp, flow: str) -> RunReport:
    (report,) = app.daemon.run_once(app.registry.select(f"tt:{flow}"), force=True)
    assert report.outcome in ("success", "partial"), report
    return report


def _seed(sandbox: Sandbox, clock: FrozenClock, order_id: str, units: list[int], **kwargs: Any) -> None:
    created = kwargs.pop("create_time", int(clock.now().timestamp()) - 7200)
    status = kwargs.pop("status", "AWAITING_SHIPMENT")
    sandbox.state.put_order(make_order(order_id, status=status, create_time=created, units=units, **kwargs))


def _ship(
    app: DaemonApp, order_id: str, external_id: str, carrier: str, tracking: str, units: dict[str, int]
) -> None:
    """A shipment as the SFCC fulfillment pull stores it: quantities per SKU and free line ids."""
    with app.session_factory.begin() as session:
        sf = session.scalars(select(Connection).where(Connection.name == "sf")).one()
        order = _order(session, order_id)
        taken = {
            i
            for f in FulfillmentRepository(session).for_order(order.id)
            for x in f.lines
            for i in x["line_ids"]
        }
        lines = []
        for line in OrderRepository(session).lines(order):
            if line.sku in units:
                free = [i for i in line.external_line_ids if i not in taken][: units[line.sku]]
                lines.append({"sku": line.sku, "quantity": units[line.sku], "line_ids": free})
        session.add(
            Fulfillment(
                order_id=order.id,
                source_connection_id=sf.id,
                external_id=external_id,
                carrier=carrier,
                tracking_number=tracking,
                lines=lines,
                push_state="pending",
            )
        )


def _order(session: Session, order_id: str) -> Order:
    return session.scalars(select(Order).where(Order.external_id == order_id)).one()


def _fulfillments(app: DaemonApp) -> dict[str, Fulfillment]:
    with app.session_factory() as session:
        return {f.external_id: f for f in session.scalars(select(Fulfillment))}


def _status(app: DaemonApp, order_id: str) -> str:
    with app.session_factory() as session:
        return _order(session, order_id).status


def _open_exceptions(app: DaemonApp) -> dict[str, ExceptionRecord]:
    with app.session_factory() as session:
        rows = session.scalars(select(ExceptionRecord).where(ExceptionRecord.status == "open"))
        return {f"{r.entity_id}:{r.code}": r for r in rows}


def test_partial_then_full_shipment_reach_tiktok_with_valid_providers(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock
) -> None:
    _seed(sandbox, clock, "300", [3, 0, 1])  # 3 x SHIRT-M, 1 x TOTE
    _seed(sandbox, clock, "301", [1, 1, 0])
    _run(app, "pull_orders")
    with app.session_factory.begin() as session:
        tt = session.scalars(select(Connection).where(Connection.name == "tt")).one()
        session.add(Mapping(kind="carrier", connection_id=tt.id, source="United Parcel Service", target=UPS))
    _ship(app, "300", "SH-1", "UPS", "1ZPARTIAL", {"SHIRT-M": 2})
    _ship(app, "301", "SH-3", "United Parcel Service", "1ZFULL301", {"SHIRT-M": 1, "SHIRT-L": 1})
    report = _run(app, "push_fulfillments")
    assert report.counts.get("pushed") == 2

    shipments = {s["tracking_number"]: s for s in sandbox.state.received.shipments}
    assert set(shipments) == {"1ZPARTIAL", "1ZFULL301"}
    assert shipments["1ZPARTIAL"]["shipping_provider_id"] == UPS  # matched by name
    assert shipments["1ZFULL301"]["shipping_provider_id"] == UPS  # through the carrier mapping
    partial_lines = shipments["1ZPARTIAL"]["order_line_item_ids"]
    shirt_lines = [
        line["id"] for line in sandbox.state.orders["300"]["line_items"] if line["seller_sku"] == "SHIRT-M"
    ]
    assert len(partial_lines) == 2 and set(partial_lines) <= set(shirt_lines)
    assert sandbox.state.orders["300"]["status"] == "PARTIALLY_SHIPPING"
    assert _status(app, "300") == "partialFulfillment" and _status(app, "301") == "fulfilled"

    # The rest of order 300 ships later under another carrier; TikTok takes it as a second package.
    _ship(app, "300", "SH-2", "usps", "9400REST", {"SHIRT-M": 1, "TOTE": 1})
    _run(app, "push_fulfillments")
    _run(app, "push_fulfillments")  # nothing is sent twice
    assert len(sandbox.state.received.shipments) == 3
    rest = sandbox.state.received.shipments[-1]
    assert rest["shipping_provider_id"] == USPS and len(rest["order_line_item_ids"]) == 2
    assert not set(rest["order_line_item_ids"]) & set(partial_lines)
    assert sandbox.state.orders["300"]["status"] == "AWAITING_COLLECTION"
    fulfillments = _fulfillments(app)
    assert {f.push_state for f in fulfillments.values()} == {"pushed"}
    assert {f.channel_package_id for f in fulfillments.values()} == {
        s["package_id"] for s in sandbox.state.received.shipments
    }
    for shipment in sandbox.state.received.shipments:
        assert shipment["shipping_provider_id"] in OFFERED
    assert _status(app, "300") == "fulfilled"
    _run(app, "pull_orders")  # TikTok's own status maps to the same lifecycle
    assert _status(app, "300") == "fulfilled"


def test_unsupported_carrier_waits_for_a_mapping_then_goes(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock
) -> None:
    _seed(sandbox, clock, "320", [1])
    _run(app, "pull_orders")
    _ship(app, "320", "SH-20", "DHL Express", "JD0001", {"SHIRT-M": 1})
    _run(app, "push_fulfillments")
    assert sandbox.state.received.shipments == []
    assert _fulfillments(app)["SH-20"].push_state == "failed"
    exception = _open_exceptions(app)["SH-20:tiktok.carrier_unsupported"]
    assert exception.category == "fulfillment" and "DHL Express" in exception.message
    assert "no fallback carrier is set" in exception.message and "FedEx" in exception.message

    _run(app, "push_fulfillments")  # still unmapped: stays failed, nothing sent
    assert sandbox.state.received.shipments == []
    with app.session_factory.begin() as session:
        tt = session.scalars(select(Connection).where(Connection.name == "tt")).one()
        session.add(Mapping(kind="carrier", connection_id=tt.id, source="*", target=FEDEX))
    report = _run(app, "push_fulfillments")
    assert report.counts.get("requeued") == 1
    (shipment,) = sandbox.state.received.shipments
    assert shipment["shipping_provider_id"] == FEDEX and shipment["tracking_number"] == "JD0001"
    assert _fulfillments(app)["SH-20"].push_state == "pushed"
    assert "SH-20:tiktok.carrier_unsupported" not in _open_exceptions(app)


@pytest.mark.parametrize(
    "app", [f'use_fallback_carrier = true\nfallback_shipping_provider_id = "{USPS}"\n'], indirect=True
)
def test_fallback_carrier_setting_covers_an_unknown_carrier(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock
) -> None:
    _seed(sandbox, clock, "330", [0, 0, 2])
    _run(app, "pull_orders")
    _ship(app, "330", "SH-30", "Regional Courier", "RC-77", {"TOTE": 2})
    _run(app, "push_fulfillments")
    (shipment,) = sandbox.state.received.shipments
    assert shipment["shipping_provider_id"] == USPS and len(shipment["order_line_item_ids"]) == 2
    assert _open_exceptions(app) == {}


def test_never_pushed_while_on_hold_for_tiktok_shipped_or_canceled_orders(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock
) -> None:
    now = int(clock.now().timestamp())
    _seed(sandbox, clock, "340", [1], status="ON_HOLD", create_time=now - 600)
    _seed(sandbox, clock, "341", [1], status="AWAITING_COLLECTION", fulfillment_type="FULFILLMENT_BY_TIKTOK")
    _seed(sandbox, clock, "342", [1])
    _run(app, "pull_orders")
    sandbox.state.orders["342"]["status"] = "CANCELLED"  # canceled after the last pull
    _ship(app, "340", "SH-40", "UPS", "1ZHOLD", {"SHIRT-M": 1})
    _ship(app, "341", "SH-41", "UPS", "1ZFBT", {"SHIRT-M": 1})
    _ship(app, "342", "SH-42", "UPS", "1ZCANCEL", {"SHIRT-M": 1})
    _run(app, "push_fulfillments")
    assert sandbox.state.received.shipments == []
    states = {k: f.push_state for k, f in _fulfillments(app).items()}
    assert states == {"SH-40": "pending", "SH-41": "skipped", "SH-42": "failed"}
    assert set(_open_exceptions(app)) == {"SH-42:fulfillment.order_canceled"}

    clock.advance(timedelta(minutes=61))  # TikTok's hold and Shopwright's both end
    _run(app, "pull_orders")
    _run(app, "push_fulfillments")
    assert [s["tracking_number"] for s in sandbox.state.received.shipments] == ["1ZHOLD"]
    assert _fulfillments(app)["SH-41"].push_state == "skipped"


def test_lost_answer_is_read_back_and_the_package_is_not_sent_twice(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock
) -> None:
    _seed(sandbox, clock, "350", [2])
    _seed(sandbox, clock, "351", [1])
    _run(app, "pull_orders")
    _ship(app, "350", "SH-50", "UPS", "1ZDROP", {"SHIRT-M": 2})
    # The package is created, then the connection drops before the answer arrives.
    sandbox.faults.configure(FaultConfig(drop_rate=1.0, path_pattern=r"/orders/350/packages$"))
    report = _run(app, "push_fulfillments")
    assert report.counts.get("confirmed_after_lost_answer") == 1
    assert len(sandbox.state.received.shipments) == 1
    assert _fulfillments(app)["SH-50"].channel_package_id == sandbox.state.received.shipments[0]["package_id"]

    # TikTok fails before creating anything, every time: the push stays unconfirmed, then goes once.
    _ship(app, "351", "SH-51", "UPS", "1Z5XX", {"SHIRT-M": 1})
    sandbox.faults.configure(FaultConfig(error_rate=1.0, path_pattern=r"/orders/351/packages$"))
    report = _run(app, "push_fulfillments")
    assert report.counts.get("unconfirmed") == 1 and report.counts.get("lost_answers") == 3
    assert sandbox.faults.injected["error"] == 3 and len(sandbox.state.received.shipments) == 1
    assert _fulfillments(app)["SH-51"].push_state == "sending"
    sandbox.faults.configure(FaultConfig())
    _run(app, "push_fulfillments")
    assert [s["tracking_number"] for s in sandbox.state.received.shipments] == ["1ZDROP", "1Z5XX"]
    assert _fulfillments(app)["SH-51"].push_state == "pushed"


def test_package_already_on_tiktok_is_adopted_and_taken_lines_are_reported(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock, sandbox_url: str
) -> None:
    _seed(sandbox, clock, "360", [2])
    _seed(sandbox, clock, "361", [1])
    _run(app, "pull_orders")
    _ship(app, "360", "SH-60", "UPS", "1ZEARLIER", {"SHIRT-M": 2})
    _ship(app, "361", "SH-61", "UPS", "1ZOURS", {"SHIRT-M": 1})
    # An earlier run created the package for SH-60 and died before committing; the seller shipped
    # order 361 by hand in Seller Center under another tracking number.
    with httpx.Client() as http:
        settings = app.registry.select("tt:pull_orders")[0].settings
        client = build_client(settings, http, StoreTokenStore(app.session_factory, "tt"), clock)  # type: ignore[arg-type]
        ids = [line["id"] for line in sandbox.state.orders["360"]["line_items"]]
        earlier = client.mark_package_shipped(
            "360", tracking_number="1ZEARLIER", shipping_provider_id=UPS, order_line_item_ids=ids
        )
        client.mark_package_shipped("361", tracking_number="BYHAND", shipping_provider_id=USPS)
    report = _run(app, "push_fulfillments")
    assert report.counts.get("already_on_tiktok") == 1
    assert len(sandbox.state.received.shipments) == 2  # only the two made above
    fulfillments = _fulfillments(app)
    assert (
        fulfillments["SH-60"].push_state == "pushed"
        and fulfillments["SH-60"].channel_package_id == earlier.package_id
    )
    assert fulfillments["SH-61"].push_state == "failed"
    exception = _open_exceptions(app)["SH-61:tiktok.fulfillment_lines_unavailable"]
    assert "1 x 'SHIRT-M'" in exception.message
    assert sandbox.state.orders["360"]["delivery_option_id"] == DEFAULT_DELIVERY_OPTION


def test_a_package_tiktok_prepared_is_shipped_with_the_sellers_tracking(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock
) -> None:
    order = make_order(
        "370", status="AWAITING_SHIPMENT", create_time=int(clock.now().timestamp()) - 7200, units=[2]
    )
    for line in order["line_items"]:  # outside the US, TikTok creates the package before shipping
        line.update(package_id="7370000000000000001", package_status="TO_FULFILL")
    sandbox.state.put_order(order)
    _run(app, "pull_orders")
    _ship(app, "370", "SH-70", "FedEx", "FX70", {"SHIRT-M": 2})
    _run(app, "push_fulfillments")
    (shipment,) = sandbox.state.received.shipments
    assert shipment["package_id"] == "7370000000000000001" and shipment["handover_method"] == "DROP_OFF"
    package = sandbox.state.packages["7370000000000000001"]
    assert (package["tracking_number"], package["shipping_provider_id"]) == ("FX70", FEDEX)
    assert package["package_status"] == "PROCESSING"
    assert _fulfillments(app)["SH-70"].channel_package_id == "7370000000000000001"
    assert _status(app, "370") == "fulfilled"
