"""Propose values for the category attributes a product lacks, as pending AttributeProposal rows.

Which attributes are missing comes from the listing, where the push flow's validation records them
with their Get Attributes description; a product whose listing has recorded nothing yet (never
validated) is checked here, with the same validation rules, against its category's attributes
(fetched from TikTok and cached). Nothing is applied: a person approves each proposal, and
``connectors.tiktok.attribute_fill.apply`` then writes it. The SKU and attribute allow and block lists
are honoured, an attribute with a pending or approved proposal is left alone, and values a person
already rejected for that product are not proposed again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from connectors.engine.registry import FlowContext, FlowResult, FlowSpec
from connectors.tiktok.attribute_fill import (
    AttributeItem,
    ProductFacts,
    RulesBackend,
    SuggestRequest,
    suggest,
)
from connectors.tiktok.attribute_fill.backends import backend_from_settings
from connectors.tiktok.attribute_fill.category_attributes import shared_cache
from connectors.tiktok.attribute_fill.settings import AttributeFillSettings
from connectors.tiktok.catalog_schemas import Category, CategoryRules
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.catalog_category import CategoryInfo
from connectors.tiktok.flows.catalog_source import ListingSource, read_source
from connectors.tiktok.flows.catalog_store import attribute_name_mappings, get_listing, listing_roots
from connectors.tiktok.flows.catalog_values import product_attributes
from connectors.tiktok.listing_validation import Category as DraftCategory
from connectors.tiktok.listing_validation import IssueCode, ListingDraft
from connectors.tiktok.listing_validation.attributes import check_attributes
from connectors.tiktok.settings import TikTokSettings
from store.models import AttributeProposal, ChannelListing, Product

__all__ = ["OPEN_STATUSES", "PROPOSE_ATTRIBUTES", "missing_attribute_ids", "propose_attributes"]

logger = logging.getLogger(__name__)

# A proposal in one of these states already answers the attribute; another would be a duplicate.
OPEN_STATUSES = ("pending", "approved")
_PRODUCT_PROPERTY = "PRODUCT_PROPERTY"


def missing_attribute_ids(
    source: ListingSource, category_id: str, items: Sequence[AttributeItem]
) -> list[str]:
    """Ids of the category's attributes (required, or required by a condition) the product lacks.

    The same rules and the same mapping of ``Product.attributes`` as the push flow's validation.
    """
    info = CategoryInfo(Category(id=category_id, is_leaf=True), "", CategoryRules(), list(items), [])
    draft = ListingDraft(
        title=source.title or source.root_sku,
        description=source.description,
        category=DraftCategory(id=category_id, is_leaf=True),
        category_attributes=list(items),
        product_attributes=product_attributes(source, info),
    )
    prefix = "product_attributes[id="
    return [
        issue.field[len(prefix) : -1]
        for issue in check_attributes(draft)
        if issue.code is IssueCode.ATTRIBUTE_MISSING and issue.field.startswith(prefix)
    ]


def _recorded(listing: ChannelListing | None) -> list[dict[str, Any]]:
    """Missing-attribute entries the push recorded with their attribute description."""
    if listing is None:
        return []
    return [m for m in listing.missing_attributes or [] if isinstance(m, dict) and m.get("id")]


def _never_checked(listing: ChannelListing | None) -> bool:
    return listing is None or (
        listing.content_hash is None and not listing.missing_attributes and not listing.validation_errors
    )


@dataclass
class _Run:
    ctx: FlowContext
    settings: TikTokSettings
    fill: AttributeFillSettings
    mappings: dict[str, str]

    def __post_init__(self) -> None:
        self.backend = backend_from_settings(self.fill)
        self.fallback = RulesBackend()

    def category_items(self, category_id: str) -> list[AttributeItem]:
        ttl = timedelta(minutes=self.fill.category_cache_minutes)
        version = self.settings.catalog.category_version
        return shared_cache().get(
            self.ctx.client, self.ctx.connection.name, category_id, version, now=self.ctx.now, ttl=ttl
        )

    def category_of(self, source: ListingSource) -> str | None:
        catalog = self.settings.catalog
        key = source.category_key
        if key and key in catalog.category_map:
            return catalog.category_map[key]
        return key or catalog.default_category_id

    def wanted(
        self, source: ListingSource, listing: ChannelListing | None
    ) -> tuple[str, list[AttributeItem]]:
        """(category id, attribute items to fill) for one product; empty when nothing is missing."""
        recorded = _recorded(listing)
        if recorded:
            category_id = str(recorded[0].get("category_id") or self.category_of(source) or "")
            items = [AttributeItem.model_validate(entry) for entry in recorded]
            if not self.fill.required_only and category_id:
                items += self._optional(source, category_id, {i.id for i in items})
            return category_id, items
        if not _never_checked(listing):
            return "", []
        resolved = self.category_of(source)
        if not resolved:
            return "", []
        category_id = resolved
        catalog_items = self.category_items(category_id)
        missing = set(missing_attribute_ids(source, category_id, catalog_items))
        items = [i for i in catalog_items if i.id in missing]
        if not self.fill.required_only:
            items += self._optional(source, category_id, missing)
        return category_id, items

    def _optional(self, source: ListingSource, category_id: str, taken: set[str]) -> list[AttributeItem]:
        items = [
            i for i in self.category_items(category_id) if i.type == _PRODUCT_PROPERTY and i.id not in taken
        ]
        info = CategoryInfo(Category(id=category_id, is_leaf=True), "", CategoryRules(), list(items), [])
        given = {attribute.id for attribute in product_attributes(source, info)}
        return [i for i in items if i.id not in given]

    def product(self, root: Product) -> None:
        ctx, fill = self.ctx, self.fill
        if not fill.sku_allowed(root.sku):
            ctx.count("skipped_by_sku_list")
            return
        source = read_source(ctx.session, root, self.mappings)
        listing = get_listing(ctx.session, root, ctx.connection.id)
        category_id, items = self.wanted(source, listing)
        items = [i for i in items if i.type == _PRODUCT_PROPERTY]
        allowed = [i for i in items if fill.attribute_allowed(i.id, i.name)]
        ctx.count("attributes_skipped_by_list", len(items) - len(allowed))
        proposals = ctx.session.scalars(
            select(AttributeProposal).where(
                AttributeProposal.product_id == root.id, AttributeProposal.connection_id == ctx.connection.id
            )
        ).all()
        answered = {p.attribute_id for p in proposals if p.status in OPEN_STATUSES}
        todo = [i for i in allowed if i.id not in answered]
        if not todo:
            return
        ctx.count("products_examined")
        request = SuggestRequest(product=_facts(source, category_id), attributes=todo)
        response = suggest(request, self.backend, fallback=self.fallback)
        rejected = {(p.attribute_id, _value_key(p.values)) for p in proposals if p.status == "rejected"}
        ctx.count("attributes_unfilled", len(response.unfilled))
        for proposal in response.proposals:
            values = [v.model_dump() for v in proposal.values]
            if proposal.confidence < fill.min_confidence:
                ctx.count("proposals_below_min_confidence")
            elif (proposal.attribute_id, _value_key(values)) in rejected:
                ctx.count("proposals_rejected_before")
            else:
                ctx.session.add(
                    AttributeProposal(
                        product_id=root.id,
                        connection_id=ctx.connection.id,
                        category_id=category_id,
                        attribute_id=proposal.attribute_id,
                        attribute_name=proposal.attribute_name,
                        values=values,
                        confidence=proposal.confidence,
                        rationale=proposal.rationale,
                        source=proposal.source,
                        status="pending",
                        created_at=ctx.now,
                    )
                )
                ctx.count("proposals_created")
        ctx.session.flush()


def _value_key(values: Any) -> tuple[str, ...]:
    keys = []
    for value in values or []:
        if isinstance(value, dict):
            keys.append(str(value.get("id") or value.get("name") or "").casefold())
        else:
            keys.append(str(value).casefold())
    return tuple(sorted(keys))


def _facts(source: ListingSource, category_id: str) -> ProductFacts:
    options: dict[str, list[str]] = {}
    for sku in source.skus:
        for name, value in sku.options.items():
            if value not in options.setdefault(name, []):
                options[name].append(value)
    return ProductFacts(
        title=source.title or source.root_sku,
        description=source.description,
        brand=source.brand,
        variant_options=options,
        attributes=source.attributes,
        category_id=category_id or None,
    )


def propose_attributes(ctx: FlowContext) -> FlowResult:
    """Examine up to ``products_per_run`` listing roots after the cursor; create pending proposals."""
    settings = ctx.settings
    assert isinstance(settings, TikTokSettings)
    fill = settings.attribute_fill
    if not fill.enabled:
        return FlowResult(ctx.cursor)
    run = _Run(ctx, settings, fill, attribute_name_mappings(ctx.session, ctx.connection.id))
    after_id = int(dict(ctx.cursor or {}).get("after_id") or 0)
    limit = fill.products_per_run
    roots = listing_roots(ctx.session, after_id=after_id, limit=limit)
    for root in roots:
        try:
            run.product(root)
        except TikTokError as error:
            if error.retryable:
                # TikTok is struggling: keep the proposals made so far, continue from here next run.
                return FlowResult({"after_id": after_id})
            ctx.count("category_unavailable")
            logger.warning("no attribute proposals for product %s: %s", root.sku, error)
        after_id = root.id
    finished = len(roots) < limit
    return FlowResult({"after_id": 0 if finished else after_id}, more=not finished)


class ProposeAttributesSpec(FlowSpec):
    """Runs when attribute fill is on and the catalog is pushed to TikTok (the only time it matters)."""

    def is_enabled(self, settings: BaseModel) -> bool:
        catalog = getattr(settings, "catalog", None)
        pushing = (
            bool(getattr(catalog, "push_products", False))
            and getattr(catalog, "primary_catalog", "") == "sfcc"
        )
        fill = getattr(settings, "attribute_fill", None) or AttributeFillSettings()
        return pushing and fill.enabled


PROPOSE_ATTRIBUTES = ProposeAttributesSpec(
    "propose_attributes",
    "internal",
    timedelta(minutes=15),
    propose_attributes,
    description="products lacking category attributes -> pending attribute proposals (rules or llm)",
)
