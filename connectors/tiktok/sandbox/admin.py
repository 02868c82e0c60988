"""The admin surface under ``/_sandbox/``: seed, clock, faults, tokens, webhooks, and state reads.

Admin calls are never signed, faulted or rate limited: they are how tests set the scene.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from connectors.tiktok.sandbox.faults import FaultInjector
from connectors.tiktok.sandbox.ratelimit import ShopRateLimiter
from connectors.tiktok.sandbox.seed import apply_seed, generate_orders
from connectors.tiktok.sandbox.state import SandboxState

EVENT_TYPES = {
    1: "ORDER_STATUS_CHANGE",
    3: "RECIPIENT_ADDRESS_UPDATE",
    4: "PACKAGE_UPDATE",
    5: "PRODUCT_STATUS_CHANGE",
    6: "SELLER_DEAUTHORIZATION",
    7: "UPCOMING_AUTHORIZATION_EXPIRATION",
    11: "CANCELLATION_STATUS_CHANGE",
    12: "RETURN_STATUS_CHANGE",
}


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    payload = json.loads(raw) if raw else {}
    if not isinstance(payload, dict):
        raise ValueError("admin payloads are JSON objects")
    return payload


def admin_routes(state: SandboxState, faults: FaultInjector, limiter: ShopRateLimiter) -> list[Route]:
    """Build the ``/_sandbox/`` routes bound to one sandbox."""

    async def reset(request: Request) -> JSONResponse:
        state.reset()
        return JSONResponse({"ok": True})

    async def seed(request: Request) -> JSONResponse:
        return JSONResponse({"loaded": apply_seed(state, await _json(request))})

    async def generate(request: Request) -> JSONResponse:
        body = await _json(request)
        start = int(body.get("start_time", state.clock.timestamp() - int(body["count"]) - 3600))
        ids = generate_orders(
            state,
            int(body["count"]),
            start_time=start,
            seed=int(body.get("seed", 0)),
            status=body.get("status", "AWAITING_SHIPMENT"),
        )
        return JSONResponse({"count": len(ids), "first": ids[:1], "last": ids[-1:]})

    async def patch_order(request: Request) -> JSONResponse:
        """Modify or cancel an order as TikTok would: merge fields, bump update_time."""
        body = await _json(request)
        order_id = request.path_params["order_id"]
        with state.lock:
            if order_id not in state.orders:
                return JSONResponse({"error": f"no order {order_id}"}, status_code=404)
            order = {**copy.deepcopy(state.orders[order_id]), **body}
            if "update_time" not in body:
                order["update_time"] = state.clock.timestamp()
            if body.get("status") == "CANCELLED":
                for line in order["line_items"]:
                    line["display_status"] = "CANCELLED"
            state.put_order(order)
            return JSONResponse(state.orders[order_id])

    async def get_order(request: Request) -> JSONResponse:
        with state.lock:
            order = state.orders.get(request.path_params["order_id"])
            return JSONResponse(order, status_code=200 if order else 404)

    async def clock(request: Request) -> JSONResponse:
        if request.method == "POST":
            state.clock.advance(float((await _json(request)).get("advance_seconds", 0)))
        return JSONResponse({"now": state.clock.timestamp()})

    async def fault_settings(request: Request) -> JSONResponse:
        if request.method == "POST":
            faults.update(await _json(request))
        return JSONResponse({**faults.config.__dict__, "injected": dict(faults.injected)})

    async def rate_limit(request: Request) -> JSONResponse:
        body = await _json(request)
        limiter.configure(body.get("qps"), body.get("burst"))
        return JSONResponse({"qps": limiter.qps, "burst": limiter.burst})

    async def auth_code(request: Request) -> JSONResponse:
        code = state.new_token("code_")
        with state.lock:
            state.auth_codes.add(code)
        return JSONResponse({"auth_code": code})

    async def expire_tokens(request: Request) -> JSONResponse:
        """Expire every access token now (``{"refresh": true}`` expires refresh tokens too)."""
        body = await _json(request)
        return JSONResponse({"expired": state.expire_access_tokens(refresh=bool(body.get("refresh")))})

    async def deauthorize(request: Request) -> JSONResponse:
        with state.lock:
            for grant in state.grants.values():
                grant.revoked = True
            return JSONResponse({"revoked": len(state.grants)})

    async def deliver_webhook(request: Request) -> JSONResponse:
        """Sign and POST a webhook: ``{type, data, url?, shop_id?, tts_notification_id?, timestamp?}``."""
        body = await _json(request)
        event_type = int(body["type"])
        url = body.get("url") or state.webhooks.get(EVENT_TYPES.get(event_type, ""), {}).get("address")
        if not url:
            return JSONResponse({"error": "no url and no subscription for this event type"}, status_code=400)
        shop_id = body.get("shop_id") or next(iter(state.shops), "")
        event = {
            "type": event_type,
            "tts_notification_id": str(body.get("tts_notification_id") or state.next_id()),
            "shop_id": shop_id,
            "timestamp": int(body.get("timestamp", state.clock.timestamp())),
            "data": body.get("data", {}),
        }
        raw = json.dumps(event, separators=(",", ":")).encode()
        signature = hmac.new(
            state.app_secret.encode(), state.app_key.encode() + raw, hashlib.sha256
        ).hexdigest()
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(
                url, content=raw, headers={"Authorization": signature, "content-type": "application/json"}
            )
        with state.lock:
            state.received.webhook_deliveries.append({**event, "status": answer.status_code})
        return JSONResponse(
            {"status": answer.status_code, "tts_notification_id": event["tts_notification_id"]}
        )

    async def read_state(request: Request) -> JSONResponse:
        with state.lock:
            r = state.received
            return JSONResponse(
                copy.deepcopy(
                    {
                        "now": state.clock.timestamp(),
                        "orders": len(state.orders),
                        "packages": state.packages,
                        "shipments": r.shipments,
                        "shipping_info_updates": r.shipping_info_updates,
                        "inventory_updates": r.inventory_updates,
                        "webhook_deliveries": r.webhook_deliveries,
                        "calls": r.calls,
                        "rejections": {str(k): v for k, v in r.rejections.items()},
                        "faults_injected": faults.injected,
                        "webhooks": state.webhooks,
                    }
                )
            )

    async def inventory(request: Request) -> JSONResponse:
        with state.lock:
            return JSONResponse(
                {
                    sku["id"]: {
                        "seller_sku": sku.get("seller_sku"),
                        "inventory": copy.deepcopy(sku["inventory"]),
                    }
                    for product in state.products.values()
                    for sku in product["skus"]
                }
            )

    return [
        Route("/_sandbox/reset", reset, methods=["POST"]),
        Route("/_sandbox/seed", seed, methods=["POST"]),
        Route("/_sandbox/orders/generate", generate, methods=["POST"]),
        Route("/_sandbox/orders/{order_id}", patch_order, methods=["POST"]),
        Route("/_sandbox/orders/{order_id}", get_order, methods=["GET"]),
        Route("/_sandbox/clock", clock, methods=["GET", "POST"]),
        Route("/_sandbox/faults", fault_settings, methods=["GET", "POST"]),
        Route("/_sandbox/rate_limit", rate_limit, methods=["POST"]),
        Route("/_sandbox/auth_codes", auth_code, methods=["POST"]),
        Route("/_sandbox/tokens/expire", expire_tokens, methods=["POST"]),
        Route("/_sandbox/deauthorize", deauthorize, methods=["POST"]),
        Route("/_sandbox/webhooks/deliver", deliver_webhook, methods=["POST"]),
        Route("/_sandbox/state", read_state, methods=["GET"]),
        Route("/_sandbox/inventory", inventory, methods=["GET"]),
    ]
