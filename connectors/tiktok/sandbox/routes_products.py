"""Minimal product search, inventory update and inventory search."""

from __future__ import annotations

import copy
from typing import Any

from connectors.tiktok.sandbox.catalog_products import advance_audits
from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import ApiError, invalid_param
from connectors.tiktok.sandbox.paging import keyset_page, page_size

PRODUCT_MISSING = 12019150
BATCH_ITEM_FAILED = 12052990
WAREHOUSE_MISSING = 12052097
INVALID_STOCK = 12019024
WAREHOUSES_INCOMPLETE = 12019028
MAX_QUANTITY = 999_999  # UNCERTAIN: sources give 99,999 or 999,999; the larger is accepted
MAX_SELLER_SKUS = 10


def search_products(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/products/search (filters: status, seller_skus, update_time_ge/le)."""
    size = page_size(ctx.query.get("page_size"))
    skus = ctx.body.get("seller_skus") or []
    if len(skus) > MAX_SELLER_SKUS:
        raise ApiError(12019027, f"seller_skus accepts at most {MAX_SELLER_SKUS} values.")
    status = ctx.body.get("status")
    since, until = ctx.body.get("update_time_ge"), ctx.body.get("update_time_le")
    with ctx.state.lock:
        advance_audits(ctx.state)  # listed products leave PENDING once their audit time has passed
        matching = [
            p
            for p in ctx.state.products.values()
            if (not status or status == "ALL" or p.get("status") == status)
            and (not skus or any(s.get("seller_sku") in skus for s in p["skus"]))
            and (since is None or int(p.get("update_time") or 0) >= int(since))
            and (until is None or int(p.get("update_time") or 0) <= int(until))
        ]
        page, token = keyset_page(matching, lambda p: [p["id"]], size, ctx.query.get("page_token") or None)
        products = copy.deepcopy(page)
    return {"products": products, "next_page_token": token, "total_count": len(matching)}


def _sku_error(sku_id: str, message: str, extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "code": BATCH_ITEM_FAILED,
        "message": message,
        "detail": {"sku_id": sku_id, "extra_errors": extra or []},
    }


def update_inventory(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/products/{product_id}/inventory/update; per-SKU failures in data.errors."""
    state = ctx.state
    skus = ctx.body.get("skus")
    if not isinstance(skus, list) or not skus:
        raise invalid_param("skus", "is required")
    errors: list[dict[str, Any]] = []
    with state.lock:
        product = state.products.get(ctx.path_params["product_id"])
        if product is None:
            raise ApiError(PRODUCT_MISSING, f"Product {ctx.path_params['product_id']} does not exist.")
        sales = [w for w in state.warehouses if w.get("type", "SALES_WAREHOUSE") == "SALES_WAREHOUSE"]
        warehouses = {w["id"] for w in sales}
        # warehouse_id may be left out for a SKU in the shop's default sales warehouse only.
        default = next((w["id"] for w in sales if w.get("is_default")), min(warehouses, default=""))
        by_id = {s["id"]: s for s in product["skus"]}
        for entry in skus:
            sku_id = str(entry.get("id", ""))
            sku = by_id.get(sku_id)
            if sku is None:
                errors.append(_sku_error(sku_id, f"SKU {sku_id} does not belong to product {product['id']}."))
                continue
            if product.get("status") != "ACTIVATE":
                errors.append(_sku_error(sku_id, "The SKU must be live to update its inventory."))
                continue
            extra = []
            levels: dict[str, int] = {}
            for item in entry.get("inventory") or []:
                warehouse_id = str(item.get("warehouse_id") or default)
                quantity = item.get("quantity")
                if warehouse_id not in warehouses:
                    extra.append(
                        {
                            "code": WAREHOUSE_MISSING,
                            "message": "Warehouse does not exist.",
                            "warehouse_id": warehouse_id,
                        }
                    )
                elif not isinstance(quantity, int) or not 0 <= quantity <= MAX_QUANTITY:
                    extra.append(
                        {
                            "code": INVALID_STOCK,
                            "message": "Invalid stock count.",
                            "warehouse_id": warehouse_id,
                        }
                    )
                else:
                    levels[warehouse_id] = quantity
            extra.extend(_left_out(sku, warehouses, levels))
            if extra or not levels:
                errors.append(_sku_error(sku_id, "Failed to update inventory.", extra))
                continue
            current = {i["warehouse_id"]: i for i in sku["inventory"]}
            for warehouse_id, quantity in levels.items():
                current[warehouse_id] = {"warehouse_id": warehouse_id, "quantity": quantity}
            sku["inventory"] = list(current.values())
            state.received.inventory_updates.append(
                {
                    "product_id": product["id"],
                    "sku_id": sku_id,
                    "levels": levels,
                    "at": state.clock.timestamp(),
                }
            )
    return {"errors": errors} if errors else {}


def _left_out(sku: dict[str, Any], warehouses: set[str], levels: dict[str, int]) -> list[dict[str, Any]]:
    """A SKU stocked in several of the shop's warehouses must be sent with every one of them."""
    assigned = sorted({i["warehouse_id"] for i in sku["inventory"]} & warehouses)
    if len(assigned) < 2:
        return []  # one warehouse (or none yet): an update may name any, and adds the new ones
    return [
        {
            "code": WAREHOUSES_INCOMPLETE,
            "message": "Multiple warehouses need every warehouse ID.",
            "warehouse_id": warehouse_id,
        }
        for warehouse_id in assigned
        if warehouse_id not in levels
    ]


def search_inventory(ctx: ApiContext) -> dict[str, Any]:
    """POST /product/202309/inventory/search by product_ids or sku_ids."""
    product_ids = [str(p) for p in ctx.body.get("product_ids") or []]
    sku_ids = [str(s) for s in ctx.body.get("sku_ids") or []]
    if not product_ids and not sku_ids:
        raise invalid_param("product_ids", "or sku_ids is required")
    out: list[dict[str, Any]] = []
    with ctx.state.lock:
        wanted = product_ids or sorted({ctx.state.sku_index[s] for s in sku_ids if s in ctx.state.sku_index})
        for product_id in wanted:
            product = ctx.state.products.get(product_id)
            if product is None:
                continue
            skus = []
            for sku in product["skus"]:
                if sku_ids and sku["id"] not in sku_ids:
                    continue
                levels = [
                    {
                        "warehouse_id": i["warehouse_id"],
                        "available_quantity": i["quantity"],
                        "committed_quantity": 0,
                    }
                    for i in sku["inventory"]
                ]
                skus.append(
                    {
                        "id": sku["id"],
                        "seller_sku": sku.get("seller_sku", ""),
                        "total_available_quantity": sum(i["quantity"] for i in sku["inventory"]),
                        "total_committed_quantity": 0,
                        "warehouse_inventory": levels,
                    }
                )
            out.append({"product_id": product_id, "skus": skus})
    return {"inventory": out}


ROUTES = [
    Route("POST", "/product/202309/products/search", search_products),
    Route("POST", "/product/202309/products/{product_id}/inventory/update", update_inventory),
    Route("POST", "/product/202309/inventory/search", search_inventory),
]
