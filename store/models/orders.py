"""Orders, their lines, their routes to downstream systems, shipments and after-sales records."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base
from store.models._columns import (
    MONEY,
    IdPk,
    Json,
    Money,
    Name,
    OptionalJson,
    OptionalMoney,
    OptionalName,
    OptionalText,
    OptionalTimestamp,
    Timestamp,
    fk_id,
    utcnow,
)

ORDER_STATUSES = (
    "onHold",
    "new",
    "readyForFulfillment",
    "sentToFulfillment",
    "partialFulfillment",
    "fulfilled",
    "canceled",
)
ROUTE_STATES = ("pending", "sending", "created", "failed", "canceled")
FULFILLMENT_TYPES = ("seller", "platform")


class Order(Base):
    """An order as received from its source channel, in Shopwright's lifecycle.

    ``raw`` keeps the last payload exactly as the channel sent it, for diagnosis.
    """

    __tablename__ = "order"

    id: Mapped[IdPk]
    connection_id: Mapped[int] = fk_id("connection.id")
    external_id: Mapped[Name]
    status: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    channel_status: Mapped[OptionalName]
    hold_until: Mapped[OptionalTimestamp]
    fulfillment_type: Mapped[str] = mapped_column(String(20), nullable=False, default="seller")
    source_channel: Mapped[OptionalName]
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    subtotal: Mapped[Money]
    shipping_fee: Mapped[Money]
    tax: Mapped[Money]
    discount: Mapped[Money]
    total: Mapped[Money]
    shipping_option: Mapped[OptionalName]
    shipping_address: Mapped[OptionalJson]
    payments: Mapped[Json] = mapped_column(default=list)
    placed_at: Mapped[OptionalTimestamp]
    channel_updated_at: Mapped[OptionalTimestamp] = mapped_column(index=True)
    raw: Mapped[Json] = mapped_column(default=dict)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("connection_id", "external_id"),)


class OrderLine(Base):
    """One SKU of an order; TikTok's one-line-per-unit items are aggregated here.

    ``external_line_ids`` keeps every channel line id, needed to ship part of a line.
    """

    __tablename__ = "order_line"

    id: Mapped[IdPk]
    order_id: Mapped[int] = fk_id("order.id", ondelete="CASCADE")
    sku: Mapped[Name]
    product_name: Mapped[OptionalText]
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price: Mapped[Money]
    discount: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal(0))
    external_line_ids: Mapped[Json] = mapped_column(default=list)
    status: Mapped[OptionalName]

    __table_args__ = (UniqueConstraint("order_id", "sku"),)


class OrderRoute(Base):
    """An order on its way to one destination connection: the idempotency record.

    An order is created downstream at most once: ``state`` moves pending -> sending -> created,
    ``external_id`` is chosen before the first attempt, and ``steps`` records each step of a
    multi-call push so that a crash between steps resumes instead of starting over.
    """

    __tablename__ = "order_route"

    id: Mapped[IdPk]
    order_id: Mapped[int] = fk_id("order.id", ondelete="CASCADE")
    destination_connection_id: Mapped[int] = fk_id("connection.id")
    external_id: Mapped[OptionalName]
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    steps: Mapped[Json] = mapped_column(default=dict)
    last_error: Mapped[OptionalText]
    next_attempt_at: Mapped[OptionalTimestamp]
    pushable_at: Mapped[OptionalTimestamp]
    created_downstream_at: Mapped[OptionalTimestamp]
    canceled_downstream_at: Mapped[OptionalTimestamp]
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("order_id", "destination_connection_id"),)


class ShippingRequest(Base):
    """A request to ship (part of) an order, as the fulfilment system reports it."""

    __tablename__ = "shipping_request"

    id: Mapped[IdPk]
    connection_id: Mapped[int] = fk_id("connection.id")
    external_id: Mapped[Name]
    order_id: Mapped[int | None] = fk_id("order.id", nullable=True, ondelete="SET NULL")
    status: Mapped[Name]
    lines: Mapped[Json] = mapped_column(default=list)
    raw: Mapped[Json] = mapped_column(default=dict)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("connection_id", "external_id"),)


class Fulfillment(Base):
    """A shipment of some or all lines of an order, and whether it reached the sales channel."""

    __tablename__ = "fulfillment"

    id: Mapped[IdPk]
    order_id: Mapped[int] = fk_id("order.id", ondelete="CASCADE")
    source_connection_id: Mapped[int] = fk_id("connection.id")
    external_id: Mapped[Name]
    carrier: Mapped[OptionalName]
    tracking_number: Mapped[OptionalName]
    lines: Mapped[Json] = mapped_column(default=list)
    shipped_at: Mapped[OptionalTimestamp]
    push_state: Mapped[str] = mapped_column(String(20), nullable=False, default="pending", index=True)
    channel_package_id: Mapped[OptionalName]
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[OptionalText]
    pushed_at: Mapped[OptionalTimestamp]
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("source_connection_id", "external_id"),)


class Return(Base):
    """A return or cancellation request from the sales channel."""

    __tablename__ = "return_request"

    id: Mapped[IdPk]
    connection_id: Mapped[int] = fk_id("connection.id")
    external_id: Mapped[Name]
    order_external_id: Mapped[Name] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    status: Mapped[Name]
    refund_amount: Mapped[OptionalMoney]
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    reason: Mapped[OptionalText]
    raw: Mapped[Json] = mapped_column(default=dict)
    channel_updated_at: Mapped[OptionalTimestamp]

    __table_args__ = (UniqueConstraint("connection_id", "external_id"),)


class Refund(Base):
    """Money given back to a buyer, linked to its order by the channel's order id."""

    __tablename__ = "refund"

    id: Mapped[IdPk]
    connection_id: Mapped[int] = fk_id("connection.id")
    external_id: Mapped[Name]
    order_external_id: Mapped[Name] = mapped_column(index=True)
    amount: Mapped[Money]
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    status: Mapped[OptionalName]
    raw: Mapped[Json] = mapped_column(default=dict)

    __table_args__ = (UniqueConstraint("connection_id", "external_id"),)


class Statement(Base):
    """A settlement statement from the sales channel."""

    __tablename__ = "statement"

    id: Mapped[IdPk]
    connection_id: Mapped[int] = fk_id("connection.id")
    external_id: Mapped[Name]
    statement_time: Mapped[OptionalTimestamp]
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    settlement_amount: Mapped[Money]
    revenue_amount: Mapped[OptionalMoney]
    fee_amount: Mapped[OptionalMoney]
    status: Mapped[OptionalName]
    raw: Mapped[Json] = mapped_column(default=dict)

    __table_args__ = (UniqueConstraint("connection_id", "external_id"),)
