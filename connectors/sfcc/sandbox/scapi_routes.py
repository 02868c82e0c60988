"""Sandbox SCAPI Admin Orders: createOrders (TSOB token), getOrders and getOrder (AM token).

Orders are stored in the OCAPI (snake_case) shape; SCAPI answers convert them to camelCase, so
both API families see the same orders.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.faults import json_response, problem
from connectors.sfcc.sandbox.state import SandboxState, Token
from connectors.sfcc.sandbox.tokens import valid_token

BASE = "/checkout/orders/v1/organizations/{org}/orders"
_CAMEL = re.compile(r"_([a-z])")
_SNAKE = re.compile(r"(?<!^)([A-Z])")


def to_camel(doc: Any) -> Any:
    """OCAPI field names to SCAPI ones (custom `c_*` attributes keep their names)."""
    if isinstance(doc, dict):
        return {
            (k if k.startswith("c_") else _CAMEL.sub(lambda m: m[1].upper(), k)): to_camel(v)
            for k, v in doc.items()
            if not k.startswith("_")
        }
    if isinstance(doc, list):
        return [to_camel(v) for v in doc]
    return doc


def to_snake(doc: Any) -> Any:
    """SCAPI field names to OCAPI ones."""
    if isinstance(doc, dict):
        return {
            (k if k.startswith("c_") else _SNAKE.sub(r"_\1", k).lower()): to_snake(v) for k, v in doc.items()
        }
    if isinstance(doc, list):
        return [to_snake(v) for v in doc]
    return doc


def _guard(
    request: Request, kinds: tuple[str, ...], scopes: set[str]
) -> tuple[SandboxState, Token] | Response:
    state: SandboxState = request.app.state.sfcc
    if request.path_params["org"] != state.organization_id:
        return problem(404, "not-found", "Not Found", "Unknown organization.")
    found = valid_token(request, state, kinds)
    if found is None:
        return problem(
            401,
            "invalid-access-token",
            "Invalid Access Token",
            "The request is unauthorized, the access token is invalid.",
        )
    token = found[1]
    if token.kind == "am" and f"SALESFORCE_COMMERCE_API:{state.tenant_id}" not in token.scopes:
        return problem(403, "forbidden", "Forbidden", "The token lacks the tenant scope.")
    if not scopes & set(token.scopes):
        return problem(
            403, "forbidden", "Forbidden", f"The token lacks one of the scopes {', '.join(sorted(scopes))}."
        )
    if request.query_params.get("siteId") != state.site_id:
        return problem(
            400,
            "missing-query-parameter",
            "Missing Query Parameter",
            "The query parameter 'siteId' is missing or names an unknown site.",
        )
    return state, token


def _customer_info(state: SandboxState, token: Token) -> dict[str, Any]:
    """The order's customer: the shopper the trusted-system token acts for (or a guest)."""
    login = token.login_id or "guest"
    customer = None if login == "guest" else state.customer_by_login(login)
    if customer is None:
        return {"_type": "customer_info", "customer_no": None, "email": None}
    return {"_type": "customer_info", "customer_no": customer["customer_no"], "email": customer.get("email")}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0))


