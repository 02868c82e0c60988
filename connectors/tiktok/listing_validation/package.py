"""Package rules: a positive weight, integer dimensions when required, and units that match."""

from __future__ import annotations

from decimal import Decimal

from .issue import ListingIssue, invalid, missing
from .model import ListingDraft, PackageDimensions, PackageWeight

__all__ = [
    "DIMENSIONS_REQUIRED_REGIONS",
    "IMPERIAL_REGIONS",
    "MAX_WEIGHT_KG",
    "check_package_dimensions",
    "check_package_weight",
]

KILOGRAM, POUND, CENTIMETER, INCH = "KILOGRAM", "POUND", "CENTIMETER", "INCH"
# Pounds and inches are accepted only for US products (error 12019061).
IMPERIAL_REGIONS = frozenset({"US"})
# Local products in these markets must give dimensions even when the category rules do not ask.
DIMENSIONS_REQUIRED_REGIONS = frozenset({"MY", "SG", "GB", "US"})
# Heaviest package per market (150 lb in the US, 30 kg in GB, the EU and MX); other markets: no check.
_POUND_IN_KG = Decimal("0.45359237")
MAX_WEIGHT_KG: dict[str, Decimal] = {
    "US": 150 * _POUND_IN_KG,
    **{region: Decimal(30) for region in ("GB", "DE", "FR", "IT", "ES", "IE", "MX")},
}
# Weight and dimension units come in pairs (error 12052915).
_MATCHING_UNIT = {KILOGRAM: CENTIMETER, POUND: INCH}


def _allowed(metric: str, imperial: str, region: str) -> tuple[str, ...]:
    return (metric, imperial) if region in IMPERIAL_REGIONS else (metric,)


def check_package_weight(draft: ListingDraft) -> list[ListingIssue]:
    """The package weight must be given, above zero, in an allowed unit, and under the market's maximum."""
    weight = draft.package_weight
    if weight is None:
        return [
            invalid(
                "package_weight",
                "package_weight.required",
                "The product has no package weight; enter the packed weight.",
            )
        ]
    issues: list[ListingIssue] = []
    if weight.value <= 0:
        issues.append(
            invalid(
                "package_weight.value",
                "package_weight.positive",
                f"The package weight is {weight.value}; TikTok Shop needs a weight above zero, so enter the "
                "packed weight.",
            )
        )
    allowed = _allowed(KILOGRAM, POUND, draft.region)
    if weight.unit not in allowed:
        issues.append(
            invalid(
                "package_weight.unit",
                "package_weight.unit",
                f"The package weight unit {weight.unit!r} is not accepted for {draft.region} products; "
                f"convert the weight to {' or '.join(allowed)}.",
            )
        )
    elif (limit := _over_limit(weight, draft.region)) is not None:
        issues.append(
            invalid(
                "package_weight.value",
                "package_weight.max",
                f"The package weight is {weight.value} {weight.unit}; TikTok Shop in {draft.region} allows "
                f"at most {limit}, so check the value and its unit.",
            )
        )
    return issues


def _over_limit(weight: PackageWeight, region: str) -> str | None:
    maximum_kg = MAX_WEIGHT_KG.get(region)
    if maximum_kg is None:
        return None
    in_kg = weight.value * _POUND_IN_KG if weight.unit == POUND else weight.value
    if in_kg <= maximum_kg:
        return None
    if weight.unit == POUND:
        return f"{(maximum_kg / _POUND_IN_KG).quantize(Decimal(1))} POUND"
    return f"{maximum_kg.quantize(Decimal('0.01')).normalize()} KILOGRAM"


def check_package_dimensions(draft: ListingDraft) -> list[ListingIssue]:
    """Dimensions are required by category rule, market or cross-border; given ones must be valid."""
    dimensions = draft.package_dimensions
    sides = _sides(dimensions)
    if dimensions is None or all(value is None for value in sides.values()):
        reason = _required_because(draft)
        if reason is None:
            return []
        return [
            missing(
                "package_dimensions",
                "package_dimensions.required",
                f"{reason} requires package dimensions; enter the packed length, width and height as whole "
                "numbers.",
            )
        ]
    issues: list[ListingIssue] = []
    for side, value in sides.items():
        field = f"package_dimensions.{side}"
        if value is None:
            issues.append(
                invalid(
                    field,
                    "package_dimensions.incomplete",
                    f"The package {side} is missing; give length, width and height together, or "
                    "none of them.",
                )
            )
        elif value < 0 or value != value.to_integral_value():
            issues.append(
                invalid(
                    field,
                    "package_dimensions.integer",
                    f"The package {side} is {value}; TikTok Shop needs a whole number that is not negative, "
                    "so round it up.",
                )
            )
    allowed = _allowed(CENTIMETER, INCH, draft.region)
    if dimensions.unit not in allowed:
        issues.append(
            invalid(
                "package_dimensions.unit",
                "package_dimensions.unit",
                f"The package dimension unit {dimensions.unit!r} is not accepted for {draft.region} "
                f"products; convert the dimensions to {' or '.join(allowed)}.",
            )
        )
    elif (weight := draft.package_weight) is not None and weight.unit in _allowed(
        KILOGRAM, POUND, draft.region
    ):
        # A weight unit the market refuses is already reported; pairing it would only repeat that.
        expected = _MATCHING_UNIT[weight.unit]
        if dimensions.unit != expected:
            issues.append(
                invalid(
                    "package_dimensions.unit",
                    "package.unit_mismatch",
                    f"The package weight is in {weight.unit} but the dimensions are in {dimensions.unit}; "
                    f"TikTok Shop pairs {weight.unit} with {expected}, so convert one of them.",
                )
            )
    return issues


def _sides(dimensions: PackageDimensions | None) -> dict[str, Decimal | None]:
    if dimensions is None:
        return {"length": None, "width": None, "height": None}
    return {"length": dimensions.length, "width": dimensions.width, "height": dimensions.height}


def _required_because(draft: ListingDraft) -> str | None:
    if draft.category_rules.package_dimensions_required:
        return f"Category {draft.category.id}"
    if draft.is_cross_border:
        return "A cross-border listing"
    if draft.region in DIMENSIONS_REQUIRED_REGIONS:
        return f"A local {draft.region} listing"
    return None
