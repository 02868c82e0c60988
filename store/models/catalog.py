"""Products, their listings on each channel, locations and inventory levels."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base
from store.models._columns import (
    MONEY,
    IdPk,
    Json,
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

LISTING_STATUSES = ("draft", "pending", "active", "inactive", "failed")
PRODUCT_CONDITIONS = ("new", "pre_owned")


class Product(Base):
    """A master product or variant, identified by its SKU.

    The SKU is matched exactly: case and whitespace matter, because TikTok matches that way.
    Variants point at their parent through ``parent_sku``.
    """

    __tablename__ = "product"

    id: Mapped[IdPk]
    sku: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    parent_sku: Mapped[OptionalName] = mapped_column(index=True)
    title: Mapped[Name] = mapped_column(String(500))
    description: Mapped[OptionalText]
    price: Mapped[OptionalMoney]
    compare_at_price: Mapped[OptionalMoney]
    currency: Mapped[OptionalName] = mapped_column(String(3))
    weight: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    weight_unit: Mapped[OptionalName] = mapped_column(String(20))
    length: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    width: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    height: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    dimension_unit: Mapped[OptionalName] = mapped_column(String(20))
    images: Mapped[Json] = mapped_column(default=list)
    identifiers: Mapped[Json] = mapped_column(default=dict)
    condition: Mapped[str] = mapped_column(String(20), nullable=False, default="new")
    attributes: Mapped[Json] = mapped_column(default=dict)
    category_id: Mapped[OptionalName]
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="active")
    source_connection_id: Mapped[int | None] = fk_id("connection.id", nullable=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)


class ChannelListing(Base):
    """A product on one connection: its external ids, channel SKU and listing state.

    ``channel_sku`` is the per-connection SKU mapping (SFCC may call a product differently);
    TikTok has none, its seller SKU must equal the master SKU.
    """

    __tablename__ = "channel_listing"

    id: Mapped[IdPk]
    product_id: Mapped[int] = fk_id("product.id", ondelete="CASCADE")
    connection_id: Mapped[int] = fk_id("connection.id", ondelete="CASCADE")
    external_product_id: Mapped[OptionalName]
    external_sku_id: Mapped[OptionalName]
    channel_sku: Mapped[OptionalName]
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")
    missing_attributes: Mapped[Json] = mapped_column(default=list)
    validation_errors: Mapped[Json] = mapped_column(default=list)
    content_hash: Mapped[OptionalName]
    pushed_at: Mapped[OptionalTimestamp]
    pushed_quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # ``{warehouse_id: quantity}`` TikTok last accepted when stock goes to several warehouses
    # (``inventory_warehouses``); None when it goes to one. ``pushed_quantity`` stays the total.
    pushed_warehouse_quantities: Mapped[OptionalJson]
    inventory_pushed_at: Mapped[OptionalTimestamp]
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("product_id", "connection_id"),
        UniqueConstraint("connection_id", "channel_sku"),
    )


class Location(Base):
    """A warehouse (TikTok) or inventory list (SFCC) stock is kept at or shipped from."""

    __tablename__ = "location"

    id: Mapped[IdPk]
    connection_id: Mapped[int] = fk_id("connection.id", ondelete="CASCADE")
    external_id: Mapped[Name]
    name: Mapped[Name]
    kind: Mapped[str] = mapped_column(String(30), nullable=False, default="sales")
    is_default: Mapped[bool] = mapped_column(nullable=False, default=False)
    details: Mapped[OptionalJson]
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("connection_id", "external_id"),)


class InventoryLevel(Base):
    """Stock of one SKU at one location, as last reported by its source."""

    __tablename__ = "inventory_level"

    id: Mapped[IdPk]
    sku: Mapped[Name] = mapped_column(index=True)
    location_id: Mapped[int] = fk_id("location.id", ondelete="CASCADE")
    on_hand: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    committed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    available: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    source: Mapped[Name]
    at: Mapped[Timestamp] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("sku", "location_id"),)


__all__ = [
    "LISTING_STATUSES",
    "PRODUCT_CONDITIONS",
    "ChannelListing",
    "InventoryLevel",
    "Location",
    "Product",
]
