"""Sandbox OCAPI Data API: inventory lists and records, products, order status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.sfcc.sandbox.faults import json_response, ocapi_fault
from connectors.sfcc.sandbox.ocapi import OcapiCall, ocapi_call, page
from connectors.sfcc.sandbox.search import UnsupportedQuery, search
from connectors.sfcc.sandbox.state import SandboxState

BASE = "/s/-/dw/data/{version}"
ORDER_STATUSES = {"created", "new", "open", "completed", "cancelled", "failed", "failed_with_reopen"}
SHIPPING_STATUSES = {"shipped", "part_shipped", "not_shipped"}


async def _call(request: Request) -> OcapiCall | Response:
    return await ocapi_call(request, "data")


async def inventory_lists(request: Request) -> Response:
    """GET /inventory_lists."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    docs = [{"_type": "inventory_list", **d} for d in call.state.inventory_lists.values()]
    return json_response(page(docs, request, "inventory_lists", call.version))


def _list_or_fault(state: SandboxState, list_id: str) -> Response | None:
    if list_id not in state.inventory_lists:
        return ocapi_fault(
            404, "InventoryListNotFoundException", f"No inventory list '{list_id}'.", inventoryListId=list_id
        )
    return None


async def inventory_records(request: Request) -> Response:
    """GET /inventory_lists/{id}/product_inventory_records."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    list_id = request.path_params["list_id"]
    missing = _list_or_fault(call.state, list_id)
    if missing is not None:
        return missing
    with call.state.lock:
        docs = [
            {"_type": "product_inventory_record", **r}
            for (lid, _), r in sorted(call.state.records.items())
            if lid == list_id
        ]
    return json_response(page(docs, request, "product_inventory_records", call.version))


async def inventory_record(request: Request) -> Response:
    """GET/PUT/PATCH /inventory_lists/{id}/product_inventory_records/{product_id}."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    state = call.state
    list_id, product_id = request.path_params["list_id"], request.path_params["product_id"]
    missing = _list_or_fault(state, list_id)
    if missing is not None:
        return missing
    with state.lock:
        record = state.records.get((list_id, product_id))
        if request.method == "GET":
            if record is None:
                return ocapi_fault(
                    404,
                    "ProductInventoryRecordNotFoundException",
                    f"No inventory record for '{product_id}' in '{list_id}'.",
                )
            return json_response({"_type": "product_inventory_record", **record})
        record = set_inventory(state, list_id, product_id, call.body or {}, replace=request.method == "PUT")
    return json_response({"_type": "product_inventory_record", **record})


def set_inventory(
    state: SandboxState, list_id: str, product_id: str, body: dict[str, Any], *, replace: bool
) -> dict[str, Any]:
    """Write a record; `ats` follows the allocation as SFCC derives it (allocation - turnover)."""
    old = state.records.get((list_id, product_id), {})
    record = {} if replace else dict(old)
    record.update({k: v for k, v in body.items() if not k.startswith("_")})
    record.update(inventory_list_id=list_id, product_id=product_id, last_modified=state.now_iso())
    allocation = record.get("allocation")
    if isinstance(allocation, dict) and "amount" in allocation and "ats" not in body:
        turnover = Decimal(str(record.get("inventory_turnover", 0)))
        record["ats"] = Decimal(str(allocation["amount"])) - turnover
        record["stock_level"] = record["ats"]
    state.records[(list_id, product_id)] = record
    return record


async def product_search(request: Request) -> Response:
    """POST /product_search: products with their variants."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    body = call.body if isinstance(call.body, dict) else {}
    if call.state.faults.unfilterable_product_search and "filtered_query" in (body.get("query") or {}):
        return ocapi_fault(
            400, "MalformedParameterException", "The search index of this instance cannot filter products."
        )
    try:
        hits, start, total = search(list(call.state.products.values()), body)
    except UnsupportedQuery as exc:
        return ocapi_fault(400, "MalformedParameterException", str(exc))
    docs = [{"_type": "product", **h} for h in hits]
    return json_response(
        {
            "_v": call.version,
            "_type": "product_search_result",
            "count": len(docs),
            "hits": docs,
            "start": start,
            "total": total,
        }
    )


async def product(request: Request) -> Response:
    """GET /products/{id} and /products/{id}/variations."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    product_id = request.path_params["product_id"]
    doc = call.state.products.get(product_id)
    if doc is None:
        return ocapi_fault(
            404, "ProductNotFoundException", f"No product '{product_id}'.", productId=product_id
        )
    if request.url.path.endswith("/variations"):
        return json_response(page(doc.get("variants", []), request, "variants", call.version))
    return json_response({"_v": call.version, "_type": "product", **doc})


