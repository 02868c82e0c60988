"""The sandbox's own surface under /_sandbox/: seed, faults, shipping, inventory, assertions.

Payloads use SFCC's own document shapes (a seed of OCAPI documents, a shipment fragment with
`tracking_number` and `c_*` attributes, a `product_inventory_record`).
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.data_routes import set_inventory
from connectors.sfcc.sandbox.faults import json_response
from connectors.sfcc.sandbox.shipment_split import SplitError, shipping_status, split_shipment
from connectors.sfcc.sandbox.state import FaultConfig, SandboxState


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sfcc
    return state


async def _body(request: Request) -> Any:
    raw = await request.body()
    return jsonwire.loads(raw) if raw else {}


async def seed(request: Request) -> Response:
    """POST /_sandbox/seed: replace the whole instance with a new seed (keeps the clock)."""
    old = _state(request)
    new = SandboxState.from_seed(await _body(request), clock=old.clock)
    request.app.state.sfcc = new
    return json_response({"products": len(new.products), "clients": len(new.clients)})


async def faults(request: Request) -> Response:
    """POST /_sandbox/faults merges fault settings; DELETE resets them. `expire_tokens` drops tokens."""
    state = _state(request)
    with state.lock:
        if request.method == "DELETE":
            state.faults = FaultConfig()
            state.rng = random.Random(0)
        else:
            body = dict(await _body(request))
            if body.pop("expire_tokens", False):
                state.tokens.clear()
            known = {f.name for f in dataclasses.fields(FaultConfig)}
            unknown = sorted(set(body) - known)
            if unknown:
                return json_response({"error": f"unknown fault settings: {', '.join(unknown)}"}, 400)
            state.faults = dataclasses.replace(state.faults, **body)
            if "seed" in body:
                state.rng = random.Random(body["seed"])
        return json_response(dataclasses.asdict(state.faults))


async def ship_order(request: Request) -> Response:
    """POST /_sandbox/orders/{no}/ship with `{shipment_id?, tracking_number, c_*...}`.

    With `product_items` (`[{product_id, quantity}]`) only those units ship: they move from shipment
    `from_shipment_id` (default: the first) into the new shipment `shipment_id`, which ships.
    """
    state = _state(request)
    body = await _body(request)
    order_no = request.path_params["order_no"]
    with state.lock:
        order = state.orders.get(order_no)
        if order is None:
            return json_response({"error": f"no order {order_no}"}, 404)
        shipment_id = body.get("shipment_id", order["shipments"][0]["shipment_id"])
        if body.get("product_items"):
            source = body.get("from_shipment_id", order["shipments"][0]["shipment_id"])
            try:
                split_shipment(state, order, source, shipment_id, list(body["product_items"]))
            except SplitError as error:
                return json_response({"error": str(error)}, 400)
        shipment = next((s for s in order["shipments"] if s["shipment_id"] == shipment_id), None)
        if shipment is None:
            return json_response({"error": f"no shipment {shipment_id} in order {order_no}"}, 404)
        shipment.update({k: v for k, v in body.items() if k == "tracking_number" or k.startswith("c_")})
        shipment["shipping_status"] = "shipped"
        order["shipping_status"] = shipping_status(order)
        order["last_modified"] = state.now_iso()
        return json_response(order)


async def put_inventory(request: Request) -> Response:
    """PUT /_sandbox/inventory_lists/{list}/product_inventory_records/{product}: a record document."""
    state = _state(request)
    body = await _body(request)
    list_id, product_id = request.path_params["list_id"], request.path_params["product_id"]
    with state.lock:
        if list_id not in state.inventory_lists:
            return json_response({"error": f"no inventory list {list_id}"}, 404)
        record = set_inventory(state, list_id, product_id, body, replace=False)
    return json_response(record)


async def put_product(request: Request) -> Response:
    """PUT /_sandbox/products/{id}: a `product` document merged into the catalog (new or changed)."""
    state = _state(request)
    body = await _body(request)
    product_id = request.path_params["product_id"]
    with state.lock:
        product = {**state.products.get(product_id, {}), **body, "id": product_id}
        product["last_modified"] = state.now_iso()
        state.products[product_id] = product
    return json_response(product)


async def orders(request: Request) -> Response:
    """GET /_sandbox/orders: every order, for assertions."""
    state = _state(request)
    with state.lock:
        return json_response({"count": len(state.orders), "data": list(state.orders.values())})


async def order(request: Request) -> Response:
    """GET /_sandbox/orders/{no}."""
    state = _state(request)
    found = state.orders.get(request.path_params["order_no"])
    return json_response(found) if found else json_response({"error": "no such order"}, 404)


async def stats(request: Request) -> Response:
    """GET /_sandbox/stats: request counts per client and per status, open baskets, the rate limit."""
    state = _state(request)
    with state.lock:
        return json_response(
            {
                "requests_total": sum(state.requests_by_client.values()),
                "requests_by_client": dict(state.requests_by_client),
                "responses_by_status": {str(k): v for k, v in state.responses_by_status.items()},
                "open_baskets": len(state.baskets),
                "orders": len(state.orders),
                "rate_limit_per_second": state.faults.rate_limit_per_second,
            }
        )


ROUTES = [
    Route("/_sandbox/seed", seed, methods=["POST"]),
    Route("/_sandbox/faults", faults, methods=["POST", "DELETE"]),
    Route("/_sandbox/orders", orders, methods=["GET"]),
    Route("/_sandbox/orders/{order_no}", order, methods=["GET"]),
    Route("/_sandbox/orders/{order_no}/ship", ship_order, methods=["POST"]),
    Route(
        "/_sandbox/inventory_lists/{list_id}/product_inventory_records/{product_id}",
        put_inventory,
        methods=["PUT"],
    ),
    Route("/_sandbox/products/{product_id}", put_product, methods=["PUT"]),
    Route("/_sandbox/stats", stats, methods=["GET"]),
]
