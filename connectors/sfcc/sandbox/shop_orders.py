"""Sandbox OCAPI Shop API orders: create from a basket (own or chosen number), read, search."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.sfcc.sandbox.faults import json_response, ocapi_fault
from connectors.sfcc.sandbox.ocapi import OcapiCall, ocapi_call
from connectors.sfcc.sandbox.search import UnsupportedQuery, search
from connectors.sfcc.sandbox.shop_baskets import shipment_has_items
from connectors.sfcc.sandbox.state import SandboxState

BASE = "/s/{site}/dw/shop/{version}"


def _validate(state: SandboxState, basket: dict[str, Any]) -> Response | None:
    if not basket["product_items"]:
        return ocapi_fault(400, "ValidationException", "The basket has no product items.")
    for shipment in basket["shipments"]:
        if shipment_has_items(basket, shipment["shipment_id"]):
            if not shipment.get("shipping_method"):
                return ocapi_fault(
                    400,
                    "MissingShippingMethodIdException",
                    f"Shipment '{shipment['shipment_id']}' has no shipping method.",
                )
            if not shipment.get("shipping_address"):
                return ocapi_fault(400, "ValidationException", "A shipment has no shipping address.")
    if not basket.get("billing_address"):
        return ocapi_fault(400, "ValidationException", "The basket has no billing address.")
    if not basket["payment_instruments"]:
        return ocapi_fault(400, "ValidationException", "The basket has no payment instrument.")
    if not basket.get("customer_info"):
        return ocapi_fault(400, "ValidationException", "The basket has no customer.")
    for item in basket["product_items"]:
        ats = state.ats(item["product_id"])
        if ats is None or ats < Decimal(str(item["quantity"])):
            return ocapi_fault(
                400,
                "ProductItemNotAvailableException",
                f"The product '{item['product_id']}' is no longer available.",
                productId=item["product_id"],
            )
    return None


def _place(call: OcapiCall, order_no: str | None) -> Response:
    state = call.state
    body = call.body if isinstance(call.body, dict) else {}
    basket_id = body.get("basket_id")
    if not basket_id:
        return ocapi_fault(400, "InvalidBasketIdException", "The basket id is missing.")
    with state.lock:
        basket = state.baskets.get(basket_id)
        if basket is None:
            return ocapi_fault(
                404, "BasketNotFoundException", f"No basket with ID '{basket_id}'.", basketId=basket_id
            )
        if order_no is not None and order_no in state.orders:
            # UNCERTAIN: the reference documents the 409, not its fault type; a global one is used.
            return ocapi_fault(
                409,
                "ResourceStateConflictException",
                f"The order number '{order_no}' is already in use.",
                orderNo=order_no,
            )
        error = _validate(state, basket)
        if error is not None:
            return error
        number = order_no or state.next_id("")
        list_id = state.site_inventory_list()
        for item in basket["product_items"]:  # placing an order reserves inventory
            record = state.records.get((list_id or "", item["product_id"]))
            if record is not None and not record.get("perpetual_flag"):
                record["ats"] = Decimal(str(record.get("ats", 0))) - Decimal(str(item["quantity"]))
                record["last_modified"] = state.now_iso()
        now = state.now_iso()
        order = {
            **{k: v for k, v in basket.items() if k not in ("basket_id", "_type", "c_agent_client")},
            "_v": call.version,
            "_type": "order",
            "order_no": number,
            "status": "new",
            "shipping_status": "not_shipped",
            "export_status": "not_exported",
            "confirmation_status": "not_confirmed",
            "payment_status": "not_paid",
            "channel_type": "callcenter",
            "created_by": call.client_id,
            "creation_date": now,
            "last_modified": now,
        }
        for shipment in order["shipments"]:
            shipment.setdefault("shipping_status", "not_shipped")
        state.orders[number] = order
        del state.baskets[basket_id]
    return json_response(order, 200 if order_no else 201)


async def create_order(request: Request) -> Response:
    """POST /orders with `{"basket_id"}`: SFCC picks the number."""
    call = await ocapi_call(request, "shop")
    return call if isinstance(call, Response) else _place(call, None)


async def put_order(request: Request) -> Response:
    """PUT /orders/{order_no} with `{"basket_id"}`: our number; 409 when it is taken."""
    call = await ocapi_call(request, "shop")
    return call if isinstance(call, Response) else _place(call, request.path_params["order_no"])


async def get_order(request: Request) -> Response:
    """GET /orders/{order_no}."""
    call = await ocapi_call(request, "shop")
    if isinstance(call, Response):
        return call
    order_no = request.path_params["order_no"]
    order = call.state.orders.get(order_no)
    if order is None:
        return ocapi_fault(
            404, "OrderNotFoundException", f"No order with number '{order_no}'.", orderNo=order_no
        )
    return json_response(order)


async def order_search(request: Request) -> Response:
    """POST /order_search: term, range and bool queries, sorted and paged."""
    call = await ocapi_call(request, "shop")
    if isinstance(call, Response):
        return call
    body = call.body if isinstance(call.body, dict) else {}
    with call.state.lock:
        orders = list(call.state.orders.values())
    try:
        hits, start, total = search(orders, body)
    except UnsupportedQuery as exc:
        return ocapi_fault(400, "MalformedParameterException", str(exc))
    return json_response(
        {
            "_v": call.version,
            "_type": "order_search_result",
            "count": len(hits),
            "start": start,
            "total": total,
            "hits": [{"_type": "order_search_hit", "data": h, "relevance": 1.0} for h in hits],
            "query": body.get("query"),
            "select": body.get("select"),
            "sorts": body.get("sorts", []),
        }
    )


ROUTES = [
    Route(BASE + "/orders", create_order, methods=["POST"]),
    Route(BASE + "/orders/{order_no}", put_order, methods=["PUT"]),
    Route(BASE + "/orders/{order_no}", get_order, methods=["GET"]),
    Route(BASE + "/order_search", order_search, methods=["POST"]),
]
