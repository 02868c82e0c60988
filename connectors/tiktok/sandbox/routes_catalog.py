"""Catalog reads: categories (v1 and v2 trees), category rules, attributes, brands; listing check.

``ROUTES`` also carries the product writes of `routes_catalog_products`, so the app registers the
whole catalog with one entry.
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.tiktok.sandbox import routes_catalog_products
from connectors.tiktok.sandbox.catalog_checks import check_product
from connectors.tiktok.sandbox.catalog_state import VERSIONS
from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import ApiError, invalid_param
from connectors.tiktok.sandbox.paging import keyset_page, page_size


def _version(ctx: ApiContext) -> str:
    version = ctx.query.get("category_version") or "v1"
    if version not in VERSIONS:
        raise invalid_param("category_version", "must be v1 or v2")
    return version


def get_categories(ctx: ApiContext) -> dict[str, Any]:
    """GET /product/202309/categories: the whole tree of one version, or nodes matching ``keyword``."""
    version = _version(ctx)
    keyword = (ctx.query.get("keyword") or "").strip().casefold()
    with ctx.state.lock:
        nodes = list(ctx.state.catalog.categories.get(version, {}).values())
        chosen = [n for n in nodes if keyword in n["local_name"].casefold()] if keyword else nodes
        invited = ctx.state.catalog.invitations.get(ctx.shop_id or "", set())
        answer = copy.deepcopy(chosen)
    for node in answer:
        # The statuses are the calling shop's: an invitation turns INVITE_ONLY into AVAILABLE.
        if node["id"] in invited and "INVITE_ONLY" in node["permission_statuses"]:
            node["permission_statuses"] = ["AVAILABLE"]
    return {"categories": answer}


def _leaf(ctx: ApiContext) -> str:
    """The path's category id, which must exist in the asked version (leaf or not)."""
    category_id = ctx.path_params["category_id"]
    version = _version(ctx)
    found = ctx.state.catalog.find_category(category_id)
    if found is None:
        raise ApiError(12052023, f"Category {category_id} does not exist.")
    if found[0] != version:
        raise ApiError(12052230, f"category_version {version} does not match category {category_id}.")
    return category_id


def get_category_rules(ctx: ApiContext) -> dict[str, Any]:
    """GET /product/202309/categories/{id}/rules (certifications, size chart, package dimension)."""
    with ctx.state.lock:
        category_id = _leaf(ctx)
        rules = ctx.state.catalog.rules.get(category_id)
        if rules is None:
            rules = {
                "product_certifications": [],
                "size_chart": {"is_supported": False, "is_required": False},
                "cod": {"is_supported": True},
                "package_dimension": {"is_required": False},
                "epr": {"is_required": False},
            }
        return copy.deepcopy(rules)


def get_attributes(ctx: ApiContext) -> dict[str, Any]:
    """GET /product/202309/categories/{id}/attributes, with TikTok's ``is_requried`` spelling."""
    with ctx.state.lock:
        category_id = _leaf(ctx)
        return {"attributes": copy.deepcopy(ctx.state.catalog.attributes.get(category_id, []))}


def get_brands(ctx: ApiContext) -> dict[str, Any]:
    """GET /product/202309/brands, filtered by category, name and authorisation; page-token paged."""
    size = page_size(ctx.query.get("page_size"))
    category_id = ctx.query.get("category_id")
    name = (ctx.query.get("brand_name") or "").strip().casefold()
    only_authorized = ctx.query.get("is_authorized") in ("1", "true", "True")
    with ctx.state.lock:
        catalog = ctx.state.catalog
        brands = [
            brand
            for brand in catalog.brands.values()
            if (not category_id or category_id in catalog.brand_categories.get(brand["id"], set()))
            and (not name or name in brand["name"].casefold())
            and (not only_authorized or brand.get("authorized_status") == "AUTHORIZED")
        ]
        page, token = keyset_page(brands, lambda b: [b["id"]], size, ctx.query.get("page_token") or None)
        return {"brands": copy.deepcopy(page), "next_page_token": token, "total_count": len(brands)}


def listing_check(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/products/listing_check: every rule a create with this body would break.

    The answer's shape is not in the reference (UNCERTAIN): ``check_result`` PASS or FAILED and one
    ``fail_reasons`` entry per broken rule, each with TikTok's code.
    """
    if ctx.shop_id is None:
        raise ApiError(106013, "Missing shop_cipher.")
    with ctx.state.lock:
        shop = ctx.state.shops[ctx.shop_id]
        draft = ctx.body.get("save_mode") == "AS_DRAFT"
        problems = check_product(ctx.state, shop, ctx.body, draft=draft)
    return {
        "check_result": "FAILED" if problems else "PASS",
        "fail_reasons": [{"code": p.code, "reasons": [p.message]} for p in problems],
    }


ROUTES = [
    Route("GET", "/product/202309/categories", get_categories),
    Route("GET", "/product/202309/categories/{category_id}/rules", get_category_rules),
    Route("GET", "/product/202309/categories/{category_id}/attributes", get_attributes),
    Route("GET", "/product/202309/brands", get_brands),
    Route("POST", "/product/202309/products/listing_check", listing_check),
    *routes_catalog_products.ROUTES,
]
