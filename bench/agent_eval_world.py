"""The seeded shop of ``bench/agent_eval.py``: built from the ``world`` of the task file.

A task may patch connection settings before it runs (``setup.settings``); everything else comes
from one world, so the same store answers every task. Times are relative to the evaluation's
frozen clock, so a task's expected facts ("on hold until 12:25 UTC") never drift.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from store.models import (
    AttributeProposal,
    ChannelListing,
    Connection,
    ExceptionRecord,
    FlowRun,
    Fulfillment,
    InventoryLevel,
    Lease,
    Location,
    Order,
    OrderLine,
    OrderRoute,
    Product,
)
from store.models import Mapping as MappingRow

# Tables whose rows a task may change; every other change is a failure (tau-bench's state check).
WATCHED = (MappingRow, ChannelListing, OrderRoute, ExceptionRecord, AttributeProposal, Product, Order)


@dataclass
class WorldIds:
    """Row ids the task text refers to as ``{exception:CODE}`` and ``{proposal:SKU}``."""

    exceptions: dict[str, int] = field(default_factory=dict)
    proposals: dict[str, int] = field(default_factory=dict)

    def resolve(self, text: str) -> str:
        for code, number in self.exceptions.items():
            text = text.replace(f"{{exception:{code}}}", str(number))
        for sku, number in self.proposals.items():
            text = text.replace(f"{{proposal:{sku}}}", str(number))
        return text


def build_world(sessions: sessionmaker[Session], world: Mapping[str, Any], now: datetime) -> WorldIds:
    """Insert the world into an empty, migrated store."""
    ids = WorldIds()
    with sessions.begin() as session:
        connections = {c["name"]: _add(session, Connection(enabled=True, **c)) for c in world["connections"]}
        products = {p["sku"]: _add(session, Product(**p)) for p in world["products"]}
        for listing in world.get("listings", []):
            values = dict(listing)
            product = products[values.pop("sku")]
            connection = connections[values.pop("connection")]
            values.setdefault("missing_attributes", [])
            values.setdefault("validation_errors", [])
            _add(session, ChannelListing(product_id=product.id, connection_id=connection.id, **values))
        for row in world.get("mappings", []):
            values = dict(row)
            connection = connections[values.pop("connection")]
            _add(session, MappingRow(connection_id=connection.id, **values))
        for order in world.get("orders", []):
            _add_order(session, order, connections, ids, now)
        for record in world.get("exceptions", []):
            _add_exception(session, dict(record), connections, ids, now)
        for proposal in world.get("proposals", []):
            values = dict(proposal)
            product = products[values.pop("sku")]
            connection = connections[values.pop("connection")]
            proposal_row = AttributeProposal(product_id=product.id, connection_id=connection.id, **values)
            row = _add(session, proposal_row)
            ids.proposals[product.sku] = row.id
        for location in world.get("locations", []):
            values = dict(location)
            levels = values.pop("levels", [])
            connection = connections[values.pop("connection")]
            place = _add(session, Location(connection_id=connection.id, **values))
            for level in levels:
                _add(session, InventoryLevel(location_id=place.id, at=now, **level))
        for lease in world.get("flows", []):
            _add_flow(session, dict(lease), now)
    return ids


def apply_setup(sessions: sessionmaker[Session], setup: Mapping[str, Any], now: datetime) -> None:
    """A task's own additions: patched connection settings (push_orders off), extra failures."""
    with sessions.begin() as session:
        connections = {c.name: c for c in session.scalars(select(Connection))}
        for name, patch in (setup.get("settings") or {}).items():
            if name not in connections:
                raise ValueError(f"setup names connection {name!r}, which the world does not have")
            connections[name].settings = dict(connections[name].settings or {}) | dict(patch)
        for record in setup.get("exceptions") or []:
            _add_exception(session, dict(record), connections, WorldIds(), now)


def snapshot(sessions: sessionmaker[Session]) -> dict[tuple[str, int], dict[str, Any]]:
    """Every watched row, keyed by (table, id), without timestamps (they move on every write)."""
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    with sessions() as session:
        for model in WATCHED:
            for row in session.scalars(select(model)):
                state = {
                    column.key: getattr(row, column.key)
                    for column in inspect(model).column_attrs
                    if not column.key.endswith("_at")
                }
                rows[(model.__tablename__, row.id)] = state
    return rows


def changed_rows(
    before: Mapping[tuple[str, int], dict[str, Any]], after: Mapping[tuple[str, int], dict[str, Any]]
) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """(table, row after) for each added, removed (None) or changed watched row."""
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            yield key[0], after.get(key)


def _add(session: Session, row: Any) -> Any:
    session.add(row)
    session.flush()
    return row


def _add_order(
    session: Session,
    spec: Mapping[str, Any],
    connections: dict[str, Connection],
    ids: WorldIds,
    now: datetime,
) -> None:
    values = dict(spec)
    source = connections[values.pop("connection", "tiktok-us")]
    skus = values.pop("skus")
    route = values.pop("route", None)
    exceptions = values.pop("exceptions", [])
    fulfillments = values.pop("fulfillments", [])
    hold = values.pop("hold_minutes", None)
    total = Decimal(str(values.pop("total", "20.00")))
    order = _add(
        session,
        Order(
            connection_id=source.id,
            external_id=values.pop("id"),
            currency="USD",
            subtotal=total,
            shipping_fee=Decimal(0),
            tax=Decimal(0),
            discount=Decimal(0),
            total=total,
            placed_at=now - timedelta(hours=2),
            hold_until=now + timedelta(minutes=hold) if hold is not None else None,
            **values,
        ),
    )
    for sku in skus:
        _add(session, OrderLine(order_id=order.id, sku=sku, quantity=1, unit_price=total))
    if route is not None:
        route_values = dict(route)
        destination = connections[route_values.pop("destination", "sfcc-main")]
        _add(session, OrderRoute(order_id=order.id, destination_connection_id=destination.id, **route_values))
    for shipment in fulfillments:
        sfcc = connections[shipment.get("source", "sfcc-main")]
        fields = {k: v for k, v in shipment.items() if k != "source"}
        _add(session, Fulfillment(order_id=order.id, source_connection_id=sfcc.id, **fields))
    for record in exceptions:
        entry = {"entity_type": "order", "entity_id": order.external_id, **record}
        _add_exception(session, entry, connections, ids, now)


def _add_exception(
    session: Session, values: dict[str, Any], connections: dict[str, Connection], ids: WorldIds, now: datetime
) -> None:
    connection = connections.get(values.pop("connection", "sfcc-main"))
    row = _add(
        session,
        ExceptionRecord(
            connection_id=connection.id if connection else None,
            first_seen_at=now - timedelta(minutes=30),
            last_seen_at=now - timedelta(minutes=5),
            count=values.pop("count", 1),
            status="open",
            **values,
        ),
    )
    ids.exceptions.setdefault(row.code, row.id)


def _add_flow(session: Session, values: dict[str, Any], now: datetime) -> None:
    outcome = values.pop("outcome", "success")
    _add(
        session,
        Lease(next_due_at=now + timedelta(minutes=1), last_outcome=outcome, last_run_at=now, **values),
    )
    _add(
        session,
        FlowRun(
            holder="bench",
            started_at=now - timedelta(seconds=30),
            finished_at=now - timedelta(seconds=29),
            duration_ms=850,
            outcome=outcome,
            counts={},
            **values,
        ),
    )
