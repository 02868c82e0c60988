"""The SFCC sandbox application factory."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from connectors.engine.clock import Clock
from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox import (
    admin_routes,
    customer_routes,
    data_routes,
    scapi_routes,
    shop_baskets,
    shop_orders,
    tokens,
)
from connectors.sfcc.sandbox.faults import FaultMiddleware, ocapi_fault, problem
from connectors.sfcc.sandbox.state import FaultConfig, SandboxState


def default_seed() -> dict[str, Any]:
    """The small seed shipped with the sandbox (see connectors/sfcc/README.md)."""
    text = resources.files("connectors.sfcc.sandbox").joinpath("default_seed.json").read_text()
    seed: dict[str, Any] = jsonwire.loads(text)
    return seed


def load_seed(path: str | Path) -> dict[str, Any]:
    """Read a seed file."""
    seed: dict[str, Any] = jsonwire.loads(Path(path).read_text(encoding="utf-8"))
    return seed


async def _not_found(request: Request, exc: Exception) -> Response:
    path = request.url.path
    if "/dw/" in path:
        return ocapi_fault(404, "ResourcePathNotFoundException", f"Unknown resource path '{path}'.")
    return problem(404, "not-found", "Not Found", f"Unknown path '{path}'.")


def create_app(
    seed: dict[str, Any] | None = None, *, clock: Clock | None = None, faults: FaultConfig | None = None
) -> Starlette:
    """Build a sandbox serving one SFCC instance seeded from `seed` (default: the shipped seed)."""
    state = SandboxState.from_seed(seed or default_seed(), clock=clock)
    if faults is not None:
        state.faults = faults
    routes = [
        *tokens.ROUTES,
        *shop_baskets.ROUTES,
        *shop_orders.ROUTES,
        *data_routes.ROUTES,
        *customer_routes.ROUTES,
        *scapi_routes.ROUTES,
        *admin_routes.ROUTES,
    ]
    app = Starlette(
        routes=routes, middleware=[Middleware(FaultMiddleware)], exception_handlers={404: _not_found}
    )
    app.state.sfcc = state
    return app
