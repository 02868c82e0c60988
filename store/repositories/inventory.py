"""Stock totals per SKU and the channel listings inventory is pushed to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from store.models import ChannelListing, InventoryLevel, Location, Product

_CHUNK = 500  # keeps IN lists well under every backend's parameter limit


@dataclass(frozen=True)
class StockTotal:
    """One SKU's stock summed over the chosen locations."""

    sku: str
    on_hand: int
    committed: int


class InventoryRepository:
    """Reads inventory levels and listings; writes nothing by itself."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def matching_locations(self, name_or_id: str, *, exclude_connection_id: int) -> list[Location]:
        """Source locations (not of the excluded connection) whose external id or name is ``name_or_id``."""
        return list(
            self.session.scalars(
                select(Location).where(
                    Location.connection_id != exclude_connection_id,
                    or_(Location.external_id == name_or_id, Location.name == name_or_id),
                )
            )
        )

    def stock_totals(
        self, *, exclude_connection_id: int, location_ids: Iterable[int] | None = None
    ) -> dict[str, StockTotal]:
        """On hand and committed per SKU over every location not of ``exclude_connection_id``
        (the channel being pushed to), or only over ``location_ids``."""
        query = (
            select(InventoryLevel.sku, func.sum(InventoryLevel.on_hand), func.sum(InventoryLevel.committed))
            .join(Location, Location.id == InventoryLevel.location_id)
            .where(Location.connection_id != exclude_connection_id)
            .group_by(InventoryLevel.sku)
        )
        if location_ids is not None:
            query = query.where(InventoryLevel.location_id.in_(list(location_ids)))
        return {
            sku: StockTotal(sku, int(on_hand or 0), int(committed or 0))
            for sku, on_hand, committed in self.session.execute(query)
        }

    def products_with_listings(
        self, connection_id: int, skus: Iterable[str]
    ) -> dict[str, tuple[Product, ChannelListing | None]]:
        """Master products of ``skus`` with their listing on ``connection_id`` (None when unlisted)."""
        wanted = sorted(set(skus))
        found: dict[str, tuple[Product, ChannelListing | None]] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = self.session.execute(
                select(Product, ChannelListing)
                .outerjoin(
                    ChannelListing,
                    (ChannelListing.product_id == Product.id)
                    & (ChannelListing.connection_id == connection_id),
                )
                .where(Product.sku.in_(chunk))
            )
            for product, listing in rows:
                found[product.sku] = (product, listing)
        return found
