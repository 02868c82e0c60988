"""What a push learned about a listing, written where people and tools look: the listing and exceptions.

``missing_attributes`` items carry the attribute as Get Attributes describes it (id, name, allowed
values...) so that a proposal can be made from the listing alone; ``validation_errors`` items carry
the field, the rule, the message and the TikTok code the rule prevents.
"""

from __future__ import annotations

from typing import Any

from connectors.engine.registry import FlowContext
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.listing_validation import IssueCode, ListingDraft, ListingIssue, tiktok_code
from store.models import ChannelListing

ATTRIBUTE_MISSING = IssueCode.ATTRIBUTE_MISSING.value
LISTING_INVALID = IssueCode.LISTING_INVALID.value
VARIANTS_INCONSISTENT = "catalog.variants_inconsistent"
# TikTok rejections that mean "something required is missing" rather than "a value is wrong".
_MISSING_CODES = frozenset({12052104, 12052105, 12052182})
_SHOWN = 5


def missing_item(issue: ListingIssue, draft: ListingDraft | None) -> dict[str, Any]:
    """A missing-attribute entry; attribute issues carry the attribute's Get Attributes description."""
    item: dict[str, Any] = {"field": issue.field, "rule": issue.rule, "message": issue.message}
    if draft is not None:
        item["category_id"] = draft.category.id
        for spec in draft.category_attributes:
            if issue.field == f"product_attributes[id={spec.id}]":
                item.update(
                    id=spec.id,
                    name=spec.name,
                    type=spec.type,
                    is_requried=spec.is_requried,
                    is_customizable=spec.is_customizable,
                    is_multiple_selection=spec.is_multiple_selection,
                    values=[{"id": v.id, "name": v.name} for v in spec.values],
                )
        item.setdefault("kind", "attribute" if "id" in item else issue.field.split("[")[0])
    return item


def error_item(issue: ListingIssue, draft: ListingDraft | None) -> dict[str, Any]:
    return {
        "field": issue.field,
        "rule": issue.rule,
        "code": issue.code.value,
        "message": issue.message,
        "tiktok_code": tiktok_code(issue, draft),
    }


def record_issues(
    ctx: FlowContext,
    listing: ChannelListing,
    sku: str,
    issues: list[ListingIssue],
    draft: ListingDraft | None,
) -> tuple[list[ListingIssue], list[ListingIssue]]:
    """Store the issues on the listing and as exceptions; returns (missing, invalid)."""
    missing = [i for i in issues if i.code is IssueCode.ATTRIBUTE_MISSING]
    wrong = [i for i in issues if i.code is not IssueCode.ATTRIBUTE_MISSING]
    listing.missing_attributes = [missing_item(i, draft) for i in missing]
    listing.validation_errors = [error_item(i, draft) for i in wrong]
    where = f" in TikTok category {draft.category.id}" if draft is not None else ""
    if missing:
        names = [str(m.get("name") or m["field"]) for m in listing.missing_attributes]
        ctx.exceptions.observe(
            code=ATTRIBUTE_MISSING,
            category="catalog",
            entity_type="product",
            entity_id=sku,
            message=(
                f"Product {sku} lacks {len(missing)} thing(s) TikTok requires{where}: "
                f"{', '.join(names[:_SHOWN])}{'...' if len(names) > _SHOWN else ''}. Fill them in the master "
                "catalog or approve the proposed values; the listing is pushed again once they are complete."
            ),
            fault={"missing": listing.missing_attributes},
        )
    if wrong:
        ctx.exceptions.observe(
            code=LISTING_INVALID,
            category="catalog",
            entity_type="product",
            entity_id=sku,
            message=f"Product {sku} cannot be listed on TikTok: {wrong[0].message}"
            + (f" ({len(wrong) - 1} more problem(s) on the listing.)" if len(wrong) > 1 else ""),
            fault={"errors": listing.validation_errors},
        )
    return missing, wrong


def record_rejection(
    ctx: FlowContext, listing: ChannelListing, sku: str, error: TikTokError, action: str
) -> None:
    """TikTok refused a write the local rules passed: keep its answer on the listing and as an exception."""
    code = ATTRIBUTE_MISSING if error.code in _MISSING_CODES else LISTING_INVALID
    entry = {
        "field": "",
        "rule": f"tiktok.{error.code}",
        "code": code,
        "message": error.message,
        "tiktok_code": error.code,
    }
    if code == ATTRIBUTE_MISSING:
        listing.missing_attributes = [*(listing.missing_attributes or []), entry]
    else:
        listing.validation_errors = [*(listing.validation_errors or []), entry]
    ctx.exceptions.observe(
        code=code,
        category="catalog",
        entity_type="product",
        entity_id=sku,
        message=(
            f"TikTok refused to {action} product {sku} (code {error.code}): {error.message}. Fix the product "
            "in the master catalog; it is pushed again when it changes."
        ),
        fault={"tiktok_code": error.code, "message": error.message, "request_id": error.request_id},
    )
