"""Product writes: create, edit, partial edit, detail, activate, deactivate, delete, recover.

Create and edit run every rule of `catalog_checks` and answer the first broken one with TikTok's
code. An accepted listing goes to PENDING and, once the sandbox clock passes its audit time, to
ACTIVATE or FAILED; ``save_mode=AS_DRAFT`` saves a DRAFT.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from connectors.tiktok.sandbox import catalog_products as products
from connectors.tiktok.sandbox.catalog_checks import check_product
from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import ApiError, invalid_param

PRODUCT_MISSING = 12019150
NOT_IN_SHOP = 12052034
DUPLICATE_EXTERNAL_ID = 12052996
BATCH_ITEM_FAILED = 12052990
MAX_BATCH = 20
SAVE_MODES = ("LISTING", "AS_DRAFT")


def _shop(ctx: ApiContext) -> dict[str, Any]:
    if ctx.shop_id is None:
        raise ApiError(106013, "Missing shop_cipher.")
    return ctx.state.shops[ctx.shop_id]


def _owned(ctx: ApiContext, product_id: str) -> dict[str, Any]:
    product = ctx.state.products.get(product_id)
    if product is None:
        raise ApiError(PRODUCT_MISSING, f"Product {product_id} does not exist.")
    owner = ctx.state.catalog.owners.get(product_id)
    if owner is not None and owner != ctx.shop_id:
        raise ApiError(NOT_IN_SHOP, f"Product {product_id} does not belong to this shop.")
    return product


def _save_mode(body: dict[str, Any]) -> str:
    mode = str(body.get("save_mode") or "LISTING")
    if mode not in SAVE_MODES:
        raise invalid_param("save_mode", "must be LISTING or AS_DRAFT")
    return mode


def _check(ctx: ApiContext, body: dict[str, Any], draft: bool, product_id: str | None) -> None:
    problems = check_product(ctx.state, _shop(ctx), body, draft=draft)
    if problems:
        raise problems[0].error()
    external = body.get("external_product_id")
    if external:
        # Deleted products are taken to free their external id (UNCERTAIN: not documented).
        for other_id, other in ctx.state.catalog.bodies.items():
            deleted = ctx.state.products.get(other_id, {}).get("status") == "DELETED"
            if other_id != product_id and not deleted and other.get("external_product_id") == external:
                raise ApiError(DUPLICATE_EXTERNAL_ID, f"external_product_id {external} is already used.")


def _accept(
    ctx: ApiContext, product_id: str, body: dict[str, Any], status: str, created: int
) -> dict[str, Any]:
    state = ctx.state
    state.catalog.bodies[product_id] = body
    state.catalog.owners[product_id] = str(ctx.shop_id)
    products.store(state, products.render(state, product_id, body, status, created))
    if status == "PENDING":
        state.catalog.audit_until[product_id] = state.clock.timestamp() + state.catalog.audit_seconds
    else:
        state.catalog.audit_until.pop(product_id, None)
    return state.products[product_id]


def _answer(product: dict[str, Any], warnings: list[str] | None = None) -> dict[str, Any]:
    return {
        "product_id": product["id"],
        "skus": [
            {
                "id": sku["id"],
                "seller_sku": sku["seller_sku"],
                "external_sku_id": sku.get("external_sku_id", ""),
                "sales_attributes": [
                    {"id": a["id"], "value_id": a["value_id"]} for a in sku["sales_attributes"]
                ],
            }
            for sku in product["skus"]
        ],
        "warnings": [{"message": w} for w in warnings or []],
    }


def create_product(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/products."""
    draft = _save_mode(ctx.body) == "AS_DRAFT"
    body = copy.deepcopy(ctx.body)
    with ctx.state.lock:
        products.advance_audits(ctx.state)
        for sku in body.get("skus") or []:
            sku.pop("id", None)  # a create mints every SKU id
        _check(ctx, body, draft, None)
        product_id = ctx.state.next_id()
        products.assign_sku_ids(ctx.state, body, None)
        product = _accept(ctx, product_id, body, "DRAFT" if draft else "PENDING", ctx.state.clock.timestamp())
        return _answer(product)


def edit_product(ctx: ApiContext) -> dict[str, Any]:
    """PUT /product/202309/products/{id}: full replace; SKUs left out are deleted."""
    product_id = ctx.path_params["product_id"]
    draft = _save_mode(ctx.body) == "AS_DRAFT"
    body = copy.deepcopy(ctx.body)
    with ctx.state.lock:
        products.advance_audits(ctx.state)
        current = _owned(ctx, product_id)
        if current["status"] == "DELETED":
            raise ApiError(PRODUCT_MISSING, f"Product {product_id} is deleted; recover it before editing.")
        if draft and current["status"] != "DRAFT":
            raise invalid_param("save_mode", "AS_DRAFT is only accepted while the product is a draft")
        unknown = products.unknown_sku_ids(body, current)
        if unknown:
            raise invalid_param("skus.id", f"{unknown[0]} does not belong to product {product_id}")
        _check(ctx, body, draft, product_id)
        products.assign_sku_ids(ctx.state, body, current)
        product = _accept(
            ctx, product_id, body, "DRAFT" if draft else "PENDING", current.get("create_time", 0)
        )
        return _answer(product)


