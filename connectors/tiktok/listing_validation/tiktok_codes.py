"""Which TikTok Shop error a local rule prevents: the code create or edit would answer for it.

Each local issue is caught before a push; this table says which rejection it spares, so a stored
issue can name TikTok's code and the tests can pair every sandbox rejection with its local rule.
Rules TikTok has no dedicated code for answer the gateway's 36009004 "invalid param error".
"""

from __future__ import annotations

from .issue import ListingIssue
from .model import ListingDraft
from .package import IMPERIAL_REGIONS, INCH, POUND

__all__ = ["INVALID_PARAM", "RULE_CODES", "tiktok_code"]

INVALID_PARAM = 36009004
IMPERIAL_OUTSIDE_US = 12019061

RULE_CODES: dict[str, int] = {
    "title.required": 12052261,
    "title.max_length": 12052051,
    "title.min_length": 12052051,
    "title.chinese_characters": 12052262,
    **dict.fromkeys(
        (
            "title.emoji",
            "title.control_character",
            "title.html_escape",
            "title.repeated_characters",
            "title.symbols_only",
        ),
        12052931,
    ),
    "description.required": 12052015,
    "description.max_length": 12052013,
    "description.max_images": 12052056,
    **dict.fromkeys(
        (
            "description.emoji",
            "description.control_character",
            "description.html_escape",
            "description.repeated_characters",
            "description.symbols_only",
        ),
        12052932,
    ),
    **dict.fromkeys(
        (
            "description.tag_not_allowed",
            "description.nesting",
            "description.image_attributes",
            "description.image_size",
        ),
        12019006,
    ),
    "main_images.required": 12052028,
    "main_images.format": 12038004,  # refused at upload
    "main_images.max_size": 12038005,  # refused at upload
    "category.unknown": 12052023,
    "category.leaf": 12052024,
    "category.invite_only": 12052223,
    "brand.not_available": 12052208,
    "brand.unauthorized": 12052201,
    "attributes.required": 12052104,
    "attributes.conditionally_required": 12052182,
    "attributes.condition_not_met": 12052183,
    "certifications.required": 12052105,
    "package_weight.positive": 12052181,
    "package_weight.value": 12019011,
    "package_weight.max": 12019011,
    "package_weight.unit": 12019011,
    "package_dimensions.required": 12052116,
    "package_dimensions.incomplete": 12052116,
    "package_dimensions.integer": 12019012,
    "package_dimensions.unit": 12019012,
    "package.unit_mismatch": 12052915,
    "skus.max_count": 12052050,
    "skus.seller_sku_length": 12052054,
    "skus.duplicate_seller_sku": 12019059,
    "price.required": 12052073,
    "price.range": 12052073,
    "price.currency": 12052012,
    "inventory.range": 12052055,
}


def tiktok_code(issue: ListingIssue, draft: ListingDraft | None = None) -> int:
    """The error code TikTok would answer for ``issue``.

    Units need the draft: an imperial unit outside the US is 12019061, any other unknown unit the
    plain invalid weight or size code.
    """
    if draft is not None and issue.rule in ("package_weight.unit", "package_dimensions.unit"):
        weight, dimensions = draft.package_weight, draft.package_dimensions
        unit = weight.unit if issue.rule == "package_weight.unit" and weight else None
        if issue.rule == "package_dimensions.unit" and dimensions:
            unit = dimensions.unit
        if unit in (POUND, INCH) and draft.region not in IMPERIAL_REGIONS:
            return IMPERIAL_OUTSIDE_US
    return RULE_CODES.get(issue.rule, INVALID_PARAM)
