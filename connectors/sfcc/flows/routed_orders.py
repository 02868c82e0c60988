"""Find the store order behind an SFCC order number (only orders this connection created)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Order, OrderRoute


def order_for_sfcc_number(session: Session, connection_id: int, order_no: str) -> Order | None:
    """The order routed to this SFCC connection under `order_no`, or None for anyone else's."""
    return session.scalar(
        select(Order)
        .join(OrderRoute, OrderRoute.order_id == Order.id)
        .where(
            OrderRoute.destination_connection_id == connection_id,
            OrderRoute.external_id == order_no,
        )
    )
