"""Writing a page of orders with their lines in a few statements, whatever the page's size.

A pull reads orders a page at a time (up to 100). Writing each order on its own costs several
queries and flushes per order, which caps a pull far below the channel's rate limit. Here a page
costs two reads (its existing orders, their lines) and at most one statement per kind of write:
new orders (INSERT ... RETURNING), changed orders (UPDATE by id, executemany), and new, changed and
gone lines. An order or line whose values did not change is not written, so ``updated_at`` keeps
meaning "last changed".

Core statements bypass the session's identity map, so objects of the written rows that the session
already holds are expired (or, for deleted lines, expunged) to be read afresh on next use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from store.models import Order, OrderLine
from store.session import EncodedJson

# Ids per IN (...) list: far below SQLite's bound-parameter limit, and short statements.
_CHUNK = 500
_LINE_VALUES = ("quantity", "unit_price", "product_name", "discount", "external_line_ids", "status")
_ORDERS: Table = Order.__table__  # type: ignore[assignment]
_LINES: Table = OrderLine.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class LineData:
    """One aggregated order line as a connector hands it to the store."""

    sku: str
    quantity: int
    unit_price: Decimal
    product_name: str | None = None
    discount: Decimal = Decimal(0)
    external_line_ids: tuple[str, ...] = ()
    status: str | None = None

    def values(self) -> dict[str, Any]:
        """The line's columns besides its order and SKU."""
        return {
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "product_name": self.product_name,
            "discount": self.discount,
            "external_line_ids": list(self.external_line_ids),
            "status": self.status,
        }


@dataclass(frozen=True)
class OrderData:
    """One order as a connector hands it to the store: channel id, Order columns, lines."""

    external_id: str
    fields: dict[str, Any]
    lines: Sequence[LineData] = ()


@dataclass(frozen=True)
class UpsertedOrder:
    """What happened to one order of a page."""

    order_id: int
    external_id: str
    created: bool


@dataclass
class _LineChanges:
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _by_keys(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    """Rows grouped by their set of keys: one executemany needs the same columns in every row."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return groups.values()


class OrderPageWriter:
    """Upserts a page of orders of one connection, keyed by (connection, external id)."""

    def __init__(self, session: Session, connection_id: int) -> None:
        self.session = session
        self.connection_id = connection_id

    def write(self, orders: Sequence[OrderData]) -> list[UpsertedOrder]:
        if not orders:
            return []
        self.session.flush()  # pending ORM changes first: the statements below bypass the unit of work
        latest = {order.external_id: order for order in orders}  # an id given twice: the last one wins
        existing = self._existing_orders(list(latest))
        ids = {external_id: row["id"] for external_id, row in existing.items()}
        changed = [
            {"id": ids[external_id], **order.fields}
            for external_id, order in latest.items()
            if external_id in existing and _differs(existing[external_id], order.fields)
        ]
        new = [order for external_id, order in latest.items() if external_id not in existing]
        ids.update(self._insert_orders(new))
        self._update(_ORDERS, Order, changed)
        self._write_lines(latest, ids, existing_ids=[row["id"] for row in existing.values()])
        results, created = [], set()
        for order in orders:
            is_new = order.external_id not in existing and order.external_id not in created
            created.add(order.external_id)
            results.append(UpsertedOrder(ids[order.external_id], order.external_id, is_new))
        return results

    def _existing_orders(self, external_ids: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(external_ids):
            query = select(_ORDERS).where(
                _ORDERS.c.connection_id == self.connection_id, _ORDERS.c.external_id.in_(chunk)
            )
            for row in self.session.execute(query).mappings():
                found[row["external_id"]] = dict(row)
        return found

    def _insert_orders(self, new: list[OrderData]) -> dict[str, int]:
        rows = [{"connection_id": self.connection_id, "external_id": o.external_id, **o.fields} for o in new]
        ids: dict[str, int] = {}
        for group in _by_keys(rows):
            # RETURNING names each row's external id, so rows may come back in any order: that lets
            # SQLite insert the page in one multi-row statement instead of row by row.
            statement = insert(_ORDERS).returning(_ORDERS.c.id, _ORDERS.c.external_id)
            for order_id, external_id in self.session.execute(statement, group):
                ids[external_id] = order_id
        return ids

    def _write_lines(
        self, orders: dict[str, OrderData], ids: dict[str, int], existing_ids: list[int]
    ) -> None:
        stored: dict[int, dict[str, dict[str, Any]]] = {}
        for chunk in _chunks(existing_ids):
            query = select(_LINES).where(_LINES.c.order_id.in_(chunk))
            for row in self.session.execute(query).mappings():
                stored.setdefault(row["order_id"], {})[row["sku"]] = dict(row)
        changes = _LineChanges()
        for external_id, order in orders.items():
            order_id = ids[external_id]
            before = stored.get(order_id, {})
            wanted = {line.sku for line in order.lines}
            changes.deletes.extend(gone["id"] for sku, gone in before.items() if sku not in wanted)
            for line in order.lines:
                values = line.values()
                found = before.get(line.sku)
                if found is None:
                    changes.inserts.append({"order_id": order_id, "sku": line.sku, **values})
                elif _differs(found, values):
                    changes.updates.append({"id": found["id"], **values})
        for chunk in _chunks(changes.deletes):
            self.session.execute(delete(_LINES).where(_LINES.c.id.in_(chunk)))
        self._forget(OrderLine, changes.deletes, deleted=True)
        if changes.inserts:
            self.session.execute(insert(_LINES), changes.inserts)
        self._update(_LINES, OrderLine, changes.updates)

    def _update(self, table: Table, model: type[Any], rows: list[dict[str, Any]]) -> None:
        """UPDATE ... WHERE id = :id for each row (executemany); onupdate columns still apply."""
        for group in _by_keys(rows):
            columns = [key for key in group[0] if key != "id"]
            statement = (
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({column: bindparam(f"new_{column}") for column in columns})
            )
            self.session.execute(
                statement,
                [{"row_id": row["id"], **{f"new_{c}": row[c] for c in columns}} for row in group],
            )
        self._forget(model, [row["id"] for row in rows], deleted=False)

    def _forget(self, model: type[Any], row_ids: list[int], *, deleted: bool) -> None:
        identity_map = self.session.identity_map
        for row_id in row_ids:
            held = identity_map.get(identity_key(model, row_id))
            if held is None:
                continue
            if deleted:
                self.session.expunge(held)
            else:
                self.session.expire(held)


def _differs(row: dict[str, Any], values: dict[str, Any]) -> bool:
    """True when a stored row differs from the values to write (money compares as numbers)."""
    for key, value in values.items():
        stored = row.get(key)
        if isinstance(value, EncodedJson):
            if stored != json.loads(value):
                return True
        elif stored != value:
            return True
    return False
