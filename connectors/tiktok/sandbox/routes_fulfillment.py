"""Fulfillment: mark package shipped, ship package, update shipping info, package detail.

Error codes other than 21008111 are not documented in the reference; the sandbox uses its own
(``21011xxx``) and the client treats them as validation errors, which is what matters.
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import ApiError, invalid_param

NOT_OWNED = 21008111  # order or package not owned by this seller (reference)
BAD_ORDER_STATUS = 21011001  # sandbox-chosen
BAD_PROVIDER = 21011002  # sandbox-chosen
LINE_NOT_SHIPPABLE = 21011003  # sandbox-chosen
_SHIPPABLE = ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING")


def _order(ctx: ApiContext, order_id: str) -> dict[str, Any]:
    order = ctx.state.orders.get(order_id)
    if order is None:
        raise ApiError(NOT_OWNED, f"Order {order_id} does not exist or is not owned by this seller.")
    return order


def _provider(ctx: ApiContext, order: dict[str, Any], provider_id: Any) -> dict[str, Any]:
    if not provider_id:
        raise invalid_param("shipping_provider_id", "is required")
    option = str(order.get("delivery_option_id") or "")
    for provider in ctx.state.shipping_providers.get(option, []):
        if provider["id"] == str(provider_id):
            return provider
    raise ApiError(
        BAD_PROVIDER,
        f"Shipping provider {provider_id} is not available for delivery option {option or '(none)'}.",
    )


def mark_package_shipped(ctx: ApiContext) -> dict[str, Any]:
    """POST /fulfillment/202309/orders/{order_id}/packages: a seller-shipped package for some lines."""
    state = ctx.state
    state.release_holds()
    tracking = ctx.body.get("tracking_number")
    if not tracking:
        raise invalid_param("tracking_number", "is required")
    with state.lock:
        order = _order(ctx, ctx.path_params["order_id"])
        if order.get("fulfillment_type") == "FULFILLMENT_BY_TIKTOK":
            raise ApiError(BAD_ORDER_STATUS, "Fulfilled by TikTok orders cannot be shipped by the seller.")
        if order.get("status") not in _SHIPPABLE:
            raise ApiError(BAD_ORDER_STATUS, f"Order status {order.get('status')} does not allow shipping.")
        provider = _provider(ctx, order, ctx.body.get("shipping_provider_id"))
        open_lines = {
            line["id"]: line
            for line in order["line_items"]
            if not line.get("package_id") and line.get("display_status") != "CANCELLED"
        }
        wanted = [str(i) for i in ctx.body.get("order_line_item_ids") or list(open_lines)]
        bad = [i for i in wanted if i not in open_lines]
        if bad or not wanted:
            raise ApiError(
                LINE_NOT_SHIPPABLE, f"Order line items cannot be shipped: {', '.join(bad) or 'none'}."
            )
        package_id = state.next_id()
        now = state.clock.timestamp()
        for line_id in wanted:
            line = open_lines[line_id]
            line.update(
                package_id=package_id,
                package_status="PROCESSING",
                tracking_number=tracking,
                shipping_provider_id=provider["id"],
                shipping_provider_name=provider.get("name", ""),
                display_status="AWAITING_COLLECTION",
            )
            state.index_package_line(order, line)
        state.packages[package_id]["package_status"] = "PROCESSING"
        remaining = len(open_lines) - len(wanted)
        order["status"] = "PARTIALLY_SHIPPING" if remaining else "AWAITING_COLLECTION"
        order["update_time"] = now
        state.touch()
        state.received.shipments.append(
            {
                "order_id": order["id"],
                "package_id": package_id,
                "order_line_item_ids": wanted,
                "tracking_number": tracking,
                "shipping_provider_id": provider["id"],
                "at": now,
            }
        )
    return {"order_id": order["id"], "package_id": package_id, "order_line_item_ids": wanted, "warning": None}


def _package(ctx: ApiContext) -> dict[str, Any]:
    package = ctx.state.packages.get(ctx.path_params["package_id"])
    if package is None:
        raise ApiError(NOT_OWNED, f"Package {ctx.path_params['package_id']} does not exist.")
    return package


def _set_tracking(ctx: ApiContext, order: dict[str, Any], package: dict[str, Any] | None) -> None:
    tracking = ctx.body.get("tracking_number")
    if not tracking:
        raise invalid_param("tracking_number", "is required")
    provider = _provider(ctx, order, ctx.body.get("shipping_provider_id"))
    targets = (
        [package] if package else [p for p in ctx.state.packages.values() if p["order_id"] == order["id"]]
    )
    if not targets:
        raise ApiError(BAD_ORDER_STATUS, f"Order {order['id']} has no package to update.")
    for pkg in targets:
        pkg.update(
            tracking_number=tracking,
            shipping_provider_id=provider["id"],
            shipping_provider_name=provider.get("name", ""),
        )
        for line in order["line_items"]:
            if line.get("package_id") == pkg["package_id"]:
                line.update(tracking_number=tracking, shipping_provider_id=provider["id"])
    order["update_time"] = ctx.state.clock.timestamp()
    ctx.state.touch()
    ctx.state.received.shipping_info_updates.append(
        {
            "order_id": order["id"],
            "package_id": package["package_id"] if package else None,
            "tracking_number": tracking,
            "shipping_provider_id": provider["id"],
        }
    )


def update_package_shipping_info(ctx: ApiContext) -> None:
    """POST /fulfillment/202309/packages/{package_id}/shipping_info/update."""
    with ctx.state.lock:
        package = _package(ctx)
        _set_tracking(ctx, ctx.state.orders[package["order_id"]], package)


def update_order_shipping_info(ctx: ApiContext) -> None:
    """POST /fulfillment/202309/orders/{order_id}/shipping_info/update."""
    with ctx.state.lock:
        _set_tracking(ctx, _order(ctx, ctx.path_params["order_id"]), None)


def ship_package(ctx: ApiContext) -> None:
    """POST /fulfillment/202309/packages/{package_id}/ship (TikTok-shipping or self-shipment)."""
    method = ctx.body.get("handover_method")
    if method not in ("PICKUP", "DROP_OFF"):
        raise invalid_param("handover_method", "must be PICKUP or DROP_OFF")
    with ctx.state.lock:
        package = _package(ctx)
        if package["package_status"] != "TO_FULFILL":
            raise ApiError(
                BAD_ORDER_STATUS, f"Package {package['package_id']} is already {package['package_status']}."
            )
        order = ctx.state.orders[package["order_id"]]
        self_shipment = ctx.body.get("self_shipment")
        if self_shipment:
            ctx.body.update(self_shipment)
            _set_tracking(ctx, order, package)
        package["package_status"] = "PROCESSING"
        for line in order["line_items"]:
            if line.get("package_id") == package["package_id"]:
                line["package_status"] = "PROCESSING"
        order["update_time"] = ctx.state.clock.timestamp()
        ctx.state.touch()
        ctx.state.received.shipments.append(
            {
                "order_id": order["id"],
                "package_id": package["package_id"],
                "handover_method": method,
                "order_line_item_ids": list(package["order_line_item_ids"]),
            }
        )


def get_package_detail(ctx: ApiContext) -> dict[str, Any]:
    """GET /fulfillment/202309/packages/{package_id}."""
    with ctx.state.lock:
        package = copy.deepcopy(_package(ctx))
        order = ctx.state.orders[package["order_id"]]
        skus: dict[str, dict[str, Any]] = {}
        for line in order["line_items"]:
            if line.get("package_id") == package["package_id"]:
                sku = skus.setdefault(
                    line.get("sku_id", ""),
                    {"id": line.get("sku_id", ""), "name": line.get("sku_name", ""), "quantity": 0},
                )
                sku["quantity"] += 1
    package["orders"] = [{"id": package.pop("order_id"), "skus": list(skus.values())}]
    return package


ROUTES = [
    Route("POST", "/fulfillment/202309/orders/{order_id}/packages", mark_package_shipped),
    Route("POST", "/fulfillment/202309/packages/{package_id}/ship", ship_package),
    Route(
        "POST", "/fulfillment/202309/packages/{package_id}/shipping_info/update", update_package_shipping_info
    ),
    Route("POST", "/fulfillment/202309/orders/{order_id}/shipping_info/update", update_order_shipping_info),
    Route("GET", "/fulfillment/202309/packages/{package_id}", get_package_detail),
]
