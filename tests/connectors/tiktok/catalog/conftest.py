"""Catalog test fixtures: real PNG files, an image host, a catalog client, and a daemon over the sandbox."""

from __future__ import annotations

import copy
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.config import load_config
from connectors.engine.app import DaemonApp, create_daemon
from connectors.engine.clock import FrozenClock
from connectors.sandbox_runner import running_sandbox
from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.client import TikTokClient, build_client
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE
from connectors.tiktok.store_tokens import StoreTokenStore

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"
_SIZE = re.compile(r"(\d+)x(\d+)")


def png(width: int, height: int) -> bytes:
    """A valid RGB PNG of the given size (one colour; compresses to a few hundred bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _image(request: Request) -> Response:
    """``/images/<anything>-<W>x<H>.png`` answers a PNG of that size; ``missing`` paths answer 404."""
    name = request.path_params["name"]
    found = _SIZE.search(name)
    if "missing" in name or found is None:
        return Response(status_code=404)
    return Response(png(int(found.group(1)), int(found.group(2))), media_type="image/png")


@pytest.fixture
def image_host() -> Iterator[str]:
    """Base URL of a local server standing in for the master catalog's image host."""
    app = Starlette(routes=[Route("/images/{name}", _image)])
    with running_sandbox(app) as url:
        yield url


@pytest.fixture
def catalog(client: TikTokClient) -> CatalogClient:
    return CatalogClient(client)


def write_config(
    tmp_path: Path,
    database_url: str,
    sandbox_url: str,
    catalog: dict[str, Any],
    connection: dict[str, Any] | None = None,
) -> Path:
    """A configuration with one TikTok connection ``tt`` whose ``catalog`` table is ``catalog``
    (and whose other settings, beside the sandbox's, are ``connection``)."""

    def toml(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, list):
            return "[" + ", ".join(toml(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f'"{k}" = {toml(v)}' for k, v in value.items()) + "}"
        return f'"{value}"'

    lines = [
        f'database_url = "{database_url}"',
        "[connections.tt]",
        'type = "tiktok"',
        f'app_key = "{APP_KEY}"',
        f'api_base_url = "{sandbox_url}"',
        f'auth_base_url = "{sandbox_url}"',
        "rate_limit_qps = 1000",
        *(f"{key} = {toml(value)}" for key, value in (connection or {}).items()),
        "[connections.tt.catalog]",
        *(f"{key} = {toml(value)}" for key, value in catalog.items()),
    ]
    path = tmp_path / "shopwright.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def make_daemon(config_path: Path, clock: FrozenClock) -> DaemonApp:
    """A daemon over the configuration, with the seller's authorisation already in the store."""
    config = load_config(config_path, environ={"SHOPWRIGHT_TT_APP_SECRET": APP_SECRET})
    app = create_daemon(config, clock=clock, holder="test:1")
    with httpx.Client() as http:
        settings = config.connections["tt"].settings
        tiktok = build_client(settings, http, StoreTokenStore(app.session_factory, "tt"), clock)  # type: ignore[arg-type]
        tiktok.exchange_auth_code(DEFAULT_AUTH_CODE)
        tiktok.bind_shop()
    return app


def run_flow(app: DaemonApp, name: str) -> dict[str, int]:
    """Run one flow of ``tt`` now; returns its counts (the run must not fail; 'partial' means it
    recorded exceptions, which several tests expect)."""
    reports = app.daemon.run_once(app.registry.select(f"tt:{name}"), force=True)
    assert [r.outcome for r in reports] in (["success"], ["partial"]), [(r.outcome, r.error) for r in reports]
    return dict(reports[0].counts)


@pytest.fixture
def catalog_settings() -> dict[str, Any]:
    """The ``catalog`` table of the test connection; tests override it with parametrize."""
    from tests.connectors.tiktok.catalog.catalog_data import CATEGORY_MAP

    return {"push_products": True, "category_map": CATEGORY_MAP}


@pytest.fixture
def connection_settings() -> dict[str, Any]:
    """Settings of the test connection outside its ``catalog`` table; tests override it."""
    return {}


@pytest.fixture
def store_url(sqlite_url: str) -> str:
    """The store the daemon uses; modules that should also run on PostgreSQL override it."""
    return sqlite_url


@pytest.fixture
def app(
    store_url: str,
    sandbox_url: str,
    clock: FrozenClock,
    tmp_path: Path,
    catalog_settings: dict[str, Any],
    connection_settings: dict[str, Any],
) -> Iterator[DaemonApp]:
    config = write_config(tmp_path, store_url, sandbox_url, catalog_settings, connection_settings)
    daemon = make_daemon(config, clock)
    yield daemon
    daemon.close()


def tiktok_product(sandbox: Any, seller_sku: str) -> dict[str, Any] | None:
    """The sandbox's live (not deleted) product listing ``seller_sku``, as stored."""
    with sandbox.state.lock:
        for product in sandbox.state.products.values():
            if product["status"] != "DELETED" and any(s["seller_sku"] == seller_sku for s in product["skus"]):
                return copy.deepcopy(product)
    return None
