"""pull_locations, pull_after_sales and pull_statements end to end against the TikTok sandbox."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.engine.runner import RunReport
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import DEFAULT_WAREHOUSE, make_order
from store.models import ExceptionRecord, FlowCursor, Location, Order, Refund, Return, Statement

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"
DAY = 86_400


@pytest.fixture
def app(authorized_app: Callable[[str], DaemonApp]) -> DaemonApp:
    return authorized_app("page_size = 2\n")


def _run(app: DaemonApp, flow: str) -> RunReport:
    (report,) = app.daemon.run_once(app.registry.select(f"tt:{flow}"), force=True)
    assert report.outcome in ("success", "partial"), report
    return report


def _drain(app: DaemonApp, flow: str, clock: FrozenClock) -> int:
    """Run until no backlog is left; returns how many runs it took."""
    for runs in range(1, 50):
        if _run(app, flow).next_due_at != clock.now():
            return runs
    raise AssertionError(f"{flow} never finished")


def _rows(app: DaemonApp, model: Any) -> dict[str, Any]:
    with app.session_factory() as session:
        return {row.external_id: row for row in session.scalars(select(model))}


def _open(app: DaemonApp) -> dict[str, ExceptionRecord]:
    with app.session_factory() as session:
        rows = session.scalars(select(ExceptionRecord).where(ExceptionRecord.status == "open"))
        return {f"{r.entity_id}:{r.code}": r for r in rows}


def test_warehouses_become_locations_with_one_default(app: DaemonApp, sandbox: Sandbox) -> None:
    _run(app, "pull_locations")
    locations = _rows(app, Location)
    assert {k: (v.kind, v.is_default) for k, v in locations.items()} == {
        DEFAULT_WAREHOUSE: ("sales", True),
        "7068517275539719943": ("return", False),
    }
    assert locations[DEFAULT_WAREHOUSE].details["address"]["city"] == "Los Angeles"
    with sandbox.state.lock:  # the shop moves its default to a new warehouse and drops the return one
        main, _returns = sandbox.state.warehouses
        main["is_default"] = False
        sandbox.state.warehouses = [
            main,
            {"id": "7068517275539719950", "name": "East", "type": "SALES_WAREHOUSE", "is_default": True},
        ]
    report = _run(app, "pull_locations")
    assert report.counts["locations_removed"] == 1
    locations = _rows(app, Location)
    assert {k: (v.kind, v.is_default) for k, v in locations.items()} == {
        DEFAULT_WAREHOUSE: ("sales", False),
        "7068517275539719950": ("sales", True),
    }


def _cancellation(cancel_id: str, order_id: str, status: str, at: int, **extra: Any) -> dict[str, Any]:
    return {
        "cancel_id": cancel_id,
        "order_id": order_id,
        "cancel_status": status,
        "cancel_type": "CANCEL",
        "update_time": at,
        "create_time": at,
        **extra,
    }


def test_after_sales_land_once_and_a_full_cancellation_cancels_the_order(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The package's FLOWS import shadows the module name with the function: fetch the module itself.
    module = importlib.import_module("connectors.tiktok.flows.pull_after_sales")
    monkeypatch.setattr(module, "PAGES_PER_RUN", 2)
    now = int(clock.now().timestamp())
    state = sandbox.state
    for order_id, units in (("400", [2, 0, 1]), ("401", [1]), ("402", [2])):
        state.put_order(make_order(order_id, status="AWAITING_SHIPMENT", create_time=now - 7200, units=units))
    _run(app, "pull_orders")
    lines_400 = [line["id"] for line in state.orders["400"]["line_items"]]
    refund = {"currency": "USD", "refund_total": "61.00", "refund_subtotal": "61.00"}
    state.cancellations.extend(
        [
            _cancellation(
                "C1",
                "400",
                "CANCELLATION_REQUEST_COMPLETE",
                now - 50,
                refund_amount=refund,
                cancel_line_items=[{"order_line_item_id": i} for i in lines_400],
            ),
            _cancellation("C2", "401", "CANCELLATION_REQUEST_PENDING", now - 40),
            _cancellation(
                "C3",
                "402",
                "CANCELLATION_REQUEST_COMPLETE",
                now - 30,
                cancel_line_items=[{"order_line_item_id": state.orders["402"]["line_items"][0]["id"]}],
            ),
            _cancellation(
                "C4",
                "401",
                "CANCELLATION_REQUEST_PENDING",
                now - 20,
                refund_amount={"currency": "US", "refund_total": "1.00"},
            ),
        ]
        + [_cancellation(f"B{n}", "401", "CANCELLATION_REQUEST_CANCEL", now - 100 + n) for n in range(5)]
    )
    state.returns.append(
        {
            "return_id": "R1",
            "order_id": "402",
            "return_status": "RETURN_OR_REFUND_REQUEST_PENDING",
            "return_type": "RETURN_AND_REFUND",
            "return_reason_text": "Too small",
            "update_time": now - 10,
            "refund_amount": {"currency": "USD", "refund_total": "24.50"},
        }
    )
    assert _drain(app, "pull_after_sales", clock) == 3  # 9 cancellations, 2 per page, 2 pages per run
    requests = _rows(app, Return)
    assert sorted(requests) == ["B0", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "R1"]
    assert requests["R1"].kind == "return_and_refund" and requests["R1"].reason == "Too small"
    assert requests["C1"].kind == "cancellation" and requests["C1"].refund_amount == Decimal("61.00")
    refunds = _rows(app, Refund)
    assert {k: (r.amount, r.status) for k, r in refunds.items()} == {
        "C1": (Decimal("61.00"), "refunded"),
        "R1": (Decimal("24.50"), "pending"),
    }
    exceptions = _open(app)
    assert (
        set(exceptions) == {"C4:tiktok.record_invalid"}
        and "'US'" in exceptions["C4:tiktok.record_invalid"].message
    )
    with app.session_factory() as session:
        statuses = {o.external_id: (o.status, o.channel_status) for o in session.scalars(select(Order))}
    assert statuses["400"] == ("canceled", "CANCELLED")
    assert statuses["401"][0] == statuses["402"][0] == "readyForFulfillment"  # pending, partial

    # The return completes later: the next pass (with its overlap) updates it in place.
    clock.advance(timedelta(minutes=5))
    state.returns[0].update(return_status="RETURN_OR_REFUND_REQUEST_COMPLETE", update_time=now + 200)
    _drain(app, "pull_after_sales", clock)  # re-reads the 10-minute overlap too: harmless
    assert _rows(app, Refund)["R1"].status == "refunded" and len(_rows(app, Return)) == 9
    with app.session_factory() as session:
        cursor = session.scalars(select(FlowCursor).where(FlowCursor.flow_name == "pull_after_sales")).one()
    assert cursor.value["returns"] == {"since": int(clock.now().timestamp())}


def test_statements_are_read_incrementally_and_refreshed_within_the_look_back(
    app: DaemonApp, sandbox: Sandbox, clock: FrozenClock
) -> None:
    now = int(clock.now().timestamp())
    statement = {
        "currency": "USD",
        "revenue_amount": "120.00",
        "fee_amount": "-9.60",
        "settlement_amount": "110.40",
    }
    sandbox.state.statements.extend(
        [
            {"id": "S1", "statement_time": now - 20 * DAY, "payment_status": "PAID", **statement},
            {"id": "S2", "statement_time": now - 3 * DAY, "payment_status": "PROCESSING", **statement},
            {
                "id": "S3",
                "statement_time": now - 2 * DAY,
                "payment_status": "PAID",
                **statement,
                "currency": "",
            },
        ]
    )
    _run(app, "pull_statements")
    rows = _rows(app, Statement)
    assert {k: (s.status, s.settlement_amount) for k, s in rows.items()} == {
        "S1": ("PAID", Decimal("110.40")),
        "S2": ("PROCESSING", Decimal("110.40")),
    }
    assert set(_open(app)) == {"S3:tiktok.record_invalid"}

    clock.advance(timedelta(days=1))
    sandbox.state.statements[1]["payment_status"] = "PAID"
    sandbox.state.statements[0]["payment_status"] = "REVERSED"  # outside the 7-day look-back: not re-read
    sandbox.state.statements.append(
        {"id": "S4", "statement_time": now + DAY // 2, "payment_status": "PROCESSING", **statement}
    )
    report = _run(app, "pull_statements")
    assert report.counts["statements_created"] == 1 and report.counts["statements_updated"] == 1
    rows = _rows(app, Statement)
    assert {k: s.status for k, s in rows.items()} == {"S1": "PAID", "S2": "PAID", "S4": "PROCESSING"}
