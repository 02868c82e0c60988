"""What the story checks: the store's view of each order, and SFCC's, compared with the plan.

Each function reads the store (or takes what a sandbox returned) and answers with the orders that
do not match, so a check can name them instead of merely failing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.sfcc.order_mapping import order_number_for
from demo.orders import PlannedOrder
from store.models import ExceptionRecord, Fulfillment, Order, OrderRoute


@dataclass(frozen=True)
class StoredOrder:
    """An order as the store holds it, with its SFCC route if it has one."""

    external_id: str
    status: str
    route_state: str | None
    sfcc_number: str | None
    open_codes: frozenset[str]


def stored_orders(session_factory: sessionmaker[Session]) -> dict[str, StoredOrder]:
    """Every order of the store, by TikTok order id."""
    with session_factory() as session:
        rows = session.execute(
            select(Order.external_id, Order.status, OrderRoute.state, OrderRoute.external_id).outerjoin(
                OrderRoute, OrderRoute.order_id == Order.id
            )
        ).all()
        codes: dict[str, set[str]] = {}
        for entity, code in session.execute(
            select(ExceptionRecord.entity_id, ExceptionRecord.code).where(
                ExceptionRecord.entity_type == "order", ExceptionRecord.status == "open"
            )
        ):
            codes.setdefault(entity, set()).add(code)
    return {
        external: StoredOrder(external, status, state, number, frozenset(codes.get(external, ())))
        for external, status, state, number in rows
    }


def fulfillment_codes(session_factory: sessionmaker[Session]) -> dict[str, set[str]]:
    """TikTok order id -> codes of the open exceptions on its fulfillments."""
    with session_factory() as session:
        rows = session.execute(
            select(Order.external_id, ExceptionRecord.code)
            .join(Fulfillment, Fulfillment.order_id == Order.id)
            .join(
                ExceptionRecord,
                (ExceptionRecord.entity_type == "fulfillment")
                & (ExceptionRecord.entity_id == Fulfillment.external_id),
            )
            .where(ExceptionRecord.status == "open")
        ).all()
    codes: dict[str, set[str]] = {}
    for order_id, code in rows:
        codes.setdefault(order_id, set()).add(code)
    return codes


def sfcc_number(order: PlannedOrder) -> str:
    """The SFCC order number the push gives this order (default prefix)."""
    return order_number_for(order.order_id)


def mismatches(orders: Iterable[PlannedOrder], stored: dict[str, StoredOrder], want: str) -> list[str]:
    """Ids of ``orders`` whose stored state is not ``want``.

    ``want`` is one of: ``created`` (route created), ``not_pushed`` (no route, or one that never
    reached SFCC), ``held`` (status onHold), ``canceled`` (route canceled downstream), or an
    exception code that must be open on the order.
    """
    wrong = []
    for order in orders:
        found = stored.get(order.order_id)
        if found is None:
            wrong.append(order.order_id)
            continue
        ok = {
            "created": found.route_state == "created",
            "not_pushed": found.route_state in (None, "pending", "failed", "canceled")
            and found.route_state != "created",
            "held": found.status == "onHold",
            "canceled": found.route_state == "canceled",
        }.get(want, want in found.open_codes)
        if not ok:
            wrong.append(order.order_id)
    return wrong


def describe(wrong: list[str], stored: dict[str, StoredOrder], limit: int = 3) -> str:
    """The first few wrong orders with what the store says about them."""
    parts = []
    for order_id in wrong[:limit]:
        found = stored.get(order_id)
        if found is None:
            parts.append(f"{order_id} (not in the store)")
        else:
            codes = ",".join(sorted(found.open_codes)) or "no exception"
            parts.append(f"{order_id} ({found.status}, route {found.route_state}, {codes})")
    more = f" and {len(wrong) - limit} more" if len(wrong) > limit else ""
    return "; ".join(parts) + more


def sfcc_quantities(document: dict[str, object]) -> dict[str, int]:
    """SKU -> quantity of an SFCC order document."""
    items = document.get("product_items") or []
    result: dict[str, int] = {}
    for item in items if isinstance(items, list) else []:
        result[str(item["product_id"])] = result.get(str(item["product_id"]), 0) + int(item["quantity"])
    return result


def planned_quantities(order: PlannedOrder, removed_units: int = 0) -> dict[str, int]:
    """SKU -> quantity the plan expects in SFCC (the last line loses ``removed_units``)."""
    result: dict[str, int] = {}
    for position, line in enumerate(order.lines):
        quantity = line.quantity - (removed_units if position == len(order.lines) - 1 else 0)
        if quantity > 0:
            result[line.seller_sku] = result.get(line.seller_sku, 0) + quantity
    return result
