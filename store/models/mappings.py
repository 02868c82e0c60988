"""Mapping tables: how a value on one system is named on another."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base
from store.models._columns import IdPk, Name, OptionalJson, Timestamp, fk_id, utcnow

# kind -> what `source` and `target` mean. SKU mappings live on ChannelListing.channel_sku.
MAPPING_KINDS = {
    "shipping_method": "TikTok delivery option name -> SFCC shipping method id",
    "carrier": "carrier name as shipped -> TikTok shipping provider id (source '*' is the fallback)",
    "attribute_name": "variant option name -> TikTok attribute name (color -> colour)",
    "payment_method": "channel payment method ('*' for any) -> SFCC payment method id",
}


class Mapping(Base):
    """One mapping of ``source`` to ``target`` of a kind, scoped to a connection.

    The connection is the one whose vocabulary ``target`` belongs to (the SFCC site for a
    shipping method, the TikTok shop for a carrier).
    """

    __tablename__ = "mapping"

    id: Mapped[IdPk]
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    connection_id: Mapped[int] = fk_id("connection.id", ondelete="CASCADE")
    source: Mapped[Name]
    target: Mapped[Name]
    extra: Mapped[OptionalJson]
    created_by: Mapped[Name] = mapped_column(default="config")
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("kind", "connection_id", "source"),)
