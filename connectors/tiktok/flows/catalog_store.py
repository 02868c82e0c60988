"""Store reads and writes the catalog flows share: listing roots, variants, listings, mappings, stock.

A *listing root* is a product without a parent: a standalone product (one SKU) or a master whose
variants are its SKUs. A TikTok product is one listing root; its ChannelListing carries the listing
state (status, missing attributes, errors, content hash) and each SKU's listing carries its ids.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import ChannelListing, InventoryLevel, Mapping, OrderLine, Product

ATTRIBUTE_NAME_MAPPING = "attribute_name"
# TikTok product statuses as the store's listing statuses; a deleted product is inactive too (the
# push looks at TikTok's own status before acting on it).
_LISTING_STATUS = {
    "DRAFT": "draft",
    "PENDING": "pending",
    "FAILED": "failed",
    "ACTIVATE": "active",
    "SELLER_DEACTIVATED": "inactive",
    "PLATFORM_DEACTIVATED": "inactive",
    "FREEZE": "inactive",
    "DELETED": "inactive",
}


def listing_status(tiktok_status: str) -> str:
    """The store's listing status for a TikTok product status (unknown ones count as pending)."""
    return _LISTING_STATUS.get(tiktok_status, "pending")


def listing_roots(session: Session, *, after_id: int, limit: int) -> Sequence[Product]:
    """Products without a parent, in id order, after ``after_id``."""
    query = (
        select(Product)
        .where(Product.parent_sku.is_(None), Product.id > after_id)
        .order_by(Product.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def variants_of(session: Session, root: Product) -> Sequence[Product]:
    """The root's variants, in SKU order (the order SKUs are listed in)."""
    return session.scalars(select(Product).where(Product.parent_sku == root.sku).order_by(Product.sku)).all()


def get_listing(session: Session, product: Product, connection_id: int) -> ChannelListing | None:
    query = select(ChannelListing).where(
        ChannelListing.product_id == product.id, ChannelListing.connection_id == connection_id
    )
    return session.scalars(query).one_or_none()


def ensure_listing(session: Session, product: Product, connection_id: int) -> ChannelListing:
    """The product's listing on the connection, created (unpushed, as a draft) when missing."""
    listing = get_listing(session, product, connection_id)
    if listing is None:
        listing = ChannelListing(
            product_id=product.id,
            connection_id=connection_id,
            status="draft",
            missing_attributes=[],
            validation_errors=[],
        )
        session.add(listing)
        session.flush()
    return listing


def attribute_name_mappings(session: Session, connection_id: int) -> dict[str, str]:
    """Variant option and attribute names mapped to TikTok's (``color`` -> ``colour``), keys casefolded."""
    rows = session.scalars(
        select(Mapping).where(Mapping.kind == ATTRIBUTE_NAME_MAPPING, Mapping.connection_id == connection_id)
    ).all()
    return {row.source.strip().casefold(): row.target.strip() for row in rows}


def available_stock(session: Session, sku: str) -> int:
    """Units available for ``sku`` across locations (never below zero)."""
    total = session.scalar(
        select(func.coalesce(func.sum(InventoryLevel.available), 0)).where(InventoryLevel.sku == sku)
    )
    return max(int(total or 0), 0)


def was_sold(session: Session, sku: str) -> bool:
    """Whether any order line ever sold ``sku`` (a pre-owned item exists once)."""
    return session.scalar(select(OrderLine.id).where(OrderLine.sku == sku).limit(1)) is not None
