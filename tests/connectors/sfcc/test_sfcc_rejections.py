"""Every EXCEPTIONS.md rejection SFCC can cause, walked through the push flow: code + raw fault kept."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sfcc_helpers import add_store_order, create_app_for, run_flow
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc.sandbox.app import create_app, default_seed
from store.models import Connection, ExceptionRecord, Mapping, Order, OrderRoute
from store.repositories import LineData

Seed = dict[str, Any]


@dataclass(frozen=True)
class Rejection:
    """One way SFCC says no, and what must be stored for it."""

    code: str
    fault_type: str
    entity: str  # "order": the order's own exception; "connection": the whole run failed
    raw_type: Callable[[Any], str]
    seed: Callable[[Seed], None] = lambda seed: None
    settings: str = ""
    mappings: tuple[tuple[str, str, str], ...] = ()
    lines: list[LineData] | None = None
    faults: dict[str, Any] = field(default_factory=dict)
    cancel_after_status: str | None = None


def ocapi(raw: Any) -> str:
    return str(raw["fault"]["type"])


def oauth(raw: Any) -> str:
    return str(raw["error"])


def problem(raw: Any) -> str:
    return str(raw["type"]).rsplit("/", 1)[-1]


def _ocapi_secret(value: str) -> Callable[[Seed], None]:
    def change(seed: Seed) -> None:
        next(c for c in seed["api_clients"] if c["client_id"] == "ocapi-client-0001")["client_secret"] = value

    return change


def _deactivate(seed: Seed) -> None:
    next(c for c in seed["api_clients"] if c["client_id"] == "ocapi-client-0001")["active"] = False


def _without_orders_permission(seed: Seed) -> None:
    client = seed["ocapi_settings"]["shop"]["clients"][0]
    client["resources"] = [r for r in client["resources"] if r["resource_id"] != "/orders/**"]


def _one_line(sku: str, quantity: int = 1) -> list[LineData]:
    return [
        LineData(sku, quantity, Decimal("1.00"), external_line_ids=tuple(f"L{i}" for i in range(quantity)))
    ]


REJECTIONS = {
    "auth_failed: the OCAPI password changed": Rejection(
        "sfcc.auth_failed",
        "invalid_client",
        "connection",
        oauth,
        seed=_ocapi_secret("rotated-in-account-manager"),
    ),
    "auth_failed: the OCAPI client was deactivated": Rejection(
        "sfcc.auth_failed", "invalid_client", "connection", oauth, seed=_deactivate
    ),
    "permission_denied: client missing from the OCAPI settings": Rejection(
        "sfcc.permission_denied",
        "ClientAccessForbiddenException",
        "connection",
        ocapi,
        seed=_without_orders_permission,
    ),
    "customer_missing: unknown generic customer": Rejection(
        "sfcc.customer_missing",
        "CustomerNotFoundException",
        "order",
        ocapi,
        settings='generic_customer_number = "404"',
    ),
    "invalid_shipping_method: a mapping to an id SFCC lacks": Rejection(
        "sfcc.invalid_shipping_method",
        "InvalidShippingMethodIdException",
        "order",
        ocapi,
        mappings=(("shipping_method", "Standard Shipping", "EXP"),),
    ),
    "invalid_payment_method: a method SFCC lacks": Rejection(
        "sfcc.invalid_payment_method",
        "InvalidPaymentMethodIdException",
        "order",
        ocapi,
        mappings=(("payment_method", "*", "TIKTOK_PAY"),),
    ),
    "product_unavailable: unknown product": Rejection(
        "sfcc.product_unavailable",
        "InvalidProductItemException",
        "order",
        ocapi,
        lines=_one_line("NO-SUCH-SKU"),
    ),
    "product_unavailable: offline product": Rejection(
        "sfcc.product_unavailable", "InvalidProductItemException", "order", ocapi, lines=_one_line("OLD-001")
    ),
    "product_unavailable: not enough stock": Rejection(
        "sfcc.product_unavailable",
        "ProductItemNotAvailableException",
        "order",
        ocapi,
        lines=_one_line("TSHIRT-BLUE-M", 2),
    ),
    "unavailable: sustained 429": Rejection(
        "sfcc.unavailable",
        "too-many-requests",
        "connection",
        problem,
        faults={"error_rate": 1.0, "error_status": 429, "retry_after": 0},
    ),
    "cancel_not_propagated: SFCC refuses to cancel a completed order": Rejection(
        "order.cancel_not_propagated", "CancelOrderException", "order", ocapi, cancel_after_status="completed"
    ),
}


def _configure(app: DaemonApp, sandbox_url: str, case: Rejection) -> None:
    with app.session_factory.begin() as session:
        sf = session.scalars(select(Connection).where(Connection.name == "sf")).one()
        for kind, source, target in case.mappings:
            session.add(Mapping(kind=kind, connection_id=sf.id, source=source, target=target))
        add_store_order(session, "4242", lines=case.lines)
    if case.faults:
        httpx.post(f"{sandbox_url}/_sandbox/faults", json=case.faults)


def _complete_then_cancel_on_tiktok(app: DaemonApp, sandbox_url: str, status: str) -> None:
    """The order reached SFCC; the warehouse completed it; then the buyer cancelled on TikTok."""
    run_flow(app, "push_orders")
    from sfcc_helpers import make_settings

    from connectors.engine.clock import SystemClock
    from connectors.sfcc.client import SfccClient

    with httpx.Client() as http:
        client = SfccClient(http, make_settings(sandbox_url), clock=SystemClock())
        client.request(
            "PUT",
            client.data_url("/sites/RefArch/orders/TT4242/status"),
            auth="ocapi",
            what="t",
            json={"status": status},
        )
    with app.session_factory.begin() as session:
        session.scalars(select(Order)).one().status = "canceled"


@pytest.mark.parametrize("case", REJECTIONS.values(), ids=REJECTIONS.keys())
def test_each_sfcc_rejection_becomes_its_code_with_the_raw_fault(
    case: Rejection, sqlite_url: str, tmp_path: Path
) -> None:
    seed = copy.deepcopy(default_seed())
    case.seed(seed)
    with running_sandbox(create_app(seed)) as sandbox_url:
        app = create_app_for(tmp_path, sqlite_url, sandbox_url, case.settings)
        try:
            _configure(app, sandbox_url, case)
            if case.cancel_after_status:
                _complete_then_cancel_on_tiktok(app, sandbox_url, case.cancel_after_status)
            expected = ("partial",) if case.entity == "order" else ("retry", "failed")
            report = run_flow(app, "push_orders", outcomes=expected)
            assert report.exceptions_opened == 1
            with app.session_factory() as session:
                (record,) = session.scalars(select(ExceptionRecord)).all()
                route_states = [r.state for r in session.scalars(select(OrderRoute))]
        finally:
            app.close()
        orders = httpx.get(f"{sandbox_url}/_sandbox/orders").json()["data"]
    assert record.code == case.code
    assert (record.entity_type, record.entity_id) == (
        ("order", "4242") if case.entity == "order" else ("connection", "sf")
    )
    assert record.flow == "push_orders"
    assert record.fault["type"] == case.fault_type
    assert case.raw_type(record.fault["raw"]) == case.fault_type  # the document exactly as SFCC sent it
    assert isinstance(record.fault["status_code"], int) and record.fault["status_code"] >= 400
    if case.cancel_after_status:
        assert [o["status"] for o in orders] == ["completed"] and route_states == ["created"]
    else:
        assert orders == []  # nothing half-created
        assert route_states in ([], ["pending"], ["failed"])