async def create_orders(request: Request) -> Response:
    """POST .../orders: a pre-calculated order; no lookups, only totals and currency are checked."""
    guarded = _guard(request, ("tsob",), {"sfcc.orders.rw"})
    if isinstance(guarded, Response):
        return guarded
    state, token = guarded
    try:
        body = jsonwire.loads(await request.body())
    except ValueError:
        return problem(400, "bad-request", "Bad Request", "The body is not valid JSON.")
    required = (
        "billingAddress",
        "currency",
        "orderTotal",
        "paymentInstruments",
        "productItems",
        "shipments",
        "taxTotal",
    )
    missing = [f for f in required if f not in body]
    if missing:
        return problem(400, "constraint-violation", "Constraint Violation", f"Missing: {', '.join(missing)}.")
    if body["currency"] not in state.site.get("allowed_currencies", []):
        return problem(
            400, "bad-request", "Bad Request", f"Currency {body['currency']} is not defined on the site."
        )
    items = sum((_money(i.get("grossPrice")) for i in body["productItems"]), Decimal(0))
    shipping = sum((_money(s.get("shippingTotal")) for s in body["shipments"]), Decimal(0))
    adjust = sum((_money(a.get("grossPrice")) for a in body.get("orderPriceAdjustments", [])), Decimal(0))
    if items + shipping + adjust != _money(body["orderTotal"]):
        return problem(
            400,
            "invalid-order-total",
            "Invalid Order Total",
            f"The order total {body['orderTotal']} does not equal the sum {items + shipping + adjust}.",
        )
    taxes = sum((_money(i.get("tax")) for i in body["productItems"]), Decimal(0)) + sum(
        (_money(s.get("taxTotal")) for s in body["shipments"]), Decimal(0)
    )
    if taxes != _money(body["taxTotal"]):
        return problem(400, "invalid-tax-total", "Invalid Tax Total", "The tax total does not equal the sum.")
    with state.lock:
        order_no = body.get("orderNo") or state.next_id("")
        if order_no in state.orders:
            # UNCERTAIN: the spec says orderNo must be unique per site but not which status breaks it.
            return problem(409, "conflict", "Conflict", f"The order number '{order_no}' already exists.")
        now = state.now_iso()
        order = to_snake(body)
        for shipment in order["shipments"]:
            method = shipment.get("shipping_method")
            shipment["shipping_method"] = {"id": method} if isinstance(method, str) else method
            shipment.setdefault("shipping_status", "not_shipped")
        order.update(
            order_no=order_no,
            customer_info=_customer_info(state, token),
            status="new",
            shipping_status="not_shipped",
            export_status="not_exported",
            creation_date=now,
            last_modified=now,
            _type="order",
        )
        state.orders[order_no] = order
    location = f"{request.url.path}/{order_no}?siteId={state.site_id}"
    return Response(status_code=201, headers={"Location": location})


async def get_orders(request: Request) -> Response:
    """GET .../orders with status filters, last-modified range, sort and offset/limit."""
    guarded = _guard(request, ("am",), {"sfcc.orders", "sfcc.orders.rw"})
    if isinstance(guarded, Response):
        return guarded
    state, _ = guarded
    q = request.query_params
    limit, offset = int(q.get("limit", 100)), int(q.get("offset", 0))
    if not 1 <= limit <= 200 or offset + limit > 10_000:
        return problem(
            400,
            "value-constraint-violation",
            "Value Constraint Violation",
            "limit must be 1..200 and offset + limit at most 10000.",
        )
    since = datetime.fromisoformat(q["lastModifiedDateFrom"]) if "lastModifiedDateFrom" in q else None
    with state.lock:
        orders = list(state.orders.values())
    filters = {"status": "status", "shippingStatus": "shipping_status", "exportStatus": "export_status"}
    selected = [
        o
        for o in orders
        if all(o.get(field) == q[param] for param, field in filters.items() if param in q)
        and (since is None or datetime.fromisoformat(o["last_modified"]) >= since)
    ]
    key = "last_modified" if q.get("sortBy") == "last_modified_date" else "creation_date"
    selected.sort(key=lambda o: o.get(key, ""), reverse=q.get("sortOrder", "desc") == "desc")
    chunk = selected[offset : offset + limit]
    return json_response(
        {"data": [to_camel(o) for o in chunk], "limit": limit, "offset": offset, "total": len(selected)}
    )


async def get_order(request: Request) -> Response:
    """GET .../orders/{orderNo}: 404 `order-not-found`."""
    guarded = _guard(request, ("am",), {"sfcc.orders", "sfcc.orders.rw"})
    if isinstance(guarded, Response):
        return guarded
    state, _ = guarded
    order_no = request.path_params["order_no"]
    order = state.orders.get(order_no)
    if order is None:
        return problem(
            404, "order-not-found", "Order Not Found", f"No order with number '{order_no}' exists."
        )
    return json_response(to_camel(order))


ROUTES = [
    Route(BASE, create_orders, methods=["POST"]),
    Route(BASE, get_orders, methods=["GET"]),
    Route(BASE + "/{order_no}", get_order, methods=["GET"]),
]
