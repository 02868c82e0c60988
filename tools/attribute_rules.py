"""How the attribute tools reach the attribute fill engine: which backend, and a request from the store.

The backend follows the TikTok connection's ``attribute_fill.backend`` setting (the rules when there is
no single TikTok connection, or no setting); a test or caller may inject one through
``ctx.extras["attribute_fill_backend"]``. A stored product becomes a request from its master data and
the missing attributes its listing recorded, each with TikTok's own description of the attribute.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.tiktok.attribute_fill import (
    AttributeFillBackend,
    AttributeItem,
    ProductFacts,
    RulesBackend,
    SuggestRequest,
)
from connectors.tiktok.attribute_fill.backends import backend_from_settings
from connectors.tiktok.flows.catalog_source import read_source
from connectors.tiktok.flows.catalog_store import attribute_name_mappings
from store.models import ChannelListing, Connection, Product
from tools.registry import ToolContext, ToolError

__all__ = ["request_for_product", "tool_backend"]

BACKEND_EXTRA = "attribute_fill_backend"


def tool_backend(ctx: ToolContext) -> AttributeFillBackend:
    """The injected backend, else the single TikTok connection's configured one, else the rules."""
    injected = ctx.extras.get(BACKEND_EXTRA)
    if injected is not None:
        return injected  # type: ignore[no-any-return]
    connections = getattr(ctx.config, "connections", None) or {}
    tiktok = [c for c in connections.values() if getattr(c, "type", None) == "tiktok"]
    fill = getattr(tiktok[0].settings, "attribute_fill", None) if len(tiktok) == 1 else None
    return backend_from_settings(fill) if fill is not None else RulesBackend()


def _recorded(listing: ChannelListing) -> list[dict[str, Any]]:
    return [
        m for m in listing.missing_attributes or [] if isinstance(m, dict) and m.get("id") and m.get("name")
    ]


def request_for_product(
    session: Session, product: Product, attribute: str | None, connection: Connection | None
) -> tuple[str, SuggestRequest]:
    """(category id, request) for a stored product's missing attributes, optionally just one of them."""
    query = select(ChannelListing).where(ChannelListing.product_id == product.id).order_by(ChannelListing.id)
    if connection is not None:
        query = query.where(ChannelListing.connection_id == connection.id)
    listing = next((row for row in session.scalars(query) if _recorded(row)), None)
    if listing is None:
        raise ToolError(
            f"Product {product.sku} has no missing attributes recorded with TikTok's description of them. "
            "Let the catalog push (or 'prepare for product push') validate it first, or call "
            "suggest_attributes with the category's attribute items.",
            code="tool.not_found",
        )
    entries = _recorded(listing)
    if attribute is not None:
        wanted = attribute.strip().casefold()
        entries = [e for e in entries if wanted in (str(e["id"]).casefold(), str(e["name"]).casefold())]
        if not entries:
            names = ", ".join(str(e["name"]) for e in _recorded(listing))
            raise ToolError(
                f"{attribute!r} is not among the missing attributes of {product.sku} ({names}); "
                "pass one of those.",
                code="tool.invalid_input",
            )
    source = read_source(session, product, attribute_name_mappings(session, listing.connection_id))
    options: dict[str, list[str]] = {}
    for sku in source.skus:
        for name, value in sku.options.items():
            if value not in options.setdefault(name, []):
                options[name].append(value)
    category_id = str(entries[0].get("category_id") or product.category_id or "")
    facts = ProductFacts(
        title=source.title or product.sku,
        description=source.description,
        brand=source.brand,
        variant_options=options,
        attributes=source.attributes,
        category_id=category_id or None,
    )
    items = [AttributeItem.model_validate(e) for e in entries]
    return category_id, SuggestRequest(product=facts, attributes=items)
