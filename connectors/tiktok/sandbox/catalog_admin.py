"""The catalog's non-JSON and admin routes: image upload, and ``/_sandbox/catalog/...`` scene setting.

Admin calls are never signed: they seed category data in the wire format of Get Categories, Get
Category Rules, Get Attributes and Get Brands, invite a shop to an invite-only category, and tune
the audit.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route as StarletteRoute

from connectors.tiktok.sandbox.catalog_products import advance_audits
from connectors.tiktok.sandbox.routes_images import upload_routes

if TYPE_CHECKING:
    from connectors.tiktok.sandbox.app import Sandbox


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    payload = json.loads(raw) if raw else {}
    if not isinstance(payload, dict):
        raise ValueError("admin payloads are JSON objects")
    return payload


def catalog_routes(sandbox: Sandbox) -> list[StarletteRoute]:
    """Image upload plus the catalog admin routes, bound to one sandbox."""
    state = sandbox.state

    async def seed(request: Request) -> JSONResponse:
        body = await _json(request)
        with state.lock:
            return JSONResponse({"loaded": state.catalog.apply(body)})

    async def settings(request: Request) -> JSONResponse:
        body = await _json(request) if request.method == "POST" else {}
        with state.lock:
            catalog = state.catalog
            if "audit_seconds" in body:
                catalog.audit_seconds = int(body["audit_seconds"])
            if "strict_description" in body:
                catalog.strict_description = bool(body["strict_description"])
            if "banned_terms" in body:
                catalog.banned_terms = tuple(str(t).casefold() for t in body["banned_terms"])
            return JSONResponse(
                {
                    "audit_seconds": catalog.audit_seconds,
                    "strict_description": catalog.strict_description,
                    "banned_terms": list(catalog.banned_terms),
                }
            )

    async def invite(request: Request) -> JSONResponse:
        """``{"shop_id": ..., "category_ids": [...]}``: the shop may list in those invite-only leaves."""
        body = await _json(request)
        with state.lock:
            granted = state.catalog.invitations.setdefault(str(body["shop_id"]), set())
            granted.update(str(c) for c in body.get("category_ids", []))
            return JSONResponse({"shop_id": str(body["shop_id"]), "category_ids": sorted(granted)})

    async def product(request: Request) -> JSONResponse:
        """A product as stored, with the body the API accepted for it (for assertions)."""
        product_id = request.path_params["product_id"]
        advance_audits(state)
        with state.lock:
            stored = state.products.get(product_id)
            if stored is None:
                return JSONResponse({"error": f"no product {product_id}"}, status_code=404)
            return JSONResponse(
                {
                    "product": copy.deepcopy(stored),
                    "accepted_body": copy.deepcopy(state.catalog.bodies.get(product_id)),
                }
            )

    return [
        *upload_routes(sandbox),
        StarletteRoute("/_sandbox/catalog/seed", seed, methods=["POST"]),
        StarletteRoute("/_sandbox/catalog/settings", settings, methods=["GET", "POST"]),
        StarletteRoute("/_sandbox/catalog/invitations", invite, methods=["POST"]),
        StarletteRoute("/_sandbox/catalog/products/{product_id}", product, methods=["GET"]),
    ]
