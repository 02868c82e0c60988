"""The demo shop's TikTok categories as TikTok describes them: the catalog seed of the sandbox.

The wire formats of Get Categories (v1 tree), Get Category Rules, Get Attributes (with TikTok's own
``is_requried`` spelling) and Get Brands, merged into the sandbox by ``POST /_sandbox/catalog/seed``.
"""

from __future__ import annotations

from typing import Any

from demo.catalog import TEE_COLORS, TEE_SIZES
from demo.categories import CATEGORIES, TEES, AttributeSpec, Category

BRAND_ID = "7082427311584349901"
BRAND_NAME = "Juniper & Pine"
COLOR_ATTRIBUTE, SIZE_ATTRIBUTE = "100000", "100007"


def _node(node_id: str, parent_id: str, name: str, leaf: bool) -> dict[str, Any]:
    return {
        "id": node_id,
        "parent_id": parent_id,
        "local_name": name,
        "is_leaf": leaf,
        "permission_statuses": ["AVAILABLE"],
    }


def category_tree() -> list[dict[str, Any]]:
    """Every category of the demo with its ancestors; ancestors get stable ids by path."""
    nodes: dict[tuple[str, ...], dict[str, Any]] = {}
    for category in CATEGORIES:
        parent = "0"
        for depth in range(1, len(category.path) + 1):
            path = category.path[:depth]
            if path not in nodes:
                nodes[path] = _node(f"{900_000 + len(nodes)}", parent, path[-1], False)
            parent = nodes[path]["id"]
        nodes[(*category.path, category.name)] = _node(category.tiktok_id, parent, category.name, True)
    return list(nodes.values())


def _values(attribute_id: str, names: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"id": f"{attribute_id}{index:03d}", "name": name} for index, name in enumerate(names, start=1)]


def _property(spec: AttributeSpec) -> dict[str, Any]:
    return {
        "id": spec.tiktok_id,
        "name": spec.name,
        "type": "PRODUCT_PROPERTY",
        "is_requried": True,
        "is_customizable": False,
        "is_multiple_selection": False,
        "values": _values(spec.tiktok_id, spec.values),
        "requirement_conditions": [],
    }


def _sales(attribute_id: str, name: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": attribute_id,
        "name": name,
        "type": "SALES_PROPERTY",
        "is_requried": False,
        "is_customizable": True,
        "is_multiple_selection": False,
        "values": _values(attribute_id, values),
        "requirement_conditions": [],
    }


def category_attributes(category: Category) -> list[dict[str, Any]]:
    """Get Attributes for one leaf: its required product properties, and colour and size for tees."""
    attributes = [_property(spec) for spec in category.required]
    if category is TEES:
        attributes += [
            _sales(COLOR_ATTRIBUTE, "Color", TEE_COLORS),
            _sales(SIZE_ATTRIBUTE, "Size", TEE_SIZES),
        ]
    return attributes


RULES: dict[str, Any] = {
    "product_certifications": [],
    "size_chart": {"is_supported": False, "is_required": False},
    "cod": {"is_supported": True},
    "package_dimension": {"is_required": True},
    "epr": {"is_required": False},
}


def catalog_seed() -> dict[str, Any]:
    """The seed document for ``POST /_sandbox/catalog/seed``."""
    return {
        "categories": {"v1": category_tree()},
        "category_rules": {category.tiktok_id: RULES for category in CATEGORIES},
        "category_attributes": {category.tiktok_id: category_attributes(category) for category in CATEGORIES},
        "brands": [
            {
                "id": BRAND_ID,
                "name": BRAND_NAME,
                "authorized_status": "AUTHORIZED",
                "brand_status": "AVAILABLE",
                "is_t1_brand": False,
            }
        ],
        "brand_categories": {BRAND_ID: [category.tiktok_id for category in CATEGORIES]},
    }
