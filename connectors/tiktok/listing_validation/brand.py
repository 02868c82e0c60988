"""Brand rules: a brand must be offered for the category, available, and authorised for the shop."""

from __future__ import annotations

from .issue import ListingIssue, invalid, quote
from .model import ListingDraft

__all__ = ["check_brand"]


def check_brand(draft: ListingDraft) -> list[ListingIssue]:
    """A brand is optional; one that is given must be usable in the category (12052208, 12052201)."""
    brand = draft.brand
    if brand is None:
        return []
    label = quote(brand.name)
    if brand.listed is False or (brand.brand_status not in (None, "AVAILABLE")):
        return [
            invalid(
                "brand",
                "brand.not_available",
                f"The brand {label} is not available in category {draft.category.id}; pick a brand TikTok "
                "lists for the category, or remove the brand.",
            )
        ]
    if brand.authorized_status not in (None, "AUTHORIZED"):
        return [
            invalid(
                "brand",
                "brand.unauthorized",
                f"The shop is not authorised to sell the brand {label} ({brand.authorized_status}); upload "
                "the brand authorisation in Seller Center, or remove the brand.",
            )
        ]
    return []