def partial_edit_product(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/products/{id}/partial_edit: only the fields sent change."""
    product_id = ctx.path_params["product_id"]
    with ctx.state.lock:
        products.advance_audits(ctx.state)
        current = _owned(ctx, product_id)
        if current["status"] == "DELETED":
            raise ApiError(PRODUCT_MISSING, f"Product {product_id} is deleted; recover it before editing.")
        base = copy.deepcopy(ctx.state.catalog.bodies.get(product_id) or {})
        merged = {**base, **{k: copy.deepcopy(v) for k, v in ctx.body.items() if k != "skus"}}
        if "skus" in ctx.body:
            by_id = {s["id"]: s for s in base.get("skus") or []}
            for sku in ctx.body["skus"] or []:
                if str(sku.get("id")) not in by_id:
                    raise invalid_param(
                        "skus.id", f"partial edit needs the id of an existing SKU, not {sku.get('id')}"
                    )
                by_id[str(sku["id"])].update(copy.deepcopy(sku))
            merged["skus"] = list(by_id.values())
        draft = current["status"] == "DRAFT"
        _check(ctx, merged, draft, product_id)
        audited = any(merged.get(f) != base.get(f) for f in products.AUDITED_FIELDS)
        status = current["status"] if draft or not audited else "PENDING"
        product = _accept(ctx, product_id, merged, status, current.get("create_time", 0))
        return _answer(product)


def get_product(ctx: ApiContext) -> dict[str, Any]:
    """GET /product/202309/products/{id}."""
    with ctx.state.lock:
        products.advance_audits(ctx.state)
        return copy.deepcopy(_owned(ctx, ctx.path_params["product_id"]))


def _batch(ctx: ApiContext, change: Callable[[str, dict[str, Any]], str | None]) -> dict[str, Any]:
    ids = ctx.body.get("product_ids")
    if not isinstance(ids, list) or not ids:
        raise invalid_param("product_ids", "is required")
    if len(ids) > MAX_BATCH:
        raise invalid_param("product_ids", f"accepts at most {MAX_BATCH} ids")
    errors = []
    with ctx.state.lock:
        products.advance_audits(ctx.state)
        for raw in ids:
            product_id = str(raw)
            try:
                problem = change(product_id, _owned(ctx, product_id))
            except ApiError as exc:
                errors.append(
                    {"code": exc.code, "message": exc.message, "detail": {"product_id": product_id}}
                )
                continue
            if problem:
                errors.append(
                    {"code": BATCH_ITEM_FAILED, "message": problem, "detail": {"product_id": product_id}}
                )
    return {"errors": errors} if errors else {}


def activate(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/products/activate: deactivated products go live again."""

    def change(product_id: str, product: dict[str, Any]) -> str | None:
        if product["status"] == "ACTIVATE":
            return None
        if product["status"] != "SELLER_DEACTIVATED":
            return f"Product {product_id} is {product['status']}; only deactivated products can be activated."
        products.set_status(ctx.state, product_id, "ACTIVATE")
        return None

    return _batch(ctx, change)


def deactivate(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/products/deactivate: live products stop selling."""

    def change(product_id: str, product: dict[str, Any]) -> str | None:
        if product["status"] == "SELLER_DEACTIVATED":
            return None
        if product["status"] not in ("ACTIVATE", "PENDING"):
            return f"Product {product_id} is {product['status']}; only live products can be deactivated."
        ctx.state.catalog.audit_until.pop(product_id, None)
        products.set_status(ctx.state, product_id, "SELLER_DEACTIVATED")
        return None

    return _batch(ctx, change)


def delete(ctx: ApiContext) -> dict[str, Any]:
    """DELETE /product/202309/products (a DELETE with a JSON body)."""

    def change(product_id: str, product: dict[str, Any]) -> str | None:
        if product["status"] == "DELETED":
            return f"Product {product_id} is already deleted."
        ctx.state.catalog.deleted_from[product_id] = product["status"]
        ctx.state.catalog.audit_until.pop(product_id, None)
        products.set_status(ctx.state, product_id, "DELETED")
        return None

    return _batch(ctx, change)


def recover(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/products/recover: a deleted product comes back deactivated (or a draft).

    Which status a recovered product gets is not in the reference (UNCERTAIN); coming back
    deactivated means nothing sells until the seller (or the push) activates it.
    """

    def change(product_id: str, product: dict[str, Any]) -> str | None:
        if product["status"] != "DELETED":
            return f"Product {product_id} is not deleted."
        before = ctx.state.catalog.deleted_from.pop(product_id, "SELLER_DEACTIVATED")
        products.set_status(ctx.state, product_id, "DRAFT" if before == "DRAFT" else "SELLER_DEACTIVATED")
        return None

    return _batch(ctx, change)


ROUTES = [
    Route("POST", "/product/202309/products", create_product),
    Route("GET", "/product/202309/products/{product_id}", get_product),
    Route("PUT", "/product/202309/products/{product_id}", edit_product),
    Route("POST", "/product/202309/products/{product_id}/partial_edit", partial_edit_product),
    Route("POST", "/product/202309/products/activate", activate),
    Route("POST", "/product/202309/products/deactivate", deactivate),
    Route("DELETE", "/product/202309/products", delete),
    Route("POST", "/product/202309/products/recover", recover),
]
