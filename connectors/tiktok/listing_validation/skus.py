"""SKU rules: how many, seller SKUs, and consistent, distinct variant options."""

from __future__ import annotations

from .issue import ListingIssue, invalid, quote
from .model import Sku

__all__ = [
    "MAX_SALES_ATTRIBUTE_NAME_LENGTH",
    "MAX_SALES_ATTRIBUTE_VALUE_LENGTH",
    "MAX_SELLER_SKU_LENGTH",
    "MAX_SKUS",
    "check_skus",
]

# The official text gives 100 for US and UK and 300 elsewhere (older docs), while the error for
# 12052050 says 100 without naming a market. 100 is used everywhere (UNCERTAIN): it is never rejected.
MAX_SKUS = 100
MAX_SELLER_SKU_LENGTH = 50
MAX_SALES_ATTRIBUTE_NAME_LENGTH = 20
MAX_SALES_ATTRIBUTE_VALUE_LENGTH = 50


def check_skus(skus: list[Sku]) -> list[ListingIssue]:
    """Return the SKU rules the draft breaks (identifier codes are checked in identifiers.py)."""
    if not skus:
        return [invalid("skus", "skus.required", "The product has no SKU; add at least one.")]
    issues: list[ListingIssue] = []
    if len(skus) > MAX_SKUS:
        issues.append(
            invalid(
                "skus",
                "skus.max_count",
                f"The product has {len(skus)} SKUs; TikTok Shop allows at most {MAX_SKUS} per product, so "
                "split it into several products or drop variants.",
            )
        )
    first_use: dict[str, int] = {}
    for index, sku in enumerate(skus):
        issues.extend(_seller_sku_issues(index, sku, first_use))
        issues.extend(_sales_attribute_issues(index, sku))
    if len(skus) > 1:
        issues.extend(_variant_issues(skus))
    return issues


def _seller_sku_issues(index: int, sku: Sku, first_use: dict[str, int]) -> list[ListingIssue]:
    field = f"skus[{index}].seller_sku"
    value = sku.seller_sku
    if not value.strip():
        # Orders are matched to the master catalog by seller SKU, so a SKU without one cannot be routed.
        return [
            invalid(
                field,
                "skus.seller_sku_required",
                f"SKU {index + 1} has no seller SKU; set it to the master catalog's SKU.",
            )
        ]
    issues: list[ListingIssue] = []
    if len(value) > MAX_SELLER_SKU_LENGTH:
        issues.append(
            invalid(
                field,
                "skus.seller_sku_length",
                f"The seller SKU {quote(value)} is {len(value)} characters long; TikTok Shop allows at most "
                f"{MAX_SELLER_SKU_LENGTH}, so shorten it (and map it to the master SKU).",
            )
        )
    if value != value.strip():
        # Whitespace at the ends is invisible to sellers but breaks matching orders to the master SKU.
        issues.append(
            invalid(
                field,
                "skus.seller_sku_whitespace",
                f"The seller SKU {quote(value)} starts or ends with whitespace; remove it.",
            )
        )
    first = first_use.setdefault(value, index)
    if first != index:
        issues.append(
            invalid(
                field,
                "skus.duplicate_seller_sku",
                f"The seller SKU {quote(value)} is used by SKU {first + 1} and SKU {index + 1}; give each "
                "SKU its own seller SKU.",
            )
        )
    return issues


def _sales_attribute_issues(index: int, sku: Sku) -> list[ListingIssue]:
    issues: list[ListingIssue] = []
    seen: set[str] = set()
    for position, option in enumerate(sku.sales_attributes):
        path = f"skus[{index}].sales_attributes[{position}]"
        name = option.name.strip()
        if not 1 <= len(name) <= MAX_SALES_ATTRIBUTE_NAME_LENGTH:
            issues.append(
                invalid(
                    f"{path}.name",
                    "skus.sales_attribute_name_length",
                    f"The variant option name {quote(option.name)} of SKU {quote(sku.seller_sku)} must have "
                    f"1 to {MAX_SALES_ATTRIBUTE_NAME_LENGTH} characters; rename it (for example 'Color' "
                    "or 'Size').",
                )
            )
        if not 1 <= len(option.value_name.strip()) <= MAX_SALES_ATTRIBUTE_VALUE_LENGTH:
            issues.append(
                invalid(
                    f"{path}.value_name",
                    "skus.sales_attribute_value_length",
                    f"The {quote(option.name)} value {quote(option.value_name)} of SKU "
                    f"{quote(sku.seller_sku)} "
                    f"must have 1 to {MAX_SALES_ATTRIBUTE_VALUE_LENGTH} characters; shorten or fill it.",
                )
            )
        if name.casefold() in seen:
            issues.append(
                invalid(
                    f"{path}.name",
                    "skus.duplicate_sales_attribute",
                    f"SKU {quote(sku.seller_sku)} gives the variant option {quote(option.name)} "
                    "twice; keep one.",
                )
            )
        seen.add(name.casefold())
    if sum(1 for option in sku.sales_attributes if option.image_url) > 1:
        issues.append(
            invalid(
                f"skus[{index}].sales_attributes",
                "skus.sales_attribute_images",
                f"SKU {quote(sku.seller_sku)} has images on more than one variant option; TikTok Shop allows "
                "an image on one option only, so keep the images on a single option such as Color.",
            )
        )
    return issues


def _option_names(sku: Sku) -> frozenset[str]:
    return frozenset(option.name.strip().casefold() for option in sku.sales_attributes)


def _combination(sku: Sku) -> frozenset[tuple[str, str]]:
    return frozenset(
        (option.name.strip().casefold(), option.value_name.strip().casefold())
        for option in sku.sales_attributes
    )


def _variant_issues(skus: list[Sku]) -> list[ListingIssue]:
    issues: list[ListingIssue] = []
    expected = _option_names(skus[0])
    combinations: dict[frozenset[tuple[str, str]], int] = {}
    for index, sku in enumerate(skus):
        if _option_names(sku) != expected:
            wanted = ", ".join(option.name for option in skus[0].sales_attributes) or "none"
            issues.append(
                invalid(
                    f"skus[{index}].sales_attributes",
                    "skus.inconsistent_sales_attributes",
                    f"SKU {quote(sku.seller_sku)} has variant options that differ from the first SKU's "
                    f"({wanted}); give every SKU the same options.",
                )
            )
            continue
        first = combinations.setdefault(_combination(sku), index)
        if first != index:
            issues.append(
                invalid(
                    f"skus[{index}].sales_attributes",
                    "skus.duplicate_variant",
                    f"SKU {quote(sku.seller_sku)} has the same variant options as SKU "
                    f"{quote(skus[first].seller_sku)}; give each SKU a distinct value.",
                )
            )
    return issues
