"""The auth host (token exchange and refresh, unsigned) and the authorized-shops call."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import error, ok
from connectors.tiktok.sandbox.state import Grant, SandboxState

INVALID_AUTH_CODE = 36004004
SCOPES = [
    "seller.order.info",
    "seller.product.basic",
    "seller.fulfillment.basic",
    "seller.fulfillment.package.write",
    "seller.shop.info",
    "seller.authorization.info",
]


def _token_data(state: SandboxState, grant: Grant) -> dict[str, Any]:
    return {
        "access_token": grant.access_token,
        "access_token_expire_in": grant.access_expire,
        "refresh_token": grant.refresh_token,
        "refresh_token_expire_in": grant.refresh_expire,
        "open_id": "sandbox-open-id",
        "seller_name": "Sandbox Seller",
        "seller_base_region": "US",
        "user_type": 0,
        "granted_scopes": SCOPES,
    }


def _app_ok(state: SandboxState, request: Request) -> JSONResponse | None:
    q = request.query_params
    if q.get("app_key") != state.app_key or q.get("app_secret") != state.app_secret:
        return error(36009004, "Invalid app_key or app_secret.")
    return None


def make_token_endpoints(state: SandboxState) -> tuple[Any, Any]:
    """Endpoints for GET /api/v2/token/get and GET /api/v2/token/refresh."""

    async def token_get(request: Request) -> JSONResponse:
        refused = _app_ok(state, request)
        if refused:
            return refused
        q = request.query_params
        if q.get("grant_type") != "authorized_code":
            return error(36009004, "invalid param error: grant_type must be authorized_code")
        with state.lock:
            code = q.get("auth_code", "")
            if code not in state.auth_codes:
                return error(INVALID_AUTH_CODE, "Invalid auth code.")
            state.auth_codes.discard(code)  # a code is good for one exchange
            grant = state.issue_grant()
            return ok(_token_data(state, grant))

    async def token_refresh(request: Request) -> JSONResponse:
        refused = _app_ok(state, request)
        if refused:
            return refused
        q = request.query_params
        if q.get("grant_type") != "refresh_token":
            return error(36009004, "invalid param error: grant_type must be refresh_token")
        with state.lock:
            old = state.refresh_index.get(q.get("refresh_token", ""))
            now = state.clock.timestamp()
            if old is None or old.revoked or now >= old.refresh_expire:
                return error(INVALID_AUTH_CODE, "Invalid refresh token.")
            # A new access token; the refresh token and its expiry stay (UNCERTAIN whether TikTok
            # rotates it; keeping it is the safer assumption for clients).
            grant = Grant(
                state.new_token("at"),
                now + state.access_ttl,
                old.refresh_token,
                old.refresh_expire,
                list(old.shop_ids),
            )
            state.grants[grant.access_token] = grant
            state.refresh_index[grant.refresh_token] = grant
            return ok(_token_data(state, grant))

    return token_get, token_refresh


def get_authorized_shops(ctx: ApiContext) -> dict[str, Any]:
    """GET /authorization/202309/shops: the shops this token covers, with their ciphers."""
    with ctx.state.lock:
        shops = [copy.deepcopy(ctx.state.shops[s]) for s in ctx.caller.grant.shop_ids if s in ctx.state.shops]
    return {"shops": shops}


ROUTES = [Route("GET", "/authorization/202309/shops", get_authorized_shops)]
