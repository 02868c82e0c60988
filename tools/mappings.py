"""Mapping tools (write, approval required): SKUs, shipping methods, payment methods, carriers."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy import select

from store.models import ChannelListing, Connection, Mapping, Product
from tools.connections import connection_named
from tools.lookups import find_product
from tools.models import ToolInput
from tools.registry import Change, Tool, ToolContext, ToolError, WriteResult


class MappingResult(WriteResult):
    """The change a mapping tool made (see WriteResult.change)."""


def _mapping_state(kind: str, connection: Connection, source: str, target: str) -> dict[str, Any]:
    return {"kind": kind, "connection": connection.name, "source": source, "target": target}


def _mapping_change(ctx: ToolContext, kind: str, connection: Connection, source: str, target: str) -> Change:
    row = ctx.db().scalar(
        select(Mapping).where(
            Mapping.kind == kind, Mapping.connection_id == connection.id, Mapping.source == source
        )
    )
    before = _mapping_state(kind, connection, source, row.target) if row else None
    after = _mapping_state(kind, connection, source, target)
    return Change(
        entity_type="mapping", entity_id=f"{kind}:{connection.name}:{source}", before=before, after=after
    )


def _upsert_mapping(ctx: ToolContext, kind: str, connection: Connection, source: str, target: str) -> Change:
    change = _mapping_change(ctx, kind, connection, source, target)
    session = ctx.db()
    row = session.scalar(
        select(Mapping).where(
            Mapping.kind == kind, Mapping.connection_id == connection.id, Mapping.source == source
        )
    )
    who = ctx.approval.approved_by if ctx.approval else ctx.actor
    if row is None:
        session.add(
            Mapping(
                kind=kind,
                connection_id=connection.id,
                source=source,
                target=target,
                created_by=who,
                updated_at=ctx.now(),
            )
        )
    else:
        row.target = target
        row.created_by = who
        row.updated_at = ctx.now()
    session.flush()
    return change


class MapShippingInput(ToolInput):
    connection: str | None = Field(default=None, description="SFCC connection; optional when there is one.")
    delivery_option: str = Field(
        min_length=1, description="TikTok delivery option name, exactly as on the order."
    )
    shipping_method_id: str = Field(
        min_length=1, description="SFCC shipping method id of the site, e.g. '001'."
    )


def preview_map_shipping_method(ctx: ToolContext, p: MapShippingInput) -> Change:
    conn = connection_named(ctx.db(), p.connection, type_name="sfcc")
    return _mapping_change(ctx, "shipping_method", conn, p.delivery_option, p.shipping_method_id)


def map_shipping_method(ctx: ToolContext, p: MapShippingInput) -> MappingResult:
    """Map a TikTok delivery option to an SFCC shipping method id on an SFCC connection (replaces an
    existing mapping of that option). Needs approval. Retry failed orders afterwards.
    """
    conn = connection_named(ctx.db(), p.connection, type_name="sfcc")
    return MappingResult(
        change=_upsert_mapping(ctx, "shipping_method", conn, p.delivery_option, p.shipping_method_id)
    )


class MapPaymentInput(ToolInput):
    connection: str | None = Field(default=None, description="SFCC connection; optional when there is one.")
    source: str = Field(default="*", min_length=1, description="TikTok payment method name, or '*' for any.")
    payment_method_id: str = Field(min_length=1, description="SFCC payment method id, e.g. 'TTS'.")


def preview_map_payment_method(ctx: ToolContext, p: MapPaymentInput) -> Change:
    conn = connection_named(ctx.db(), p.connection, type_name="sfcc")
    return _mapping_change(ctx, "payment_method", conn, p.source, p.payment_method_id)


def map_payment_method(ctx: ToolContext, p: MapPaymentInput) -> MappingResult:
    """Map a TikTok payment method ('*' = every order) to an SFCC payment method id, such as the
    dedicated 'TTS' method. Takes precedence over the settings' payment mapping. Needs approval.
    """
    conn = connection_named(ctx.db(), p.connection, type_name="sfcc")
    return MappingResult(change=_upsert_mapping(ctx, "payment_method", conn, p.source, p.payment_method_id))


class MapCarrierInput(ToolInput):
    connection: str | None = Field(default=None, description="TikTok connection; optional when there is one.")
    carrier: str = Field(
        min_length=1, description="Carrier name as SFCC reports it, or '*' for the fallback."
    )
    shipping_provider_id: str = Field(min_length=1, description="TikTok shipping_provider_id.")


def preview_map_carrier(ctx: ToolContext, p: MapCarrierInput) -> Change:
    conn = connection_named(ctx.db(), p.connection, type_name="tiktok")
    return _mapping_change(ctx, "carrier", conn, p.carrier, p.shipping_provider_id)


def map_carrier(ctx: ToolContext, p: MapCarrierInput) -> MappingResult:
    """Map a carrier name (as shipped from SFCC) to a TikTok shipping provider id on a TikTok
    connection; carrier '*' sets the fallback. Needs approval.
    """
    conn = connection_named(ctx.db(), p.connection, type_name="tiktok")
    return MappingResult(change=_upsert_mapping(ctx, "carrier", conn, p.carrier, p.shipping_provider_id))


class MapSkuInput(ToolInput):
    connection: str | None = Field(
        default=None,
        description="The SFCC (or other non-TikTok) connection; optional when there is one SFCC connection.",
    )
    sku: str = Field(min_length=1, description="Master SKU, exactly.")
    channel_sku: str = Field(min_length=1, description="The SKU that connection uses for this product.")


def _listing_state(
    listing: ChannelListing | None, conn: Connection, product: Product
) -> dict[str, Any] | None:
    if listing is None:
        return None
    return {"connection": conn.name, "sku": product.sku, "channel_sku": listing.channel_sku}


def _sku_targets(ctx: ToolContext, p: MapSkuInput) -> tuple[Connection, Product, ChannelListing | None]:
    session = ctx.db()
    if p.connection is None:
        conn = connection_named(session, None, type_name="sfcc")
    else:
        found = session.scalar(select(Connection).where(Connection.name == p.connection))
        if found is None:
            raise ToolError(
                f"No connection is called '{p.connection}'; pass an existing connection name.",
                code="tool.not_found",
            )
        conn = found
    if conn.type == "tiktok":
        raise ToolError(
            f"TikTok has no channel SKU: connection {conn.name} matches the seller SKU to the master SKU "
            "exactly. Change the seller SKU on TikTok instead.",
            code="tool.invalid_input",
        )
    product = find_product(session, p.sku)
    taken = session.scalar(
        select(ChannelListing).where(
            ChannelListing.connection_id == conn.id,
            ChannelListing.channel_sku == p.channel_sku,
            ChannelListing.product_id != product.id,
        )
    )
    if taken is not None:
        other = session.get(Product, taken.product_id)
        raise ToolError(
            f"Channel SKU {p.channel_sku!r} on {conn.name} already maps to master SKU "
            f"{other.sku if other else taken.product_id!r}; map that product to its own channel SKU "
            "first, or check the master SKU.",
            code="tool.conflict",
        )
    listing = session.scalar(
        select(ChannelListing).where(
            ChannelListing.connection_id == conn.id, ChannelListing.product_id == product.id
        )
    )
    return conn, product, listing


def preview_map_sku(ctx: ToolContext, p: MapSkuInput) -> Change:
    conn, product, listing = _sku_targets(ctx, p)
    after = {"connection": conn.name, "sku": product.sku, "channel_sku": p.channel_sku}
    return Change(
        entity_type="channel_listing",
        entity_id=f"{conn.name}:{product.sku}",
        before=_listing_state(listing, conn, product),
        after=after,
    )


def map_sku(ctx: ToolContext, p: MapSkuInput) -> MappingResult:
    """Map a master SKU to the SKU another connection (SFCC) uses for the same product: sets the
    channel SKU of the product's listing there, creating the listing if needed. Not for TikTok,
    whose seller SKU must equal the master SKU. Needs approval.
    """
    change = preview_map_sku(ctx, p)
    conn, product, listing = _sku_targets(ctx, p)
    session = ctx.db()
    if listing is None:
        listing = ChannelListing(
            product_id=product.id,
            connection_id=conn.id,
            status="draft",
            missing_attributes=[],
            validation_errors=[],
            updated_at=ctx.now(),
        )
        session.add(listing)
    listing.channel_sku = p.channel_sku
    listing.updated_at = ctx.now()
    session.flush()
    return MappingResult(change=change)


TOOLS: list[Tool[Any, Any]] = [
    Tool("map_sku", "write", MapSkuInput, MappingResult, map_sku, preview=preview_map_sku),
    Tool(
        "map_shipping_method",
        "write",
        MapShippingInput,
        MappingResult,
        map_shipping_method,
        preview=preview_map_shipping_method,
    ),
    Tool(
        "map_payment_method",
        "write",
        MapPaymentInput,
        MappingResult,
        map_payment_method,
        preview=preview_map_payment_method,
    ),
    Tool("map_carrier", "write", MapCarrierInput, MappingResult, map_carrier, preview=preview_map_carrier),
]
