"""Sandbox OCAPI Shop API baskets: the checkout steps and the faults SFCC answers them with."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.sfcc.sandbox.faults import json_response, ocapi_fault
from connectors.sfcc.sandbox.ocapi import OcapiCall, ocapi_call
from connectors.sfcc.sandbox.state import SandboxState

BASE = "/s/{site}/dw/shop/{version}/baskets"


def recalculate(basket: dict[str, Any]) -> None:
    """Totals as SFCC computes them: catalog prices times quantities plus the shipping method price.

    Tax is left at zero: the sandbox site uses no tax table.
    """
    product_total = sum((Decimal(str(i["price"])) for i in basket["product_items"]), Decimal(0))
    shipping_total = Decimal(0)
    for shipment in basket["shipments"]:
        method = shipment.get("shipping_method")
        if method and shipment_has_items(basket, shipment["shipment_id"]):
            shipping_total += Decimal(str(method.get("price", 0)))
    basket.update(
        product_sub_total=product_total,
        product_total=product_total,
        shipping_total=shipping_total,
        tax_total=Decimal(0),
        order_total=product_total + shipping_total,
    )


def shipment_has_items(basket: dict[str, Any], shipment_id: str) -> bool:
    """Whether any product item ships with that shipment."""
    return any(i.get("shipment_id") == shipment_id for i in basket["product_items"])


def _basket(call: OcapiCall, request: Request) -> dict[str, Any] | Response:
    basket_id = request.path_params["basket_id"]
    basket: dict[str, Any] | None = call.state.baskets.get(basket_id)
    if basket is None:
        return ocapi_fault(
            404, "BasketNotFoundException", f"No basket with ID '{basket_id}'.", basketId=basket_id
        )
    return basket


async def _prepare(request: Request) -> tuple[OcapiCall, dict[str, Any]] | Response:
    call = await ocapi_call(request, "shop")
    if isinstance(call, Response):
        return call
    basket = _basket(call, request)
    if isinstance(basket, Response):
        return basket
    return call, basket


def _shipment(basket: dict[str, Any], shipment_id: str) -> dict[str, Any] | Response:
    shipments: list[dict[str, Any]] = basket["shipments"]
    for shipment in shipments:
        if shipment["shipment_id"] == shipment_id:
            return shipment
    return ocapi_fault(404, "ShipmentNotFoundException", f"No shipment '{shipment_id}' in the basket.")


async def create_basket(request: Request) -> Response:
    """POST /baskets: an empty basket with the default shipment `me`."""
    call = await ocapi_call(request, "shop")
    if isinstance(call, Response):
        return call
    body = call.body if isinstance(call.body, dict) else {}
    state = call.state
    currency = body.get("currency") or state.site.get("default_currency", "USD")
    if currency not in state.site.get("allowed_currencies", [currency]):
        return ocapi_fault(
            400, "UnsupportedCurrencyException", f"Currency '{currency}' is not allowed.", currency=currency
        )
    with state.lock:
        basket_id = state.next_id("bk")
        basket: dict[str, Any] = {
            "_v": call.version,
            "_type": "basket",
            "basket_id": basket_id,
            "currency": currency,
            "customer_info": None,
            "product_items": [],
            "payment_instruments": [],
            "shipments": [{"_type": "shipment", "shipment_id": "me"}],
            "billing_address": None,
            "creation_date": state.now_iso(),
            "c_agent_client": call.client_id,
        }
        recalculate(basket)
        state.baskets[basket_id] = basket
    return json_response(basket, 200)


async def get_basket(request: Request) -> Response:
    """GET /baskets/{id}."""
    found = await _prepare(request)
    return found if isinstance(found, Response) else json_response(found[1])


async def delete_basket(request: Request) -> Response:
    """DELETE /baskets/{id}: 204."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    with found[0].state.lock:
        found[0].state.baskets.pop(found[1]["basket_id"], None)
    return Response(status_code=204)


async def set_customer(request: Request) -> Response:
    """PUT /baskets/{id}/customer: `customer_info` with a known customer number and an email."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    call, basket = found
    body = call.body if isinstance(call.body, dict) else {}
    customer_no = body.get("customer_no")
    if customer_no is not None and customer_no not in call.state.customers:
        return ocapi_fault(
            404,
            "CustomerNotFoundException",
            f"No customer with number '{customer_no}'.",
            customerNo=customer_no,
        )
    if not body.get("email"):
        return ocapi_fault(
            400, "PropertyConstraintViolationException", "The property 'email' is required.", property="email"
        )
    with call.state.lock:
        basket["customer_info"] = {
            "_type": "customer_info",
            "customer_no": customer_no,
            "email": body["email"],
        }
    return json_response(basket)


async def add_items(request: Request) -> Response:
    """POST /baskets/{id}/items: online, orderable products with enough ATS in the site's list."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    call, basket = found
    state = call.state
    items = call.body if isinstance(call.body, list) else [call.body or {}]
    with state.lock:
        staged: list[dict[str, Any]] = []
        for item in items:
            error = _check_item(state, basket, item, staged)
            if error is not None:
                return error
            product = state.products[item["product_id"]]
            quantity = Decimal(str(item.get("quantity", 1)))
            base = Decimal(str(product.get("price", 0)))
            staged.append(
                {
                    "_type": "product_item",
                    "item_id": state.next_id("it"),
                    "product_id": product["id"],
                    "product_name": _name(product),
                    "quantity": quantity,
                    "base_price": base,
                    "price": base * quantity,
                    "shipment_id": item.get("shipment_id", "me"),
                }
            )
        basket["product_items"].extend(staged)
        recalculate(basket)
    return json_response(basket)


