"""Translate between master SKUs and the SKUs an SFCC connection uses (its channel SKUs)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ChannelListing, Product


def master_skus_by_sfcc_sku(session: Session, connection_id: int) -> dict[str, str]:
    """SFCC SKU -> master SKU for every mapped product; unmapped products use the master SKU."""
    rows = session.execute(
        select(ChannelListing.channel_sku, Product.sku)
        .join(Product, Product.id == ChannelListing.product_id)
        .where(ChannelListing.connection_id == connection_id, ChannelListing.channel_sku.is_not(None))
    ).all()
    return {str(channel): sku for channel, sku in rows}


def to_master(sku_map: dict[str, str], sfcc_sku: str) -> str:
    return sku_map.get(sfcc_sku, sfcc_sku)
