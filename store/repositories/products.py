"""Products and their listings on each connection: lookups by exact SKU and by external id."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ChannelListing, Product


class ProductRepository:
    """Product and ChannelListing rows; take a session, flush, never commit."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_sku(self, sku: str) -> Product | None:
        """The product with exactly this SKU (case and whitespace count)."""
        return self.session.scalar(select(Product).where(Product.sku == sku))

    def variants_of(self, parent_sku: str) -> Sequence[Product]:
        return self.session.scalars(
            select(Product).where(Product.parent_sku == parent_sku).order_by(Product.sku)
        ).all()

    def add(self, product: Product) -> Product:
        self.session.add(product)
        self.session.flush()
        return product

    def listing(self, product_id: int, connection_id: int) -> ChannelListing | None:
        """The product's listing on one connection, if it has one."""
        return self.session.scalar(
            select(ChannelListing).where(
                ChannelListing.product_id == product_id, ChannelListing.connection_id == connection_id
            )
        )

    def listing_by_external_id(self, connection_id: int, external_product_id: str) -> ChannelListing | None:
        """The listing a connection's own product id points at."""
        return self.session.scalar(
            select(ChannelListing).where(
                ChannelListing.connection_id == connection_id,
                ChannelListing.external_product_id == external_product_id,
            )
        )

    def ensure_listing(self, product: Product, connection_id: int) -> ChannelListing:
        """The product's listing on the connection, created (as a draft) when missing."""
        listing = self.listing(product.id, connection_id)
        if listing is None:
            listing = ChannelListing(product_id=product.id, connection_id=connection_id, status="draft")
            self.session.add(listing)
            self.session.flush()
        return listing
