"""One daemon over both sandboxes, configured the way a seller configures Shopwright.

The TikTok sandbox runs on the test's frozen clock (so holds end when a test says so); the SFCC
sandbox and a small image host (the master catalog's pictures) run beside it. The configuration is
a real shopwright.toml with secrets from the environment, and the seller has authorised the shop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.config import load_config
from connectors.engine.app import DaemonApp, create_daemon
from connectors.engine.clock import FrozenClock
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc.sandbox.app import create_app as create_sfcc_app
from connectors.sfcc.sandbox.seeding import B2C_API_CLIENT, OCAPI_CLIENT, SLAS_CLIENT, client_secret
from connectors.tiktok.client import build_client
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox import create_app as create_tiktok_app
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE
from connectors.tiktok.store_tokens import StoreTokenStore
from store.models import ChannelListing, Connection, Product
from tests.connectors.end_to_end.world import APP_KEY, APP_SECRET, CATEGORY_MAP, START, sfcc_seed
from tests.connectors.tiktok.catalog.conftest import png


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def store_url(sqlite_url: str) -> str:
    """The daemon's store; modules that must also hold on PostgreSQL override it with database_url."""
    return sqlite_url


@pytest.fixture
def catalog_table() -> str:
    """Extra lines of the TikTok connection's catalog table; a module may override it."""
    return ""


@pytest.fixture
def image_host() -> Iterator[str]:
    """The master catalog's image server: ``/images/<name>-<W>x<H>.png`` answers such a PNG."""

    def image(request: Request) -> Response:
        width, height = request.path_params["name"].rsplit("-", 1)[1].removesuffix(".png").split("x")
        return Response(png(int(width), int(height)), media_type="image/png")

    with running_sandbox(Starlette(routes=[Route("/images/{name}", image)])) as url:
        yield url


@pytest.fixture
def tiktok(clock: FrozenClock) -> Iterator[tuple[str, Sandbox]]:
    app = create_tiktok_app(APP_KEY, APP_SECRET, clock=clock)
    with running_sandbox(app) as url:
        yield url, app.state.sandbox


@pytest.fixture
def sandbox(tiktok: tuple[str, Sandbox]) -> Sandbox:
    return tiktok[1]


@pytest.fixture
def sfcc_url(image_host: str) -> Iterator[str]:
    with running_sandbox(create_sfcc_app(sfcc_seed(image_host))) as url:
        yield url


def config_text(store_url: str, tiktok_url: str, sfcc_url: str, catalog_table: str) -> str:
    categories = ", ".join(f'"{k}" = "{v}"' for k, v in CATEGORY_MAP.items())
    return f"""
database_url = "{store_url}"

[connections.tt]
type = "tiktok"
app_key = "{APP_KEY}"
api_base_url = "{tiktok_url}"
auth_base_url = "{tiktok_url}"
rate_limit_qps = 1000

[connections.tt.catalog]
push_products = true
category_map = {{ {categories} }}
{catalog_table}

[connections.tt.attribute_fill]
enabled = true
backend = "rules"

[connections.sf]
type = "sfcc"
short_code = "sandbox1"
organization_id = "f_ecom_zzte_053"
site_id = "RefArch"
ocapi_url = "{sfcc_url}"
account_manager_url = "{sfcc_url}"
scapi_url = "{sfcc_url}"
ocapi_client_id = "{OCAPI_CLIENT}"
customer_strategy = "generic_customer"
generic_customer_number = "00000001"
push_orders = true
order_statuses_to_push = ["readyForFulfillment", "canceled"]

[connections.sf.shipping_method_mapping]
"Standard Shipping" = "002"
"""


@pytest.fixture
def app(
    store_url: str,
    tiktok: tuple[str, Sandbox],
    sfcc_url: str,
    clock: FrozenClock,
    tmp_path: Path,
    catalog_table: str,
) -> Iterator[DaemonApp]:
    config_path = tmp_path / "shopwright.toml"
    config_path.write_text(config_text(store_url, tiktok[0], sfcc_url, catalog_table))
    environ = {
        "SHOPWRIGHT_TT_APP_SECRET": APP_SECRET,
        "SHOPWRIGHT_SF_OCAPI_CLIENT_PASSWORD": client_secret(OCAPI_CLIENT).get_secret_value(),
        "SHOPWRIGHT_SF_B2C_API_CLIENT_PASSWORD": client_secret(B2C_API_CLIENT).get_secret_value(),
        "SHOPWRIGHT_SF_B2C_SHOP_API_CLIENT_PASSWORD": client_secret(SLAS_CLIENT).get_secret_value(),
    }
    config = load_config(config_path, environ=environ)
    daemon_app = create_daemon(config, clock=clock, holder="e2e:1")
    with httpx.Client() as http:  # the seller authorises the shop once
        settings = config.connections["tt"].settings
        client = build_client(settings, http, StoreTokenStore(daemon_app.session_factory, "tt"), clock)  # type: ignore[arg-type]
        client.exchange_auth_code(DEFAULT_AUTH_CODE)
        client.bind_shop()
    yield daemon_app
    daemon_app.close()


@pytest.fixture
def order_goods(app: DaemonApp) -> DaemonApp:
    """The master products orders sell, as a seller sets them up: the tote is TOTE-CANVAS in SFCC."""
    with app.session_factory.begin() as session:
        sf = session.scalars(select(Connection).where(Connection.name == "sf")).one()
        for sku, title in (("SHIRT-M", "Linen shirt"), ("SHIRT-L", "Linen shirt"), ("TOTE", "Canvas tote")):
            session.add(Product(sku=sku, title=title))
        session.flush()
        tote = session.scalars(select(Product).where(Product.sku == "TOTE")).one()
        session.add(ChannelListing(product_id=tote.id, connection_id=sf.id, channel_sku="TOTE-CANVAS"))
    return app
