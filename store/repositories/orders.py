"""Orders, their lines and their routes to downstream systems."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from store.models import Fulfillment, Order, OrderLine, OrderRoute
from store.repositories.order_pages import LineData, OrderData, OrderPageWriter, UpsertedOrder

__all__ = [
    "FulfillmentRepository",
    "LineData",
    "OrderData",
    "OrderRepository",
    "OrderRouteRepository",
    "UpsertedOrder",
]


class OrderRepository:
    """Order rows with their lines; upserts keyed by (connection, external id)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_external_id(self, connection_id: int, external_id: str) -> Order | None:
        return self.session.scalar(
            select(Order).where(Order.connection_id == connection_id, Order.external_id == external_id)
        )

    def find_by_external_id(self, external_id: str) -> Sequence[Order]:
        """Orders with this channel id on any connection (people quote ids without the shop)."""
        return self.session.scalars(select(Order).where(Order.external_id == external_id)).all()

    def get_by_id(self, order_id: int) -> Order | None:
        return self.session.get(Order, order_id)

    def lines(self, order: Order) -> Sequence[OrderLine]:
        return self.session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.sku)
        ).all()

    def upsert(
        self, connection_id: int, external_id: str, fields: dict[str, Any], lines: Sequence[LineData]
    ) -> tuple[Order, bool]:
        """Create or update an order and replace its lines; returns (order, created)."""
        (result,) = self.upsert_many(connection_id, [OrderData(external_id, fields, tuple(lines))])
        order = self.session.get(Order, result.order_id, populate_existing=True)
        assert order is not None
        return order, result.created

    def upsert_many(self, connection_id: int, orders: Sequence[OrderData]) -> list[UpsertedOrder]:
        """Create or update a page of orders and replace their lines, in a few statements in all.

        Returns one result per item of ``orders``, in order (an id given twice is created once).
        """
        return OrderPageWriter(self.session, connection_id).write(orders)

    def search(
        self,
        *,
        status: str | None = None,
        connection_id: int | None = None,
        updated_since: datetime | None = None,
        limit: int = 50,
    ) -> Sequence[Order]:
        query = select(Order)
        if status is not None:
            query = query.where(Order.status == status)
        if connection_id is not None:
            query = query.where(Order.connection_id == connection_id)
        if updated_since is not None:
            query = query.where(Order.updated_at >= updated_since)
        return self.session.scalars(query.order_by(Order.id.desc()).limit(limit)).all()


class OrderRouteRepository:
    """The idempotency records of orders pushed downstream."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_id: int, destination_connection_id: int) -> OrderRoute | None:
        return self.session.scalar(
            select(OrderRoute).where(
                OrderRoute.order_id == order_id,
                OrderRoute.destination_connection_id == destination_connection_id,
            )
        )

    def for_order(self, order_id: int) -> Sequence[OrderRoute]:
        return self.session.scalars(select(OrderRoute).where(OrderRoute.order_id == order_id)).all()

    def ensure(self, order: Order, destination_connection_id: int, *, now: datetime) -> OrderRoute:
        route = self.get(order.id, destination_connection_id)
        if route is None:
            route = OrderRoute(
                order_id=order.id,
                destination_connection_id=destination_connection_id,
                state="pending",
                attempts=0,
                steps={},
                pushable_at=now,
            )
            self.session.add(route)
            self.session.flush()
        return route

    def due(self, destination_connection_id: int, *, now: datetime, limit: int) -> Sequence[OrderRoute]:
        """Routes waiting to be pushed (pending, or sending after a crash), oldest first."""
        return self.session.scalars(
            select(OrderRoute)
            .where(
                OrderRoute.destination_connection_id == destination_connection_id,
                OrderRoute.state.in_(("pending", "sending")),
                or_(OrderRoute.next_attempt_at.is_(None), OrderRoute.next_attempt_at <= now),
            )
            .order_by(OrderRoute.id)
            .limit(limit)
        ).all()


class FulfillmentRepository:
    """Shipments reported by the fulfilment system, and their push to the sales channel."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_external_id(self, source_connection_id: int, external_id: str) -> Fulfillment | None:
        return self.session.scalar(
            select(Fulfillment).where(
                Fulfillment.source_connection_id == source_connection_id,
                Fulfillment.external_id == external_id,
            )
        )

    def for_order(self, order_id: int) -> Sequence[Fulfillment]:
        return self.session.scalars(select(Fulfillment).where(Fulfillment.order_id == order_id)).all()

    def pending_push(self, order_connection_id: int, limit: int) -> Sequence[Fulfillment]:
        return self.session.scalars(
            select(Fulfillment)
            .join(Order, Order.id == Fulfillment.order_id)
            .where(Order.connection_id == order_connection_id, Fulfillment.push_state == "pending")
            .order_by(Fulfillment.id)
            .limit(limit)
        ).all()

    def pushable(self, order_connection_id: int, limit: int) -> Sequence[Fulfillment]:
        """Fulfillments of the connection's orders waiting to be pushed (``pending``, or ``sending``
        after a lost answer or a crash), oldest first; orders on hold wait and are not returned."""
        return self.session.scalars(
            select(Fulfillment)
            .join(Order, Order.id == Fulfillment.order_id)
            .where(
                Order.connection_id == order_connection_id,
                Order.status != "onHold",
                Fulfillment.push_state.in_(("pending", "sending")),
            )
            .order_by(Fulfillment.id)
            .limit(limit)
        ).all()

    def failed_with_external_ids(
        self, order_connection_id: int, external_ids: Sequence[str]
    ) -> Sequence[Fulfillment]:
        """Failed fulfillments of the connection's orders with these external ids."""
        if not external_ids:
            return []
        return self.session.scalars(
            select(Fulfillment)
            .join(Order, Order.id == Fulfillment.order_id)
            .where(
                Order.connection_id == order_connection_id,
                Fulfillment.push_state == "failed",
                Fulfillment.external_id.in_(list(external_ids)),
            )
            .order_by(Fulfillment.id)
        ).all()
