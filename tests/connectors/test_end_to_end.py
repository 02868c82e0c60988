"""TikTok Shop sandbox -> store -> SFCC sandbox, and SFCC inventory back into the store.

Both sandboxes speak their real wire formats; the daemon runs its real flows between them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from connectors.config import load_config
from connectors.engine.app import DaemonApp, create_daemon
from connectors.engine.clock import FrozenClock
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.app import create_app as create_sfcc_app
from connectors.sfcc.sandbox.app import default_seed
from connectors.sfcc.sandbox.seeding import B2C_API_CLIENT, OCAPI_CLIENT, SLAS_CLIENT, client_secret
from connectors.tiktok.client import build_client
from connectors.tiktok.sandbox import create_app as create_tiktok_app
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE, make_order
from connectors.tiktok.store_tokens import StoreTokenStore
from store.models import ChannelListing, Connection, InventoryLevel, Location, Order, Product

APP_KEY, APP_SECRET = "e2e_app_key", "e2e_app_secret_not_real"
START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
#: TikTok's seller SKUs are master SKUs; SFCC calls the tote by another SKU (a channel SKU).
SFCC_PRODUCTS = {"SHIRT-M": "24.50", "SHIRT-L": "24.50", "TOTE-CANVAS": "12.00"}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def tiktok(clock: FrozenClock) -> Iterator[tuple[str, Any]]:
    app = create_tiktok_app(APP_KEY, APP_SECRET, clock=clock)
    with running_sandbox(app) as url:
        yield url, app.state.sandbox


@pytest.fixture
def sfcc_url() -> Iterator[str]:
    seed = copy.deepcopy(default_seed())
    for sku, price in SFCC_PRODUCTS.items():
        seed["products"].append(
            {
                "id": sku,
                "name": {"default": sku},
                "type": {"item": True},
                "price": Decimal(price),
                "currency": "USD",
            }
        )
        seed["product_inventory_records"].append(
            {
                "inventory_list_id": "inventory_RefArch",
                "product_id": sku,
                "allocation": {"amount": 20},
                "ats": 20,
            }
        )
    with running_sandbox(create_sfcc_app(seed)) as url:
        yield url


@pytest.fixture
def app(
    database_url: str, tiktok: tuple[str, Any], sfcc_url: str, clock: FrozenClock, tmp_path: Path
) -> Iterator[DaemonApp]:
    tiktok_url, _ = tiktok
    config_path = tmp_path / "shopwright.toml"
    config_path.write_text(f"""
database_url = "{database_url}"
[connections.tt]
type = "tiktok"
app_key = "{APP_KEY}"
api_base_url = "{tiktok_url}"
auth_base_url = "{tiktok_url}"
rate_limit_qps = 1000
[connections.sf]
type = "sfcc"
short_code = "sandbox1"
organization_id = "f_ecom_zzte_053"
site_id = "RefArch"
ocapi_url = "{sfcc_url}"
account_manager_url = "{sfcc_url}"
scapi_url = "{sfcc_url}"
ocapi_client_id = "{OCAPI_CLIENT}"
generic_customer_number = "00000001"
push_orders = true
[connections.sf.shipping_method_mapping]
"Standard Shipping" = "002"
""")
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
    with daemon_app.session_factory.begin() as session:
        sf = session.scalars(select(Connection).where(Connection.name == "sf")).one()
        for sku, title in (("SHIRT-M", "Linen shirt"), ("SHIRT-L", "Linen shirt"), ("TOTE", "Canvas tote")):
            session.add(Product(sku=sku, title=title))
        session.flush()
        tote = session.scalars(select(Product).where(Product.sku == "TOTE")).one()
        session.add(ChannelListing(product_id=tote.id, connection_id=sf.id, channel_sku="TOTE-CANVAS"))
    yield daemon_app
    daemon_app.close()


def _run(app: DaemonApp, key: str) -> None:
    (report,) = app.daemon.run_once(app.registry.select(key), force=True)
    assert report.outcome == "success", report


def _sfcc_orders(url: str) -> dict[str, dict[str, Any]]:
    data = jsonwire.loads(httpx.get(f"{url}/_sandbox/orders").content)["data"]
    return {o["order_no"]: o for o in data}


def test_tiktok_orders_become_sfcc_orders_and_cancellations_follow(
    app: DaemonApp, tiktok: tuple[str, Any], sfcc_url: str, clock: FrozenClock
) -> None:
    _, sandbox = tiktok
    placed = int(clock.now().timestamp()) - 7200  # past TikTok's and our hold
    sandbox.state.put_order(
        make_order("9001", status="AWAITING_SHIPMENT", create_time=placed, units=[2, 0, 1])
    )
    sandbox.state.put_order(
        make_order("9002", status="AWAITING_SHIPMENT", create_time=placed, units=[0, 1, 0])
    )
    _run(app, "tt:pull_orders")
    _run(app, "sf:push_orders")

    orders = _sfcc_orders(sfcc_url)
    assert set(orders) == {"TT9001", "TT9002"}
    first = orders["TT9001"]
    assert first["customer_info"]["customer_no"] == "00000001"  # the generic customer
    assert first["shipments"][0]["shipping_method"]["id"] == "002"  # 'Standard Shipping' mapped
    (payment,) = first["payment_instruments"]
    assert payment["payment_method_id"] == "TTS" and payment["amount"] == Decimal(
        "61.00"
    )  # what the buyer paid
    items = sorted((i["product_id"], i["quantity"]) for i in first["product_items"])
    assert items == [("SHIRT-M", 2), ("TOTE-CANVAS", 1)]  # the tote under its SFCC SKU
    # SFCC prices the items from its price book and adds its own shipping method price.
    assert first["product_total"] == Decimal("61.00") and first["order_total"] == Decimal("70.99")
    assert first["shipments"][0]["shipping_address"]["address1"] == "2 Buyer St"

    cancelled = make_order("9001", status="CANCELLED", create_time=placed, units=[2, 0, 1])
    clock.advance(timedelta(minutes=5))
    cancelled["update_time"] = int(clock.now().timestamp())
    sandbox.state.put_order(cancelled)
    _run(app, "tt:pull_orders")
    with app.session_factory() as session:
        assert session.scalars(select(Order.status).where(Order.external_id == "9001")).one() == "canceled"
    _run(app, "sf:push_orders")
    orders = _sfcc_orders(sfcc_url)
    assert orders["TT9001"]["status"] == "cancelled" and orders["TT9002"]["status"] == "new"


def test_sfcc_inventory_changes_reach_the_store(app: DaemonApp, sfcc_url: str) -> None:
    _run(app, "sf:pull_inventory")
    record = "/_sandbox/inventory_lists/inventory_RefArch/product_inventory_records"
    httpx.put(f"{sfcc_url}{record}/SHIRT-M", json={"allocation": {"amount": 7}})
    httpx.put(f"{sfcc_url}{record}/TOTE-CANVAS", json={"allocation": {"amount": 3}})
    _run(app, "sf:pull_inventory")
    with app.session_factory() as session:
        levels = {
            level.sku: level.available
            for level in session.scalars(
                select(InventoryLevel).join(Location).where(Location.external_id == "inventory_RefArch")
            )
        }
    assert levels["SHIRT-M"] == 7 and levels["SHIRT-L"] == 20
    assert levels["TOTE"] == 3 and "TOTE-CANVAS" not in levels  # kept under its master SKU