def _order(call: OcapiCall, request: Request) -> dict[str, Any] | Response:
    site, order_no = request.path_params["site_id"], request.path_params["order_no"]
    if site != call.state.site_id:
        return ocapi_fault(404, "SiteNotFoundException", f"No site '{site}'.", siteId=site)
    order = call.state.orders.get(order_no)
    if order is None:
        return ocapi_fault(404, "OrderNotFoundException", f"No order '{order_no}'.", orderNo=order_no)
    return order


async def order_status(request: Request) -> Response:
    """PUT /sites/{site}/orders/{no}/status; cancel releases the reserved inventory."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    state = call.state
    with state.lock:
        order = _order(call, request)
        if isinstance(order, Response):
            return order
        status = (call.body or {}).get("status")
        if status not in ORDER_STATUSES:
            return ocapi_fault(400, "PropertyConstraintViolationException", f"Bad status '{status}'.")
        if status == "cancelled":
            if order["status"] in ("cancelled", "completed", "failed"):
                return ocapi_fault(
                    409,
                    "CancelOrderException",
                    f"Order '{order['order_no']}' is {order['status']} and cannot be cancelled.",
                )
            list_id = state.site_inventory_list() or ""
            for item in order["product_items"]:
                record = state.records.get((list_id, item["product_id"]))
                if record is not None and not record.get("perpetual_flag"):
                    record["ats"] = Decimal(str(record["ats"])) + Decimal(str(item["quantity"]))
        order.update(status=status, last_modified=state.now_iso())
    return Response(status_code=204)


async def order_shipping_status(request: Request) -> Response:
    """PUT /sites/{site}/orders/{no}/shipping_status."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    with call.state.lock:
        order = _order(call, request)
        if isinstance(order, Response):
            return order
        status = (call.body or {}).get("status")
        if status not in SHIPPING_STATUSES:
            return ocapi_fault(
                400, "PropertyConstraintViolationException", f"Bad shipping status '{status}'."
            )
        order.update(shipping_status=status, last_modified=call.state.now_iso())
    return Response(status_code=204)


async def patch_order(request: Request) -> Response:
    """PATCH /sites/{site}/orders/{no}: custom `c_*` attributes only."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    body = call.body if isinstance(call.body, dict) else {}
    unknown = [k for k in body if not k.startswith(("c_", "_"))]
    if unknown:
        return ocapi_fault(400, "UnknownPropertyException", f"Property '{unknown[0]}' cannot be patched.")
    with call.state.lock:
        order = _order(call, request)
        if isinstance(order, Response):
            return order
        order.update(
            {k: v for k, v in body.items() if k.startswith("c_")}, last_modified=call.state.now_iso()
        )
    return Response(status_code=204)


ROUTES = [
    Route(BASE + "/inventory_lists", inventory_lists, methods=["GET"]),
    Route(BASE + "/inventory_lists/{list_id}/product_inventory_records", inventory_records, methods=["GET"]),
    Route(
        BASE + "/inventory_lists/{list_id}/product_inventory_records/{product_id}",
        inventory_record,
        methods=["GET", "PUT", "PATCH"],
    ),
    Route(BASE + "/product_search", product_search, methods=["POST"]),
    Route(BASE + "/products/{product_id}", product, methods=["GET"]),
    Route(BASE + "/products/{product_id}/variations", product, methods=["GET"]),
    Route(BASE + "/sites/{site_id}/orders/{order_no}", patch_order, methods=["PATCH"]),
    Route(BASE + "/sites/{site_id}/orders/{order_no}/status", order_status, methods=["PUT"]),
    Route(
        BASE + "/sites/{site_id}/orders/{order_no}/shipping_status", order_shipping_status, methods=["PUT"]
    ),
]
