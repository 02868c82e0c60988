"""The catalog and shipping-request pulls, run by the daemon against the SFCC sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sfcc_helpers import add_store_order, create_app_for, run_flow
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc.sandbox.app import create_app
from store.models import (
    ChannelListing,
    Connection,
    ExceptionRecord,
    InventoryLevel,
    Location,
    Order,
    Product,
    ShippingRequest,
)

SEEDED = {"TSHIRT", "TSHIRT-RED-M", "TSHIRT-BLUE-M", "MUG-001", "OLD-001"}


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with running_sandbox(create_app()) as url:
        yield url


@pytest.fixture
def app(database_url: str, sandbox_url: str, tmp_path: Path) -> Iterator[DaemonApp]:
    daemon_app = create_app_for(tmp_path, database_url, sandbox_url)
    yield daemon_app
    daemon_app.close()


def _products(app: DaemonApp) -> dict[str, Product]:
    with app.session_factory() as session:
        return {p.sku: p for p in session.scalars(select(Product))}


def _listings(app: DaemonApp) -> dict[str, ChannelListing]:
    with app.session_factory() as session:
        rows = session.execute(select(Product.sku, ChannelListing).join(Product)).all()
        return {sku: listing for sku, listing in rows}


def _sf_id(app: DaemonApp) -> int:
    with app.session_factory() as session:
        return session.scalars(select(Connection.id).where(Connection.name == "sf")).one()


def test_catalog_pull_creates_masters_and_variants_then_reads_only_changes(
    app: DaemonApp, sandbox_url: str
) -> None:
    first = run_flow(app, "pull_products")
    assert first.counts == {"full_read": 1, "created": 5}
    products = _products(app)
    assert set(products) == SEEDED
    assert products["TSHIRT"].parent_sku is None
    assert (
        products["TSHIRT-RED-M"].parent_sku == "TSHIRT" and products["TSHIRT-BLUE-M"].parent_sku == "TSHIRT"
    )
    red = products["TSHIRT-RED-M"]
    assert (red.title, red.price, red.currency) == ("Organic T-Shirt Red M", Decimal("19.99"), "USD")
    assert red.identifiers == {"EAN": "0012345678905"}
    assert products["OLD-001"].status == "inactive" and products["MUG-001"].status == "active"
    listings = _listings(app)
    assert {sku: listing.external_product_id for sku, listing in listings.items()} == {s: s for s in SEEDED}
    assert all(len(listing.content_hash or "") == 64 for listing in listings.values())

    # The cursor is the newest last_modified: only the products at that instant are read again,
    # and their content hash says they did not change.
    assert run_flow(app, "pull_products").counts == {"incremental_read": 1, "unchanged": 2}

    httpx.put(f"{sandbox_url}/_sandbox/products/MUG-001", json={"name": {"default": "Enamel Mug 350 ml"}})
    # OLD-001 still sits at the previous cursor instant, so it is read (and skipped) again.
    assert run_flow(app, "pull_products").counts == {"incremental_read": 1, "updated": 1, "unchanged": 1}
    assert _products(app)["MUG-001"].title == "Enamel Mug 350 ml"


def test_channel_sku_mapping_sends_the_sfcc_product_to_its_master_sku(app: DaemonApp) -> None:
    with app.session_factory.begin() as session:
        mug = Product(sku="MUG-WHITE-350", title="Mug (our name)")
        session.add(mug)
        session.flush()
        session.add(ChannelListing(product_id=mug.id, connection_id=_sf_id(app), channel_sku="MUG-001"))
    run_flow(app, "pull_products")
    products = _products(app)
    assert "MUG-001" not in products  # no second product for the same thing
    assert products["MUG-WHITE-350"].title == "Enamel Mug"
    assert _listings(app)["MUG-WHITE-350"].external_product_id == "MUG-001"


def test_a_different_product_claiming_an_existing_sku_is_an_exception_not_an_overwrite(
    app: DaemonApp, sandbox_url: str
) -> None:
    with app.session_factory.begin() as session:
        session.add(
            Product(
                sku="TSHIRT-RED-M", title="Red tee from the warehouse", identifiers={"EAN": "4006381333931"}
            )
        )
        mug = Product(sku="MUG-WHITE-350", title="Mug")
        session.add(mug)
        session.flush()
        session.add(ChannelListing(product_id=mug.id, connection_id=_sf_id(app), channel_sku="MUG-001"))
    # SFCC now also has a product whose own id is our master SKU of the mapped mug.
    httpx.put(
        f"{sandbox_url}/_sandbox/products/MUG-WHITE-350",
        json={"name": {"default": "White mug"}, "type": {"item": True}, "online_flag": {"default": True}},
    )
    report = run_flow(app, "pull_products", outcomes=("partial",))
    assert report.counts["conflicts"] == 2
    products = _products(app)
    assert products["TSHIRT-RED-M"].title == "Red tee from the warehouse"
    assert products["TSHIRT-RED-M"].identifiers == {"EAN": "4006381333931"}
    assert products["MUG-WHITE-350"].title == "Enamel Mug"  # from SFCC MUG-001, its mapped product
    with app.session_factory() as session:
        records = {r.entity_id: r for r in session.scalars(select(ExceptionRecord))}
    assert {r.code for r in records.values()} == {"catalog.sku_conflict"}
    assert (
        "has EAN 4006381333931 in the store, while SFCC says 0012345678905" in records["TSHIRT-RED-M"].message
    )
    assert "already the master product of SFCC product 'MUG-001'" in records["MUG-WHITE-350"].message
    assert records["MUG-WHITE-350"].fault["sfcc_product_id"] == "MUG-WHITE-350"


def test_force_resync_rewrites_everything_once_per_switch_on(
    app: DaemonApp, database_url: str, sandbox_url: str, tmp_path: Path
) -> None:
    run_flow(app, "pull_products")
    with app.session_factory.begin() as session:
        session.scalars(select(Product).where(Product.sku == "TSHIRT")).one().title = "edited in the store"
    forced = create_app_for(tmp_path, database_url, sandbox_url, "force_catalog_resync = true")
    try:
        assert run_flow(forced, "pull_products").counts == {"full_read": 1, "updated": 5}
        assert _products(forced)["TSHIRT"].title == "Organic T-Shirt"
        # Still switched on: the resync is not repeated on every run.
        assert run_flow(forced, "pull_products").counts == {"incremental_read": 1, "unchanged": 2}
    finally:
        forced.close()


def test_an_instance_that_cannot_filter_is_read_in_full_and_hashes_skip_the_unchanged(
    app: DaemonApp, sandbox_url: str
) -> None:
    run_flow(app, "pull_products")
    httpx.post(f"{sandbox_url}/_sandbox/faults", json={"unfilterable_product_search": True})
    httpx.put(f"{sandbox_url}/_sandbox/products/OLD-001", json={"online_flag": {"default": True}})
    assert run_flow(app, "pull_products").counts == {"full_read": 1, "unchanged": 4, "updated": 1}
    assert _products(app)["OLD-001"].status == "active"


def test_catalog_pull_is_switched_by_its_setting(database_url: str, sandbox_url: str, tmp_path: Path) -> None:
    off = create_app_for(tmp_path, database_url, sandbox_url, "pull_product_catalog = false")
    try:
        (flow,) = off.registry.select("sf:pull_products")
        assert not flow.enabled
        assert [r.outcome for r in off.daemon.run_once()].count("success") >= 1
        assert _products(off) == {}
    finally:
        off.close()


def _requests(app: DaemonApp) -> dict[str, ShippingRequest]:
    with app.session_factory() as session:
        return {r.external_id: r for r in session.scalars(select(ShippingRequest))}


def test_shipping_requests_open_ship_and_cancel_with_their_orders(app: DaemonApp, sandbox_url: str) -> None:
    with app.session_factory.begin() as session:
        add_store_order(session, "7001")
        add_store_order(session, "7002")
    run_flow(app, "push_orders")
    assert run_flow(app, "pull_shipping_requests").counts == {"opened": 2}
    requests = _requests(app)
    assert set(requests) == {"TT7001/me", "TT7002/me"}
    first = requests["TT7001/me"]
    assert first.status == "open"
    assert sorted((line["sku"], line["quantity"]) for line in first.lines) == [
        ("MUG-001", 1),
        ("TSHIRT-RED-M", 2),
    ]
    with app.session_factory() as session:
        order = session.get(Order, first.order_id)
        assert order is not None and order.external_id == "7001"

    httpx.post(f"{sandbox_url}/_sandbox/orders/TT7001/ship", json={"tracking_number": "1Z1"})
    with app.session_factory.begin() as session:
        session.scalars(select(Order).where(Order.external_id == "7002")).one().status = "canceled"
    run_flow(app, "push_orders")
    assert run_flow(app, "pull_shipping_requests").counts == {"updated": 2}
    assert {k: r.status for k, r in _requests(app).items()} == {
        "TT7001/me": "shipped",
        "TT7002/me": "canceled",
    }
    assert _requests(app)["TT7001/me"].raw["shipment"]["tracking_number"] == "1Z1"
    assert run_flow(app, "pull_shipping_requests").counts == {}  # re-reading the boundary changes nothing


def test_orders_placed_in_sfcc_by_others_are_not_shipping_requests(app: DaemonApp, sandbox_url: str) -> None:
    from sfcc_helpers import make_order, make_settings

    from connectors.engine.clock import SystemClock
    from connectors.sfcc.basket_push import BasketPusher, MemoryStepRecorder
    from connectors.sfcc.client import SfccClient

    with httpx.Client() as http:
        client = SfccClient(http, make_settings(sandbox_url), clock=SystemClock())
        BasketPusher(client).push(make_order("8001"), MemoryStepRecorder())
    assert run_flow(app, "pull_shipping_requests").counts == {}
    assert _requests(app) == {}


def test_forced_inventory_resync_rewrites_every_level_and_drops_stale_ones_once(
    app: DaemonApp, database_url: str, sandbox_url: str, tmp_path: Path
) -> None:
    assert run_flow(app, "pull_inventory").counts == {"levels_changed": 4}
    assert run_flow(app, "pull_inventory").counts == {}  # a full read, but nothing changed
    with app.session_factory.begin() as session:
        location = session.scalars(select(Location).where(Location.external_id == "inventory_RefArch")).one()
        session.add(InventoryLevel(sku="RETIRED-SKU", location_id=location.id, available=3, source="sfcc:sf"))
    forced = create_app_for(tmp_path, database_url, sandbox_url, "force_inventory_resync = true")
    try:
        assert run_flow(forced, "pull_inventory").counts == {"levels_changed": 4, "levels_removed": 1}
        assert run_flow(forced, "pull_inventory").counts == {}
        with forced.session_factory() as session:
            assert sorted(session.scalars(select(InventoryLevel.sku))) == [
                "MUG-001",
                "MUG-001",
                "TSHIRT-BLUE-M",
                "TSHIRT-RED-M",
            ]
    finally:
        forced.close()
