"""push_inventory end to end: store stock -> TikTok sandbox quantities, only what changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.engine.runner import RunReport
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import DEFAULT_WAREHOUSE
from store.models import ChannelListing, Connection, ExceptionRecord, InventoryLevel, Location, Product

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"
SHIRTS, TOTES, JACKETS = "1729582718312380123", "1729582718312380124", "1729582718312380200"
SHIRT_M, TOTE, JACKET = "1729582718312446001", "1729582718312446003", "1729582718312446200"
UPDATE_CALLS = "POST /product/202309/products/{product_id}/inventory/update"
SEARCH_CALLS = "POST /product/202309/products/search"


@pytest.fixture
def app(request: pytest.FixtureRequest, authorized_app: Callable[[str], DaemonApp]) -> DaemonApp:
    return authorized_app(getattr(request, "param", "inventory_buffer = 1\n"))


@pytest.fixture
def world(app: DaemonApp, sandbox: Sandbox) -> DaemonApp:
    """SFCC stock at two inventory lists, master products, one listing that knows its ids, one wrong."""
    sandbox.state.put_product(
        {
            "id": JACKETS,
            "title": "Vintage denim jacket",
            "status": "ACTIVATE",
            "skus": [{"id": JACKET, "seller_sku": "VINTAGE-JACKET", "inventory": []}],
        }
    )
    with app.session_factory.begin() as session:
        sf = Connection(name="sf", type="sfcc", settings={})
        session.add(sf)
        session.flush()
        east = Location(connection_id=sf.id, external_id="inventory_east", name="East", kind="inventory_list")
        west = Location(connection_id=sf.id, external_id="inventory_west", name="West", kind="inventory_list")
        session.add_all([east, west])
        session.flush()
        stock = {  # sku: (east on hand, east committed, west on hand)
            "SHIRT-M": (8, 2, 4),
            "SHIRT-L": (5, 0, 0),
            "TOTE": (30, 5, 0),
            "VINTAGE-JACKET": (3, 0, 0),
            "NOT-ON-TIKTOK": (4, 0, 0),
            "GHOST": (2, 0, 0),
        }
        for sku, (on_hand, committed, west_on_hand) in stock.items():
            session.add(
                InventoryLevel(
                    sku=sku,
                    location_id=east.id,
                    on_hand=on_hand,
                    committed=committed,
                    available=on_hand - committed,
                    source="sfcc:sf",
                )
            )
            if west_on_hand:
                session.add(
                    InventoryLevel(
                        sku=sku,
                        location_id=west.id,
                        on_hand=west_on_hand,
                        committed=0,
                        available=west_on_hand,
                        source="sfcc:sf",
                    )
                )
        products = {
            sku: Product(sku=sku, title=sku, condition="pre_owned" if sku == "VINTAGE-JACKET" else "new")
            for sku in ("SHIRT-M", "SHIRT-L", "TOTE", "VINTAGE-JACKET", "NOT-ON-TIKTOK")
        }
        session.add_all(products.values())
        session.flush()
        tt = session.scalars(select(Connection).where(Connection.name == "tt")).one()
        session.add(
            ChannelListing(
                product_id=products["SHIRT-M"].id,
                connection_id=tt.id,
                external_product_id=SHIRTS,
                external_sku_id=SHIRT_M,
                status="active",
            )
        )
        # A listing that points at a SKU id the TikTok product does not have: TikTok refuses that SKU alone.
        session.add(
            ChannelListing(
                product_id=products["SHIRT-L"].id,
                connection_id=tt.id,
                external_product_id=SHIRTS,
                external_sku_id="1729582718312446999",
                status="active",
            )
        )
    _run(app, "pull_locations")
    return app


def _run(app: DaemonApp, flow: str) -> RunReport:
    (report,) = app.daemon.run_once(app.registry.select(f"tt:{flow}"), force=True)
    assert report.outcome in ("success", "partial"), report
    return report


def _quantities(sandbox: Sandbox) -> dict[str, dict[str, int]]:
    return {
        sku["seller_sku"]: {i["warehouse_id"]: i["quantity"] for i in sku["inventory"]}
        for product in sandbox.state.products.values()
        for sku in product["skus"]
    }


def _open(app: DaemonApp) -> dict[str, ExceptionRecord]:
    with app.session_factory() as session:
        rows = session.scalars(select(ExceptionRecord).where(ExceptionRecord.status == "open"))
        return {f"{r.entity_id}:{r.code}": r for r in rows}


def _set_level(app: DaemonApp, sku: str, location: str, on_hand: int, committed: int) -> None:
    with app.session_factory.begin() as session:
        level = session.scalars(
            select(InventoryLevel)
            .join(Location)
            .where(InventoryLevel.sku == sku, Location.external_id == location)
        ).one()
        level.on_hand, level.committed = on_hand, committed


def test_changed_quantities_go_per_product_and_refusals_stay_per_sku(
    app: DaemonApp, world: DaemonApp, sandbox: Sandbox, clock: FrozenClock
) -> None:
    report = _run(app, "push_inventory")
    quantities = _quantities(sandbox)
    assert quantities["SHIRT-M"] == {DEFAULT_WAREHOUSE: 9}  # 8 + 4 on hand - 2 committed - 1 buffer
    assert quantities["TOTE"] == {DEFAULT_WAREHOUSE: 24}  # listing found by seller SKU
    assert quantities["VINTAGE-JACKET"] == {DEFAULT_WAREHOUSE: 1}  # pre-owned: always 1
    assert quantities["SHIRT-L"] == {DEFAULT_WAREHOUSE: 4}  # untouched: its listing is wrong
    assert report.counts["skus_pushed"] == 3 and report.counts["skus_rejected"] == 1
    assert {u["product_id"] for u in sandbox.state.received.inventory_updates} == {SHIRTS, TOTES, JACKETS}
    assert sandbox.state.received.calls[UPDATE_CALLS] == 3  # one call per TikTok product
    exceptions = _open(app)
    assert set(exceptions) == {
        "SHIRT-L:tiktok.inventory_rejected",
        "NOT-ON-TIKTOK:tiktok.listing_missing",
        "GHOST:tiktok.listing_missing",
    }
    assert "'SHIRT-L'" in exceptions["SHIRT-L:tiktok.inventory_rejected"].message
    assert "'NOT-ON-TIKTOK'" in exceptions["NOT-ON-TIKTOK:tiktok.listing_missing"].message
    with app.session_factory() as session:
        tote = session.scalars(select(ChannelListing).join(Product).where(Product.sku == "TOTE")).one()
        assert (tote.external_product_id, tote.external_sku_id, tote.pushed_quantity) == (TOTES, TOTE, 24)

    searches = sandbox.state.received.calls[SEARCH_CALLS]
    _run(app, "push_inventory")  # nothing changed: only the refused SKU is tried again
    assert sandbox.state.received.calls[UPDATE_CALLS] == 4
    assert sandbox.state.received.calls[SEARCH_CALLS] == searches  # unlisted SKUs wait an hour
    assert len(sandbox.state.received.inventory_updates) == 3

    with app.session_factory.begin() as session:  # the listing is corrected
        listing = session.scalars(select(ChannelListing).join(Product).where(Product.sku == "SHIRT-L")).one()
        listing.external_sku_id = "1729582718312446002"
    _set_level(app, "SHIRT-M", "inventory_east", 8, 5)
    _set_level(app, "VINTAGE-JACKET", "inventory_east", 1, 1)  # the single item sold
    report = _run(app, "push_inventory")
    quantities = _quantities(sandbox)
    assert quantities["SHIRT-M"] == {DEFAULT_WAREHOUSE: 6} and quantities["SHIRT-L"] == {DEFAULT_WAREHOUSE: 4}
    assert quantities["VINTAGE-JACKET"] == {DEFAULT_WAREHOUSE: 1}  # never set to 0
    assert sandbox.state.products[JACKETS]["status"] == "SELLER_DEACTIVATED"
    assert report.counts["products_deactivated"] == 1
    assert "SHIRT-L:tiktok.inventory_rejected" not in _open(app)

    clock.advance(timedelta(hours=2))  # unlisted SKUs are searched again, still missing
    calls = dict(sandbox.state.received.calls)
    report = _run(app, "push_inventory")
    assert report.counts.get("products_deactivated") is None and report.counts.get("skus_pushed") is None
    assert sandbox.state.received.calls[UPDATE_CALLS] == calls[UPDATE_CALLS]
    assert sandbox.state.received.calls[SEARCH_CALLS] == calls[SEARCH_CALLS] + 1
    assert "NOT-ON-TIKTOK:tiktok.listing_missing" in _open(app)


@pytest.mark.parametrize(
    "app",
    ['inventory_location = "West"\ninventory_skus = ["SHIRT-M", "TOTE"]\nforce_inventory_resync = true\n'],
    indirect=True,
)
def test_location_and_sku_filters_and_forced_resync(
    app: DaemonApp, world: DaemonApp, sandbox: Sandbox
) -> None:
    _run(app, "push_inventory")
    quantities = _quantities(sandbox)
    assert quantities["SHIRT-M"] == {DEFAULT_WAREHOUSE: 4}  # West only
    assert quantities["TOTE"] == {DEFAULT_WAREHOUSE: 0}  # listed at East only: none at West
    assert quantities["VINTAGE-JACKET"] == {} and quantities["SHIRT-L"] == {DEFAULT_WAREHOUSE: 4}
    assert set(_open(app)) == set()  # SKUs outside the filter are not examined
    assert len(sandbox.state.received.inventory_updates) == 2
    _run(app, "push_inventory")
    assert len(sandbox.state.received.inventory_updates) == 4  # unchanged, sent again: forced


@pytest.mark.parametrize("app", ['default_warehouse_id = "7000000000000000001"\n'], indirect=True)
def test_unknown_default_warehouse_is_refused_per_sku(
    app: DaemonApp, world: DaemonApp, sandbox: Sandbox
) -> None:
    _run(app, "push_inventory")
    exceptions = _open(app)
    assert "SHIRT-M:tiktok.inventory_rejected" in exceptions
    assert "Warehouse does not exist" in exceptions["SHIRT-M:tiktok.inventory_rejected"].message
    assert sandbox.state.received.inventory_updates == []
