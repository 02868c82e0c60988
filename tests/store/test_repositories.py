"""Store behaviour, run on SQLite and PostgreSQL from the same code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import Connection, ExceptionRecord, Order
from store.repositories import (
    AuditRepository,
    ConnectionRepository,
    ExceptionRepository,
    ExceptionTracker,
    FlowCursorRepository,
    LeaseRepository,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _connection(session: Session, name: str = "tiktok-us") -> Connection:
    return ConnectionRepository(session).upsert(name, "tiktok", {"region": "US"})


def _order(connection: Connection, external_id: str, total: str) -> Order:
    return Order(
        connection_id=connection.id,
        external_id=external_id,
        status="new",
        currency="USD",
        subtotal=Decimal(total),
        shipping_fee=Decimal("0"),
        tax=Decimal("0"),
        discount=Decimal("0"),
        total=Decimal(total),
        placed_at=NOW,
    )


def test_order_money_round_trips_as_exact_decimal(session: Session) -> None:
    connection = _connection(session)
    session.add(_order(connection, "576653688135258178", "19.9900"))
    session.flush()
    session.expire_all()
    order = session.scalars(select(Order)).one()
    assert order.total == Decimal("19.99")
    assert isinstance(order.total, Decimal)
    assert order.total + Decimal("0.01") == Decimal("20.00")


def test_timestamps_come_back_tz_aware_utc(session: Session) -> None:
    connection = _connection(session)
    local = datetime(2026, 11, 23, 14, 0, tzinfo=UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Paris")
    )
    order = _order(connection, "1", "1")
    order.placed_at = local
    session.add(order)
    session.flush()
    session.expire_all()
    stored = session.scalars(select(Order)).one().placed_at
    assert stored is not None and stored.tzinfo is not None
    assert stored == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def test_naive_datetime_is_refused(session: Session) -> None:
    connection = _connection(session)
    order = _order(connection, "1", "1")
    order.placed_at = datetime(2026, 1, 1)
    session.add(order)
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_order_is_unique_per_connection_and_external_id(session: Session) -> None:
    connection = _connection(session)
    session.add(_order(connection, "42", "1"))
    session.flush()
    session.add(_order(connection, "42", "2"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_sku_match_is_exact_case_and_whitespace(session: Session) -> None:
    from store.models import Product

    session.add_all(
        [
            Product(sku="TSHIRT-RED", title="Red"),
            Product(sku="tshirt-red", title="red"),
            Product(sku="TSHIRT-RED ", title="Red with space"),
        ]
    )
    session.flush()
    assert len(session.scalars(select(Product)).all()) == 3


def test_exception_observe_upserts_by_entity_and_code(session: Session) -> None:
    connection = _connection(session)
    repository = ExceptionRepository(session)
    first = repository.observe(
        code="sku.unmapped",
        category="ingestion",
        entity_type="order",
        entity_id="1",
        message="SKU X unknown",
        now=NOW,
        connection_id=connection.id,
    )
    again = repository.observe(
        code="sku.unmapped",
        category="ingestion",
        entity_type="order",
        entity_id="1",
        message="SKU X still unknown",
        now=NOW + timedelta(minutes=5),
    )
    other = repository.observe(
        code="mapping.shipping_method_missing",
        category="routing",
        entity_type="order",
        entity_id="1",
        message="no method",
        now=NOW,
    )
    assert first.id == again.id and other.id != first.id
    assert again.count == 2
    assert again.first_seen_at == NOW and again.last_seen_at == NOW + timedelta(minutes=5)
    assert again.message == "SKU X still unknown"
    assert len(repository.list_open(entity_type="order", entity_id="1")) == 2


def test_exception_reopens_as_a_new_record_after_resolution(session: Session) -> None:
    repository = ExceptionRepository(session)
    first = repository.observe(
        code="sku.unmapped", category="ingestion", entity_type="order", entity_id="1", message="m", now=NOW
    )
    repository.resolve(first, now=NOW, by="auto")
    second = repository.observe(
        code="sku.unmapped",
        category="ingestion",
        entity_type="order",
        entity_id="1",
        message="m",
        now=NOW + timedelta(hours=1),
    )
    assert second.id != first.id and second.count == 1
    assert [r.status for r in repository.for_entity("order", "1")] == ["open", "resolved"]


def test_only_one_open_record_per_entity_and_code_is_allowed(session: Session) -> None:
    for _ in range(2):
        session.add(
            ExceptionRecord(
                category="ingestion",
                code="sku.unmapped",
                entity_type="order",
                entity_id="9",
                message="m",
                first_seen_at=NOW,
                last_seen_at=NOW,
                status="open",
            )
        )
    with pytest.raises(IntegrityError):
        session.flush()


def test_tracker_auto_resolves_what_a_later_run_no_longer_sees(session: Session) -> None:
    connection = _connection(session)
    repository = ExceptionRepository(session)
    run1 = ExceptionTracker(repository, "push_orders", connection.id, NOW)
    run1.observe(
        code="sfcc.invalid_shipping_method",
        category="routing",
        entity_type="order",
        entity_id="A",
        message="bad method",
    )
    run1.observe(
        code="sfcc.invalid_shipping_method",
        category="routing",
        entity_type="order",
        entity_id="B",
        message="bad method",
    )
    run1.finish()
    run2 = ExceptionTracker(repository, "push_orders", connection.id, NOW + timedelta(minutes=1))
    run2.checked("order", "A")  # A went through this time
    run2.observe(
        code="sfcc.invalid_shipping_method",
        category="routing",
        entity_type="order",
        entity_id="B",
        message="bad method",
    )
    assert run2.finish() == 1
    assert repository.list_open(entity_id="A") == []
    (still_open,) = repository.list_open(entity_id="B")
    assert still_open.count == 2
    resolved = repository.for_entity("order", "A")[0]
    assert resolved.status == "resolved" and resolved.resolved_by == "auto"


def test_tracker_leaves_other_flows_exceptions_alone(session: Session) -> None:
    repository = ExceptionRepository(session)
    repository.observe(
        code="sku.unmapped",
        category="ingestion",
        entity_type="order",
        entity_id="A",
        message="m",
        now=NOW,
        flow="pull_orders",
    )
    tracker = ExceptionTracker(repository, "push_orders", None, NOW)
    tracker.checked("order", "A")
    assert tracker.finish() == 0
    assert len(repository.list_open(entity_id="A")) == 1


def test_cursor_is_written_and_read_back(session: Session) -> None:
    cursors = FlowCursorRepository(session)
    assert cursors.get("tiktok-us", "pull_orders") is None
    cursors.set("tiktok-us", "pull_orders", {"update_time": 1700000000}, now=NOW)
    cursors.set("tiktok-us", "pull_orders", {"update_time": 1700000100}, now=NOW)
    assert cursors.get("tiktok-us", "pull_orders") == {"update_time": 1700000100}


def test_lease_claim_excludes_a_second_holder_until_expiry(session: Session) -> None:
    leases = LeaseRepository(session)
    leases.ensure("tiktok-us", "pull_orders", due_at=NOW)
    leases.ensure("tiktok-us", "pull_orders", due_at=NOW + timedelta(days=1))  # no-op
    assert leases.get("tiktok-us", "pull_orders").next_due_at == NOW  # type: ignore[union-attr]
    ttl = timedelta(minutes=5)
    assert leases.claim("tiktok-us", "pull_orders", holder="a:1", now=NOW, ttl=ttl)
    assert not leases.claim("tiktok-us", "pull_orders", holder="b:2", now=NOW + timedelta(minutes=1), ttl=ttl)
    assert leases.claim("tiktok-us", "pull_orders", holder="b:2", now=NOW + timedelta(minutes=6), ttl=ttl)
    leases.release("tiktok-us", "pull_orders", holder="a:1")  # stale holder cannot release b's claim
    assert leases.get("tiktok-us", "pull_orders").holder == "b:2"  # type: ignore[union-attr]


def test_audit_log_keeps_before_and_after(session: Session) -> None:
    audit = AuditRepository(session)
    audit.append(
        actor="U123",
        action="map_sku",
        entity_type="channel_listing",
        entity_id="7",
        before={"channel_sku": None},
        after={"channel_sku": "SF-1"},
        at=NOW,
        source="slack:C1/1700.1",
    )
    (entry,) = audit.for_entity("channel_listing", "7")
    assert entry.before == {"channel_sku": None} and entry.after == {"channel_sku": "SF-1"}


def test_connection_token_repr_hides_tokens(session: Session) -> None:
    connection = _connection(session)
    token = ConnectionRepository(session).save_token(
        connection.id, "tiktok", {"access_token": "ROW_secret_token_value"}, expires_at=NOW, now=NOW
    )
    assert "ROW_secret_token_value" not in repr(token)
