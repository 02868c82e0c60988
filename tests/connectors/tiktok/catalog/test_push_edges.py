"""push_products at the edges: pre-owned items, promotions, bad images, unmapped categories, lost answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.tiktok.flows.push_products import promotion_discount
from connectors.tiktok.sandbox.seed import DEFAULT_WAREHOUSE, apply_seed
from store.models import Connection, InventoryLevel, Location, Order, OrderLine, Product
from tests.connectors.tiktok.catalog.catalog_data import (
    CATEGORY_MAP,
    add_bottle,
    add_stock,
    add_tshirt,
    complete_bottle,
    listing_of,
    open_codes,
)
from tests.connectors.tiktok.catalog.conftest import run_flow, tiktok_product


def _product(session: Any, sku: str) -> Product:
    return session.scalars(select(Product).where(Product.sku == sku)).one()


def test_stock_is_listed_and_a_sold_pre_owned_item_is_deactivated(
    app: DaemonApp, sandbox: Any, image_host: str, clock: Any
) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        add_bottle(session, image_host)
        complete_bottle(session, image_host)
        _product(session, "BOTTLE-32").condition = "pre_owned"
        add_stock(session, {"TSHIRT-RED-M": 7, "BOTTLE-32": 40})
    run_flow(app, "push_products")
    bottle, tee = tiktok_product(sandbox, "BOTTLE-32"), tiktok_product(sandbox, "TSHIRT-RED-M")
    assert bottle is not None and tee is not None
    # A pre-owned item is one piece, whatever the stock says.
    assert bottle["skus"][0]["inventory"][0]["quantity"] == 1 and bottle["is_pre_owned"] is True
    stock = {s["seller_sku"]: s["inventory"][0]["quantity"] for s in tee["skus"]}
    assert stock == {"TSHIRT-RED-M": 7, "TSHIRT-BLUE-M": 0}

    with app.session_factory.begin() as session:
        connection = session.scalars(select(Connection).where(Connection.name == "tt")).one()
        order = Order(connection_id=connection.id, external_id="576001", status="new", currency="USD")
        order.subtotal = order.shipping_fee = order.tax = order.discount = order.total = Decimal("24.99")
        session.add(order)
        session.flush()
        session.add(OrderLine(order_id=order.id, sku="BOTTLE-32", quantity=1, unit_price=Decimal("24.99")))
    assert run_flow(app, "push_products").get("pre_owned_sold_deactivated") == 1
    assert tiktok_product(sandbox, "BOTTLE-32")["status"] == "SELLER_DEACTIVATED"  # type: ignore[index]


WEST = "7068517275539719960"


@pytest.mark.parametrize(
    "connection_settings",
    [{"inventory_warehouses": {"list-east": DEFAULT_WAREHOUSE, "list-west": WEST}, "inventory_buffer": 1}],
)
def test_with_a_warehouse_map_a_listing_is_created_in_every_mapped_warehouse(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    west = {"id": WEST, "name": "West", "effect_status": "ENABLED", "type": "SALES_WAREHOUSE"}
    apply_seed(sandbox.state, {"warehouses": [west]})
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        sfcc = Connection(name="sf", type="sfcc", settings={})
        session.add(sfcc)
        session.flush()
        for code, on_hand in (("list-east", 6), ("list-west", 3), ("list-outlet", 50)):
            location = Location(connection_id=sfcc.id, external_id=code, name=code, kind="inventory_list")
            session.add(location)
            session.flush()
            session.add(
                InventoryLevel(sku="TSHIRT-RED-M", location_id=location.id, on_hand=on_hand, source="test")
            )
    run_flow(app, "push_products")
    tee = tiktok_product(sandbox, "TSHIRT-RED-M")
    assert tee is not None
    stock = {s["seller_sku"]: {i["warehouse_id"]: i["quantity"] for i in s["inventory"]} for s in tee["skus"]}
    # Each warehouse gets its own list's stock less the buffer; the unmapped outlet list counts nowhere.
    assert stock == {
        "TSHIRT-RED-M": {DEFAULT_WAREHOUSE: 5, WEST: 2},
        "TSHIRT-BLUE-M": {DEFAULT_WAREHOUSE: 0, WEST: 0},
    }


@pytest.mark.parametrize(
    ("price", "compare_at", "discount"),
    [
        ("20", "30", Decimal(1) / Decimal(3)),
        ("19", "20", Decimal("0.05")),
        ("1", "20", Decimal("0.95")),
        ("19.5", "20", None),  # 2.5%: too small for a promotion
        ("0.5", "20", None),  # 97.5%: too deep
        ("20", "20", None),
        ("20", None, None),
    ],
)
def test_promotion_discount_is_between_5_and_95_percent(
    price: str, compare_at: str | None, discount: Decimal | None
) -> None:
    found = promotion_discount(Decimal(price), Decimal(compare_at) if compare_at else None)
    assert found == discount


@pytest.mark.parametrize(
    "catalog_settings", [{"push_products": True, "category_map": CATEGORY_MAP, "use_promotions": True}]
)
def test_promotions_are_counted_as_not_supported(app: DaemonApp, image_host: str) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        _product(session, "TSHIRT-RED-M").compare_at_price = Decimal("29.99")
        _product(session, "TSHIRT-BLUE-M").compare_at_price = Decimal("20.50")
    counts = run_flow(app, "push_products")
    assert counts.get("created") == 1 and counts.get("promotions_not_supported") == 1


def test_images_that_cannot_be_listed_are_caught_before_any_upload(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        _product(session, "TSHIRT").images = [
            f"{image_host}/images/tshirt-missing-1000x1000.png",
            f"{image_host}/images/tshirt-small-200x200.png",
        ]
    assert run_flow(app, "push_products").get("invalid") == 1
    with app.session_factory() as session:
        rules = [e["rule"] for e in listing_of(session, "TSHIRT").validation_errors]
    assert rules == ["main_images.unreachable", "main_images.resolution"]
    with sandbox.state.lock:
        assert sandbox.state.catalog.images == {}


def test_a_product_without_a_tiktok_category_says_how_to_map_it(app: DaemonApp, image_host: str) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        _product(session, "TSHIRT").category_id = "mens-hats"
    run_flow(app, "push_products")
    with app.session_factory() as session:
        error = listing_of(session, "TSHIRT").validation_errors[0]
        assert error["rule"] == "category.required" and "category_map" in error["message"]
        assert open_codes(session, "TSHIRT") == {"tiktok.listing_invalid"}


def test_a_create_whose_answer_is_lost_is_linked_on_the_next_run(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
    sandbox.faults.update({"drop_rate": 1.0, "path_pattern": r"^POST /product/202309/products$"})
    counts = run_flow(app, "push_products")
    assert counts.get("retry_later") == 1 and "created" not in counts
    created = tiktok_product(sandbox, "TSHIRT-RED-M")
    assert created is not None  # TikTok did create it; the answer never arrived
    sandbox.faults.update({"drop_rate": 0.0, "path_pattern": ""})
    counts = run_flow(app, "push_products")
    assert counts.get("linked_by_sku") == 1 and "created" not in counts
    with app.session_factory() as session:
        assert listing_of(session, "TSHIRT").external_product_id == created["id"]
    with sandbox.state.lock:
        assert (
            sum(1 for p in sandbox.state.products.values() if p.get("external_product_id") == "TSHIRT") == 1
        )


def test_description_images_are_uploaded_and_their_src_rewritten(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    detail_image = f"{image_host}/images/tshirt-detail-700x700.png"
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        _product(
            session, "TSHIRT"
        ).description = f'<p>Soft organic cotton.</p><img src="{detail_image}" width="700" height="700">'
    assert run_flow(app, "push_products").get("created") == 1
    listed = tiktok_product(sandbox, "TSHIRT-RED-M")
    assert listed is not None
    assert detail_image not in listed["description"]
    with sandbox.state.lock:
        uploaded = {i.url for i in sandbox.state.catalog.images.values() if i.use_case == "DESCRIPTION_IMAGE"}
    assert len(uploaded) == 1 and uploaded.pop() in listed["description"]


@pytest.mark.parametrize(
    "catalog_settings",
    [{"push_products": True, "category_version": "v2", "category_map": {"womens-tops": "1001111"}}],
)
def test_listing_in_the_v2_category_tree(app: DaemonApp, sandbox: Any, image_host: str) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
    assert run_flow(app, "push_products").get("created") == 1
    with sandbox.state.lock:
        listed = next(iter(sandbox.state.catalog.bodies.values()))
    assert (listed["category_id"], listed["category_version"]) == ("1001111", "v2")


def test_a_rejection_only_tiktok_can_see_is_kept_on_the_listing(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    # Another TikTok product already carries this external product id (under other seller SKUs).
    sandbox.state.put_product(
        {
            "id": "555",
            "status": "ACTIVATE",
            "title": "Old tee",
            "skus": [{"id": "5551", "seller_sku": "OLD-TEE"}],
        }
    )
    with sandbox.state.lock:
        sandbox.state.catalog.bodies["555"] = {"external_product_id": "TSHIRT"}
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
    counts = run_flow(app, "push_products")
    assert counts.get("rejected") == 1 and "created" not in counts
    with app.session_factory() as session:
        listing = listing_of(session, "TSHIRT")
        assert [e["tiktok_code"] for e in listing.validation_errors] == [12052996]
        assert listing.external_product_id is None
        assert open_codes(session, "TSHIRT") == {"tiktok.listing_invalid"}
    # The same content is not sent again until it changes.
    assert run_flow(app, "push_products").get("unchanged") == 1