def _name(product: dict[str, Any]) -> str:
    name = product.get("name")
    return str(name.get("default", product["id"]) if isinstance(name, dict) else name or product["id"])


def _online(product: dict[str, Any]) -> bool:
    flag = product.get("online_flag", True)
    return bool(flag.get("default", True) if isinstance(flag, dict) else flag)


def _check_item(
    state: SandboxState, basket: dict[str, Any], item: dict[str, Any], staged: list[dict[str, Any]]
) -> Response | None:
    product_id = item.get("product_id")
    product = state.products.get(product_id or "")
    if product is None or not _online(product) or product.get("type", {}).get("master"):
        return ocapi_fault(
            400,
            "InvalidProductItemException",
            f"The product '{product_id}' is unknown, offline, not orderable or not in the site catalog.",
            productId=product_id,
        )
    if isinstance(_shipment(basket, item.get("shipment_id", "me")), Response):
        return ocapi_fault(400, "InvalidShipmentIdException", "Unknown shipment id.")
    wanted = Decimal(str(item.get("quantity", 1))) + sum(
        (
            Decimal(str(i["quantity"]))
            for i in [*basket["product_items"], *staged]
            if i["product_id"] == product_id
        ),
        Decimal(0),
    )
    ats = state.ats(str(product_id))
    if ats is None or ats < wanted:
        return ocapi_fault(
            400,
            "ProductItemNotAvailableException",
            f"The product '{product_id}' is not available in quantity {wanted}.",
            productId=product_id,
        )
    return None


async def set_shipping_address(request: Request) -> Response:
    """PUT /baskets/{id}/shipments/{shipment_id}/shipping_address."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    call, basket = found
    shipment = _shipment(basket, request.path_params["shipment_id"])
    if isinstance(shipment, Response):
        return shipment
    with call.state.lock:
        shipment["shipping_address"] = {"_type": "order_address", **(call.body or {})}
    return json_response(basket)


async def set_shipping_method(request: Request) -> Response:
    """PUT .../shipping_method: Missing- or InvalidShippingMethodIdException when the id is wrong."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    call, basket = found
    shipment = _shipment(basket, request.path_params["shipment_id"])
    if isinstance(shipment, Response):
        return shipment
    method_id = (call.body or {}).get("id")
    if not method_id:
        return ocapi_fault(400, "MissingShippingMethodIdException", "The shipping method id is missing.")
    method = call.state.shipping_methods.get(method_id)
    if method is None:
        return ocapi_fault(
            400,
            "InvalidShippingMethodIdException",
            f"'{method_id}' is not a valid shipping method id.",
            shippingMethodId=method_id,
        )
    with call.state.lock:
        shipment["shipping_method"] = {"_type": "shipping_method", **method}
        recalculate(basket)
    return json_response(basket)


async def list_shipping_methods(request: Request) -> Response:
    """GET .../shipments/{shipment_id}/shipping_methods."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    methods = list(found[0].state.shipping_methods.values())
    default = methods[0]["id"] if methods else None
    return json_response(
        {
            "_v": found[0].version,
            "_type": "shipping_method_result",
            "applicable_shipping_methods": methods,
            "default_shipping_method_id": default,
        }
    )


async def set_billing_address(request: Request) -> Response:
    """PUT /baskets/{id}/billing_address."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    call, basket = found
    with call.state.lock:
        basket["billing_address"] = {"_type": "order_address", **(call.body or {})}
    return json_response(basket)


async def add_payment_instrument(request: Request) -> Response:
    """POST /baskets/{id}/payment_instruments: InvalidPaymentMethodIdException for unknown ids."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    call, basket = found
    body = call.body if isinstance(call.body, dict) else {}
    method_id = body.get("payment_method_id")
    if method_id not in call.state.payment_methods:
        return ocapi_fault(
            400,
            "InvalidPaymentMethodIdException",
            f"The payment method '{method_id}' is invalid or not applicable.",
            paymentMethodId=method_id,
        )
    with call.state.lock:
        basket["payment_instruments"].append(
            {
                "_type": "basket_payment_instrument",
                "payment_instrument_id": call.state.next_id("pi"),
                "payment_method_id": method_id,
                "amount": Decimal(str(body.get("amount", 0))),
            }
        )
    return json_response(basket)


async def list_payment_methods(request: Request) -> Response:
    """GET /baskets/{id}/payment_methods."""
    found = await _prepare(request)
    if isinstance(found, Response):
        return found
    return json_response(
        {
            "_v": found[0].version,
            "_type": "payment_method_result",
            "applicable_payment_methods": list(found[0].state.payment_methods.values()),
        }
    )


ROUTES = [
    Route(BASE, create_basket, methods=["POST"]),
    Route(BASE + "/{basket_id}", get_basket, methods=["GET"]),
    Route(BASE + "/{basket_id}", delete_basket, methods=["DELETE"]),
    Route(BASE + "/{basket_id}/customer", set_customer, methods=["PUT"]),
    Route(BASE + "/{basket_id}/items", add_items, methods=["POST"]),
    Route(
        BASE + "/{basket_id}/shipments/{shipment_id}/shipping_address", set_shipping_address, methods=["PUT"]
    ),
    Route(
        BASE + "/{basket_id}/shipments/{shipment_id}/shipping_method", set_shipping_method, methods=["PUT"]
    ),
    Route(
        BASE + "/{basket_id}/shipments/{shipment_id}/shipping_methods", list_shipping_methods, methods=["GET"]
    ),
    Route(BASE + "/{basket_id}/billing_address", set_billing_address, methods=["PUT"]),
    Route(BASE + "/{basket_id}/payment_instruments", add_payment_instrument, methods=["POST"]),
    Route(BASE + "/{basket_id}/payment_methods", list_payment_methods, methods=["GET"]),
]
