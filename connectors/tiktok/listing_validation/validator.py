"""The entry point: run every rule over a draft, in the order a seller reads a listing form."""

from __future__ import annotations

from .attributes import check_attributes
from .brand import check_brand
from .category import check_category, check_certifications, check_size_chart
from .description import check_description
from .identifiers import check_identifiers
from .images import check_main_images
from .issue import ListingIssue
from .model import ListingDraft
from .package import check_package_dimensions, check_package_weight
from .price import check_prices
from .skus import check_skus
from .title import check_title

__all__ = ["validate_listing"]


def validate_listing(draft: ListingDraft) -> list[ListingIssue]:
    """Check ``draft`` against TikTok Shop's listing rules without any network call.

    Returns every issue found (an empty list means the draft passes local validation). Issues with
    code ``tiktok.attribute_missing`` name something the category requires and the draft lacks;
    ``tiktok.listing_invalid`` issues name a value that breaks a rule. Order is stable: title,
    description, images, category, brand, attributes, certifications, size chart, package, SKUs,
    prices, codes.
    """
    return [
        *check_title(draft.title, draft.region),
        *check_description(draft.description),
        *check_main_images(draft.main_images),
        *check_category(draft),
        *check_brand(draft),
        *check_attributes(draft),
        *check_certifications(draft),
        *check_size_chart(draft),
        *check_package_weight(draft),
        *check_package_dimensions(draft),
        *check_skus(draft.skus),
        *check_prices(draft),
        *check_identifiers(draft.skus),
    ]
