"""Warehouses, delivery options and shipping providers."""

from __future__ import annotations

import copy
from typing import Any

from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import ApiError


def get_warehouses(ctx: ApiContext) -> dict[str, Any]:
    """GET /logistics/202309/warehouses."""
    with ctx.state.lock:
        return {"warehouses": copy.deepcopy(ctx.state.warehouses)}


def get_delivery_options(ctx: ApiContext) -> dict[str, Any]:
    """GET /logistics/202309/warehouses/{warehouse_id}/delivery_options."""
    warehouse_id = ctx.path_params["warehouse_id"]
    with ctx.state.lock:
        if not any(w["id"] == warehouse_id for w in ctx.state.warehouses):
            raise ApiError(12052097, f"Warehouse {warehouse_id} does not exist.")
        return {"delivery_options": copy.deepcopy(ctx.state.delivery_options.get(warehouse_id, []))}


def get_shipping_providers(ctx: ApiContext) -> dict[str, Any]:
    """GET /logistics/202309/delivery_options/{delivery_option_id}/shipping_providers."""
    option_id = ctx.path_params["delivery_option_id"]
    with ctx.state.lock:
        providers = ctx.state.shipping_providers.get(option_id)
        if providers is None:
            # Code not in the reference; the sandbox reuses the invalid-parameter answer.
            raise ApiError(36009004, f"invalid param error: delivery_option_id {option_id} does not exist")
        return {"shipping_providers": copy.deepcopy(providers)}


ROUTES = [
    Route("GET", "/logistics/202309/warehouses", get_warehouses),
    Route("GET", "/logistics/202309/warehouses/{warehouse_id}/delivery_options", get_delivery_options),
    Route(
        "GET",
        "/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers",
        get_shipping_providers,
    ),
]
