"""Finding the store rows a tool is asked about, with errors that say what to pass instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Connection, Order, OrderLine, OrderRoute, Product
from tools.registry import ToolError


def find_order(session: Session, order_id: str) -> Order:
    """An order by its channel id (e.g. TikTok's 576653688135258178) or by Shopwright's row id."""
    key = order_id.strip()
    matches = list(session.scalars(select(Order).where(Order.external_id == key)))
    if len(matches) > 1:
        raise ToolError(
            f"Order id {key} exists on several connections; ask about it with the connection name.",
            code="tool.ambiguous",
        )
    if matches:
        return matches[0]
    if key.isdigit() and len(key) < 12:
        order = session.get(Order, int(key))
        if order is not None:
            return order
    raise ToolError(
        f"No order {key} is in the store. Check the id, or wait for the next TikTok order pull "
        "(see flow_status) if the order is new.",
        code="tool.not_found",
    )


def order_lines(session: Session, order: Order) -> list[OrderLine]:
    return list(
        session.scalars(select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.id))
    )


def order_routes(session: Session, order: Order) -> list[OrderRoute]:
    return list(
        session.scalars(select(OrderRoute).where(OrderRoute.order_id == order.id).order_by(OrderRoute.id))
    )


def connection_names(session: Session) -> dict[int, str]:
    return {c.id: c.name for c in session.scalars(select(Connection))}


def find_product(session: Session, sku: str) -> Product:
    """A product by its exact master SKU, or a ToolError that points at find_sku."""
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise ToolError(
            f"No product has the master SKU {sku!r}. Use find_sku to look for near misses "
            "(case and whitespace).",
            code="tool.not_found",
        )
    return product


def normalise_sku(sku: str) -> str:
    """The form two SKUs share when they differ only by case or whitespace."""
    return "".join(sku.split()).casefold()


def near_miss_skus(session: Session, sku: str, *, limit: int = 10) -> list[str]:
    """Master SKUs that equal ``sku`` once case and whitespace are ignored (never ``sku`` itself).

    The comparison runs in Python because neither SQLite nor PostgreSQL can strip inner
    whitespace and fold case the same way in a portable query.
    """
    target = normalise_sku(sku)
    if not target:
        return []
    candidates: Sequence[str] = session.scalars(select(Product.sku)).all()
    found = [c for c in candidates if c != sku and normalise_sku(c) == target]
    return sorted(found)[:limit]


def payment_method_of(order: Order) -> str | None:
    """The TikTok payment method name of an order, read from its stored payments."""
    payments: Any = order.payments or []
    if isinstance(payments, dict):
        payments = [payments]
    for payment in payments:
        if not isinstance(payment, dict):
            continue
        for key in ("payment_method_name", "payment_method", "method", "name"):
            value = payment.get(key)
            if isinstance(value, str) and value:
                return value
    raw = order.raw if isinstance(order.raw, dict) else {}
    value = raw.get("payment_method_name")
    return value if isinstance(value, str) and value else None
