"""A listing draft that passes every rule, as plain data that each test bends in one place."""

from __future__ import annotations

import copy
from typing import Any

from connectors.tiktok.listing_validation import ListingDraft, validate_listing

MATERIAL, COTTON, WOOL = "100392", "1001", "1003"
PATTERN = "100107"
WOOL_GRADE, MERINO = "100200", "2001"

_GOOD: dict[str, Any] = {
    "region": "US",
    "title": "Classic Cotton Crew Neck T-Shirt for Men, Breathable Everyday Tee",
    "description": (
        "<p>Soft <strong>100% cotton</strong> tee with a <b><i>relaxed</i></b> fit.</p>"
        "<ul><li>Breathable fabric</li><li>Machine washable</li></ul>"
        '<img src="https://cdn.example.com/tee-detail.jpg" width="800" height="800">'
    ),
    "main_images": [
        {
            "url": "https://cdn.example.com/tee-front.jpg",
            "format": "JPEG",
            "width": 1000,
            "height": 1000,
            "size_bytes": 250_000,
        },
        {"url": "https://cdn.example.com/tee-back.png", "width": 1200, "height": 1600, "size_bytes": 400_000},
    ],
    "category": {"id": "601226", "is_leaf": True, "name": "Men's T-Shirts"},
    "category_rules": {
        "certifications": [
            {"id": "7001", "name": "Textile Fibre Label", "is_required": True},
            {
                "id": "7002",
                "name": "Wool Mark",
                "is_required": False,
                "requirement_conditions": [
                    {"condition_type": "VALUE_ID_MATCH", "attribute_id": MATERIAL, "attribute_value_id": WOOL}
                ],
            },
        ],
        "size_chart_required": True,
        "package_dimensions_required": True,
    },
    "category_attributes": [
        {
            "id": MATERIAL,
            "name": "Material",
            "type": "PRODUCT_PROPERTY",
            "is_requried": True,
            "values": [
                {"id": COTTON, "name": "Cotton"},
                {"id": "1002", "name": "Polyester"},
                {"id": WOOL, "name": "Wool"},
            ],
            "value_data_format": "POSITIVE_INT_OR_DECIMAL",
            "is_customizable": False,
            "is_multiple_selection": True,
        },
        {
            "id": PATTERN,
            "name": "Pattern",
            "type": "PRODUCT_PROPERTY",
            "is_requried": False,
            "values": [{"id": "3001", "name": "Solid"}, {"id": "3002", "name": "Striped"}],
            "is_customizable": True,
            "is_multiple_selection": False,
        },
        {
            "id": WOOL_GRADE,
            "name": "Wool Grade",
            "type": "PRODUCT_PROPERTY",
            "is_requried": False,
            "values": [{"id": MERINO, "name": "Merino"}],
            "requirement_conditions": [
                {"condition_type": "VALUE_ID_MATCH", "attribute_id": MATERIAL, "attribute_value_id": WOOL}
            ],
        },
        # A required sales property is filled per SKU, never as a product attribute.
        {
            "id": "100000",
            "name": "Color",
            "type": "SALES_PROPERTY",
            "is_requried": True,
            "values": [],
            "is_customizable": True,
        },
    ],
    "product_attributes": [
        {"id": MATERIAL, "values": [{"id": COTTON}]},
        {"id": PATTERN, "values": [{"name": "Solid"}]},
    ],
    "certifications": [{"id": "7001", "image_urls": ["https://cdn.example.com/label.jpg"]}],
    "size_chart": {"template_id": "SC-1"},
    "package_weight": {"value": "0.3", "unit": "KILOGRAM"},
    "package_dimensions": {"length": "30", "width": "20", "height": "3", "unit": "CENTIMETER"},
    "skus": [
        {
            "seller_sku": "TEE-NAVY-M",
            "identifier_codes": {"EAN": "4006381333931"},
            "sales_attributes": [
                {"name": "Color", "value_name": "Navy", "image_url": "https://cdn.example.com/navy.jpg"},
                {"name": "Size", "value_name": "M"},
            ],
        },
        {
            "seller_sku": "TEE-NAVY-L",
            "identifier_codes": {"UPC": "036000291452"},
            "sales_attributes": [
                {"name": "Color", "value_name": "Navy"},
                {"name": "Size", "value_name": "L"},
            ],
        },
    ],
    "brand": {"name": "Northwind", "id": "7012345678901234567"},
}


def good() -> dict[str, Any]:
    """Return a fresh copy of the passing draft as data."""
    return copy.deepcopy(_GOOD)


def found(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Validate ``data`` and return each issue as (rule, field), in order."""
    return [(issue.rule, issue.field) for issue in validate_listing(ListingDraft.model_validate(data))]


def ean_with_check_digit(body: str) -> str:
    """Append the GS1 check digit, computed left to right (weights 1, 3, 1... for a 12-digit body)."""
    # Weights alternate so that the digit next to the check digit weighs 3, whatever the length.
    weights = [3 if (len(body) - position) % 2 == 1 else 1 for position in range(len(body))]
    total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
    return body + str(-total % 10)
