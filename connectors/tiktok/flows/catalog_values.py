"""From master-catalog values to TikTok's: attribute values, variant options, package units, brand.

Pure functions shared by the local draft and the wire body, so that what is validated and what is
sent are the same values.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from connectors.tiktok.flows.catalog_category import CategoryInfo
from connectors.tiktok.flows.catalog_source import ListingSource, SourceSku
from connectors.tiktok.listing_validation import (
    Brand,
    CategoryAttribute,
    PackageDimensions,
    PackageWeight,
    ProductAttribute,
    ProductAttributeValue,
)

PRODUCT_PROPERTY, SALES_PROPERTY = "PRODUCT_PROPERTY", "SALES_PROPERTY"
_WEIGHT_UNITS: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys(("kg", "kgs", "kilogram", "kilograms"), ("KILOGRAM", Decimal(1))),
    **dict.fromkeys(("g", "gram", "grams"), ("KILOGRAM", Decimal("0.001"))),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), ("POUND", Decimal(1))),
    **dict.fromkeys(("oz", "ounce", "ounces"), ("POUND", Decimal(1) / Decimal(16))),
}
_LENGTH_UNITS: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys(("cm", "centimeter", "centimeters", "centimetre"), ("CENTIMETER", Decimal(1))),
    **dict.fromkeys(("mm", "millimeter", "millimeters"), ("CENTIMETER", Decimal("0.1"))),
    **dict.fromkeys(("m", "meter", "meters", "metre"), ("CENTIMETER", Decimal(100))),
    **dict.fromkeys(("in", "inch", "inches"), ("INCH", Decimal(1))),
}


def decimal_text(value: Decimal) -> str:
    """A decimal as TikTok's decimal strings: no exponent, no trailing zeros."""
    text = f"{value.normalize():f}"
    return text


def _raw_values(value: Any) -> list[Any]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item for item in items if item not in (None, "")]


def _spec_for(key: str, specs: list[CategoryAttribute]) -> CategoryAttribute | None:
    folded = key.strip().casefold()
    return next((s for s in specs if s.id == key or s.name.casefold() == folded), None)


def product_attributes(source: ListingSource, info: CategoryInfo) -> list[ProductAttribute]:
    """The root's values for the category's product attributes; keys the category lacks are left out."""
    specs = [s for s in info.attributes if s.type == PRODUCT_PROPERTY]
    found: dict[str, list[ProductAttributeValue]] = {}
    for key, value in source.attributes.items():
        spec = _spec_for(str(key), specs)
        if spec is None:
            continue
        names = {option.name.casefold(): option.id for option in spec.values}
        ids = {option.id for option in spec.values}
        values = found.setdefault(spec.id, [])
        for item in _raw_values(value):
            if isinstance(item, dict) and item.get("id"):
                values.append(ProductAttributeValue(id=str(item["id"])))
                continue
            name = str(item.get("name") if isinstance(item, dict) else item).strip()
            # A value may be written by name ("Cotton") or by its id ("1000101"), as proposals may.
            option_id = names.get(name.casefold()) or (name if name in ids else None)
            values.append(
                ProductAttributeValue(id=option_id) if option_id else ProductAttributeValue(name=name)
            )
    return [ProductAttribute(id=spec_id, values=values) for spec_id, values in found.items() if values]


def sales_options(sku: SourceSku, info: CategoryInfo) -> list[tuple[str, str]]:
    """The SKU's variant options as (TikTok sales attribute name, value); names follow the category.

    Options come in the category's order (Color before Size), then by name: the store may not keep
    the order they were entered in (PostgreSQL's JSON does not), and the image rides on the first.
    """
    specs = [s for s in info.attributes if s.type == SALES_PROPERTY]
    rank = {spec.name.casefold(): index for index, spec in enumerate(specs)}
    ordered = sorted(
        sku.options.items(), key=lambda kv: (rank.get(kv[0].strip().casefold(), len(rank)), kv[0])
    )
    out = []
    for name, value in ordered:
        spec = _spec_for(name, specs)
        label = spec.name if spec else name
        option = (
            next((o.name for o in spec.values if o.name.casefold() == value.strip().casefold()), None)
            if spec
            else None
        )
        out.append((label, option or value.strip()))
    return out


def package_weight(source: ListingSource) -> PackageWeight | None:
    """The master weight in KILOGRAM or POUND (grams and ounces converted within their system)."""
    if source.weight is None:
        return None
    unit = (source.weight_unit or "").strip()
    known = _WEIGHT_UNITS.get(unit.casefold())
    if known is None:
        return PackageWeight(value=source.weight, unit=unit.upper() or "KILOGRAM")
    return PackageWeight(
        value=(source.weight * known[1]).quantize(Decimal("0.001")).normalize(), unit=known[0]
    )


def package_dimensions(source: ListingSource) -> PackageDimensions | None:
    """The master dimensions in CENTIMETER or INCH, rounded up to whole numbers (TikTok takes integers).

    Rounding up keeps the declared package at least as large as the real one.
    """
    if all(side is None for side in source.dimensions):
        return None
    unit = (source.dimension_unit or "").strip()
    tiktok_unit, factor = _LENGTH_UNITS.get(unit.casefold(), (unit.upper() or "CENTIMETER", Decimal(1)))
    sides = [None if side is None else Decimal(math.ceil(side * factor)) for side in source.dimensions]
    return PackageDimensions(length=sides[0], width=sides[1], height=sides[2], unit=tiktok_unit)


def brand_for(source: ListingSource, info: CategoryInfo) -> Brand | None:
    """The master brand as TikTok knows it in the category; an unknown brand is listed without one."""
    if not source.brand:
        return None
    match = next((b for b in info.brands if b.name.casefold() == source.brand.strip().casefold()), None)
    if match is None:
        return None
    return Brand(
        name=match.name,
        id=match.id,
        listed=True,
        authorized_status=match.authorized_status or None,
        brand_status=match.brand_status or None,
    )


def description_html(text: str) -> str:
    """Plain text becomes paragraphs; text that already has tags is kept as written."""
    if "<" in text:
        return text
    # Escaping is left out on purpose: TikTok refuses HTML escapes, and text without '<' opens no tag.
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)
