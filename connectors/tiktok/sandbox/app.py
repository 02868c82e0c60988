"""The sandbox application: a Starlette app speaking TikTok Shop's wire format.

Every Open API call passes, in order: injected latency and faults (429, 5xx), the gateway checks
(app_key, timestamp window, sign, access token, shop_cipher), the per-shop rate limit, then the
route. A dropped connection is decided up front but applied after the route ran, so the write
happened and the client never heard: the hard case for non-idempotent writes.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from connectors.engine.clock import Clock, SystemClock
from connectors.tiktok.sandbox import (
    routes_aftersales,
    routes_auth,
    routes_catalog,
    routes_fulfillment,
    routes_logistics,
    routes_orders,
    routes_products,
)
from connectors.tiktok.sandbox.admin import admin_routes
from connectors.tiktok.sandbox.catalog_admin import catalog_routes
from connectors.tiktok.sandbox.checks import verify
from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import ApiError, error, ok
from connectors.tiktok.sandbox.faults import DroppedResponse, FaultConfig, FaultInjector
from connectors.tiktok.sandbox.ratelimit import ShopRateLimiter
from connectors.tiktok.sandbox.seed import apply_seed, default_seed
from connectors.tiktok.sandbox.state import SandboxState

API_ROUTES: list[Route] = [
    *routes_auth.ROUTES,
    *routes_orders.ROUTES,
    *routes_logistics.ROUTES,
    *routes_fulfillment.ROUTES,
    *routes_products.ROUTES,
    *routes_catalog.ROUTES,
    *routes_aftersales.ROUTES,
]


@dataclass
class Sandbox:
    """Handles to a running sandbox's parts, for in-process tests (``app.state.sandbox``)."""

    state: SandboxState
    faults: FaultInjector
    limiter: ShopRateLimiter


def _endpoint(sandbox: Sandbox, route: Route) -> Callable[[Request], Any]:
    state = sandbox.state

    async def endpoint(request: Request) -> Response:
        body = await request.body()
        config = sandbox.faults.config
        if config.latency_ms:
            await asyncio.sleep(config.latency_ms / 1000)
        fault = sandbox.faults.decide(f"{route.method} {request.url.path}")
        if sandbox.faults.tokens_expire_now():
            state.expire_access_tokens()
        if fault == "429":
            return error(
                36009002, "Too many requests. Retry later.", headers={"Retry-After": str(config.retry_after)}
            )
        if fault == "error":
            return error(36009003, "Internal error. Please retry.", status=500)
        try:
            caller = verify(state, request, body)
            retry_after = sandbox.limiter.check(caller.shop_key)
            if retry_after is not None:
                state.count(state.received.rejections, 36009002)
                return error(
                    36009002,
                    "Too many requests. The shop's rate limit was exceeded.",
                    headers={"Retry-After": str(retry_after)},
                )
            try:
                payload = json.loads(body) if body else {}
            except ValueError:
                raise ApiError(36009022, "The request body must be JSON.") from None
            if not isinstance(payload, dict):
                raise ApiError(36009022, "The request body must be a JSON object.")
            ctx = ApiContext(
                state,
                caller,
                request.method,
                dict(request.query_params),
                payload,
                {k: str(v) for k, v in request.path_params.items()},
            )
            data = route.handler(ctx)
        except ApiError as exc:
            state.count(state.received.rejections, exc.code)
            return exc.response()
        state.count(state.received.calls, f"{route.method} {route.path}")
        return DroppedResponse() if fault == "drop" else ok(data)

    return endpoint


async def _not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        return error(36009010, "Invalid method.", status=405)
    if request.url.path.startswith("/_sandbox/"):
        return JSONResponse({"error": "not found"}, status_code=status)
    return error(36009009, "Invalid path. The API does not exist.", status=404)


def create_app(
    app_key: str,
    app_secret: str,
    *,
    clock: Clock | None = None,
    qps: float | None = None,
    burst: float | None = None,
    seed: dict[str, Any] | None = None,
    faults: FaultConfig | None = None,
    rng_seed: int = 0,
    monotonic: Callable[[], float] = time.monotonic,
) -> Starlette:
    """Build a sandbox. ``seed=None`` loads the default world; pass ``{}`` for an empty one."""
    state = SandboxState(
        app_key=app_key, app_secret=app_secret, clock=clock or SystemClock(), rng_seed=rng_seed
    )
    apply_seed(state, default_seed() if seed is None else seed)
    sandbox = Sandbox(state, FaultInjector(faults), ShopRateLimiter(qps, burst=burst, monotonic=monotonic))
    token_get, token_refresh = routes_auth.make_token_endpoints(state)
    routes = [
        StarletteRoute("/api/v2/token/get", token_get, methods=["GET"]),
        StarletteRoute("/api/v2/token/refresh", token_refresh, methods=["GET"]),
        *admin_routes(state, sandbox.faults, sandbox.limiter),
        *catalog_routes(sandbox),
    ]
    by_path: dict[str, list[Route]] = {}
    for route in API_ROUTES:
        by_path.setdefault(route.path, []).append(route)
    for path, group in by_path.items():
        for route in group:
            routes.append(StarletteRoute(path, _endpoint(sandbox, route), methods=[route.method]))
    app = Starlette(routes=routes, exception_handlers={404: _not_found, 405: _not_found})
    app.state.sandbox = sandbox
    return app
