"""Writing a page of orders in a few statements, and re-checking a run's exceptions in one query."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from store.models import Connection, Order, OrderLine
from store.repositories import ConnectionRepository, ExceptionRepository, ExceptionTracker
from store.repositories.orders import LineData, OrderData, OrderRepository
from store.session import EncodedJson

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def _connection(session: Session, name: str = "tiktok-us") -> Connection:
    return ConnectionRepository(session).upsert(name, "tiktok", {})


def _fields(status: str = "readyForFulfillment", total: str = "30.00", **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "status": status,
        "channel_status": "AWAITING_SHIPMENT",
        "hold_until": None,
        "fulfillment_type": "seller",
        "source_channel": "tiktok",
        "currency": "USD",
        "subtotal": Decimal(total),
        "shipping_fee": Decimal("0"),
        "tax": Decimal("0"),
        "discount": Decimal("0"),
        "total": Decimal(total),
        "shipping_option": "Standard",
        "shipping_address": {"city": "Phoenix", "state_code": "AZ"},
        "payments": [{"method": "Card", "amount": total}],
        "placed_at": NOW,
        "channel_updated_at": NOW,
        "raw": {"id": "x", "line_items": [{"id": "1"}]},
    }
    fields.update(changes)
    return fields


def _line(sku: str, quantity: int, price: str = "10.00") -> LineData:
    return LineData(
        sku=sku,
        quantity=quantity,
        unit_price=Decimal(price),
        product_name=f"Product {sku}",
        external_line_ids=tuple(f"{sku}-{n}" for n in range(quantity)),
    )


def _lines(session: Session, external_id: str) -> dict[str, tuple[int, Decimal, list[str]]]:
    order = session.scalars(select(Order).where(Order.external_id == external_id)).one()
    return {
        line.sku: (line.quantity, line.unit_price, line.external_line_ids)
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
    }


def test_a_page_is_created_with_its_lines_and_results_in_the_given_order(session: Session) -> None:
    connection = _connection(session)
    page = [
        OrderData("300", _fields(total="30.00"), [_line("A", 2), _line("B", 1)]),
        OrderData("100", _fields(status="onHold", total="10.00"), [_line("A", 1)]),
        OrderData("200", _fields(total="20.00"), []),
    ]
    results = OrderRepository(session).upsert_many(connection.id, page)
    assert [(r.external_id, r.created) for r in results] == [("300", True), ("100", True), ("200", True)]
    session.expire_all()
    orders = {o.external_id: o for o in session.scalars(select(Order))}
    assert {r.external_id: r.order_id for r in results} == {k: o.id for k, o in orders.items()}
    assert orders["100"].status == "onHold" and orders["300"].total == Decimal("30.00")
    assert orders["300"].shipping_address == {"city": "Phoenix", "state_code": "AZ"}
    assert orders["300"].placed_at == NOW and orders["300"].created_at is not None
    assert _lines(session, "300") == {
        "A": (2, Decimal("10.00"), ["A-0", "A-1"]),
        "B": (1, Decimal("10.00"), ["B-0"]),
    }
    assert _lines(session, "200") == {}


def test_a_second_page_writes_only_what_changed_and_replaces_lines(session: Session) -> None:
    connection = _connection(session)
    repository = OrderRepository(session)
    repository.upsert_many(
        connection.id,
        [
            OrderData("same", _fields(), [_line("A", 1)]),
            OrderData("moved", _fields(), [_line("A", 1), _line("B", 2), _line("C", 1)]),
        ],
    )
    session.execute(update(Order).values(updated_at=LONG_AGO))
    results = repository.upsert_many(
        connection.id,
        [
            # The same payload, now already serialised: still recognised as unchanged.
            OrderData("same", _fields(raw=EncodedJson(json.dumps(_fields()["raw"]))), [_line("A", 1)]),
            OrderData(
                "moved",
                _fields(status="canceled", channel_status="CANCELLED"),
                [_line("A", 3), _line("D", 1)],
            ),
            OrderData("fresh", _fields(raw=EncodedJson('{"id":"fresh","n":[1,2]}')), [_line("A", 1)]),
        ],
    )
    assert [(r.external_id, r.created) for r in results] == [
        ("same", False),
        ("moved", False),
        ("fresh", True),
    ]
    session.expire_all()
    orders = {o.external_id: o for o in session.scalars(select(Order))}
    assert orders["same"].updated_at == LONG_AGO  # re-read unchanged: not written
    assert orders["fresh"].raw == {"id": "fresh", "n": [1, 2]}  # stored as a document, not a string
    assert orders["moved"].updated_at > LONG_AGO and orders["moved"].status == "canceled"
    assert orders["moved"].channel_status == "CANCELLED"
    assert _lines(session, "moved") == {
        "A": (3, Decimal("10.00"), ["A-0", "A-1", "A-2"]),
        "D": (1, Decimal("10.00"), ["D-0"]),
    }
    assert len(session.scalars(select(Order)).all()) == 3


def test_an_id_given_twice_in_a_page_is_created_once_with_its_last_values(session: Session) -> None:
    connection = _connection(session)
    results = OrderRepository(session).upsert_many(
        connection.id,
        [
            OrderData("7", _fields(status="onHold"), [_line("A", 1)]),
            OrderData("7", _fields(status="readyForFulfillment"), [_line("B", 2)]),
        ],
    )
    assert [r.created for r in results] == [True, False] and results[0].order_id == results[1].order_id
    session.expire_all()
    (order,) = session.scalars(select(Order)).all()
    assert order.status == "readyForFulfillment" and set(_lines(session, "7")) == {"B"}


def test_objects_the_session_holds_are_read_afresh_after_a_page(session: Session) -> None:
    connection = _connection(session)
    repository = OrderRepository(session)
    held, _ = repository.upsert(connection.id, "9", _fields(status="onHold"), [_line("A", 1), _line("B", 1)])
    held_lines = {line.sku: line for line in repository.lines(held)}
    repository.upsert_many(connection.id, [OrderData("9", _fields(status="new"), [_line("A", 4)])])
    assert held.status == "new"
    assert held_lines["A"].quantity == 4
    assert held_lines["B"] not in session  # deleted by the page: no longer in the session
    assert [line.sku for line in repository.lines(held)] == ["A"]


def test_single_upsert_returns_the_stored_order(session: Session) -> None:
    connection = _connection(session)
    order, created = OrderRepository(session).upsert(connection.id, "5", _fields(), [_line("A", 1)])
    again, created_again = OrderRepository(session).upsert(connection.id, "5", _fields(total="12.50"), [])
    assert created and not created_again and again is order
    assert order.total == Decimal("12.50") and OrderRepository(session).lines(order) == []


def _open_record(
    session: Session,
    connection: Connection,
    entity_id: str,
    flow: str = "pull_orders",
    code: str = "sku.unmapped",
) -> None:
    ExceptionRepository(session).observe(
        code=code,
        category="ingestion",
        entity_type="order",
        entity_id=entity_id,
        message="m",
        now=NOW,
        connection_id=connection.id,
        flow=flow,
    )


def test_tracker_finish_resolves_a_whole_run_in_one_query(session: Session) -> None:
    connection = _connection(session)
    other = _connection(session, "tiktok-uk")
    for n in range(50):
        _open_record(session, connection, str(n))
    # Same flow and order id in another shop: not this run's to resolve.
    _open_record(session, other, "1", code="tiktok.record_invalid")
    _open_record(session, connection, "150", flow="push_orders")  # checked, but another flow's record
    tracker = ExceptionTracker(ExceptionRepository(session), "pull_orders", connection.id, NOW)
    for n in range(200):
        tracker.checked("order", str(n))
    tracker.observe(
        code="sku.unmapped", category="ingestion", entity_type="order", entity_id="7", message="m"
    )
    queries: list[str] = []

    def count(state: ORMExecuteState) -> None:
        queries.append(str(state.statement))

    event.listen(session, "do_orm_execute", count)
    try:
        assert tracker.finish() == 49
    finally:
        event.remove(session, "do_orm_execute", count)
    assert len(queries) == 1
    still_open = {
        (r.connection_id, r.flow, r.entity_id) for r in ExceptionRepository(session).list_open(limit=1000)
    }
    assert still_open == {
        (connection.id, "pull_orders", "7"),
        (other.id, "pull_orders", "1"),
        (connection.id, "push_orders", "150"),
    }
