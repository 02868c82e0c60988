"""push_products settings: prepare only, partial updates, mappings, status following, recovery, variants."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from store.models import Connection, Mapping, Product
from tests.connectors.tiktok.catalog.catalog_data import (
    CATEGORY_MAP,
    add_bottle,
    add_tshirt,
    complete_bottle,
    listing_of,
    open_codes,
)
from tests.connectors.tiktok.catalog.conftest import run_flow, tiktok_product

AUDIT = timedelta(seconds=1000)


def _settings(**changes: Any) -> list[dict[str, Any]]:
    return [{"push_products": True, "category_map": CATEGORY_MAP, **changes}]


def _product(session: Any, sku: str) -> Product:
    return session.scalars(select(Product).where(Product.sku == sku)).one()


def _live_tshirt(app: DaemonApp, image_host: str, clock: FrozenClock) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
    run_flow(app, "push_products")
    clock.advance(AUDIT)
    run_flow(app, "push_products")


@pytest.mark.parametrize("catalog_settings", _settings(prepare_only=True))
def test_prepare_only_records_every_problem_and_pushes_nothing(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        add_bottle(session, image_host)
        _product(session, "TSHIRT").title = "Replica \U0001f600 tee"
    counts = run_flow(app, "push_products")
    assert counts.get("prepared") == 1 and counts.get("invalid") == 1
    assert tiktok_product(sandbox, "BOTTLE-32") is None and tiktok_product(sandbox, "TSHIRT-RED-M") is None
    with app.session_factory() as session:
        errors = listing_of(session, "TSHIRT").validation_errors
        assert [(e["rule"], e["tiktok_code"]) for e in errors] == [("title.emoji", 12052931)]
        assert len(listing_of(session, "BOTTLE-32").missing_attributes) == 4


@pytest.mark.parametrize("catalog_settings", _settings(update_only=["price"]))
def test_update_only_price_leaves_the_rest_of_the_listing_alone(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock
) -> None:
    _live_tshirt(app, image_host, clock)
    with app.session_factory.begin() as session:
        _product(session, "TSHIRT").title = "Renamed Organic Cotton Crew Neck T-Shirt"
        _product(session, "TSHIRT-RED-M").price = Decimal("17.50")
    assert run_flow(app, "push_products").get("updated_partially") == 1
    listed = tiktok_product(sandbox, "TSHIRT-RED-M")
    assert listed is not None
    assert listed["title"] == "Organic Cotton Crew Neck T-Shirt for Women"
    prices = {s["seller_sku"]: s["price"]["amount"] for s in listed["skus"]}
    assert prices == {"TSHIRT-RED-M": "17.5", "TSHIRT-BLUE-M": "19.99"}
    # A price change needs no new audit: the product stays live.
    assert listed["status"] == "ACTIVATE"


@pytest.mark.parametrize("catalog_settings", _settings(first_child_image_as_variant_image=False))
def test_attribute_name_mapping_and_no_variant_images(app: DaemonApp, sandbox: Any, image_host: str) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        for sku in ("TSHIRT-RED-M", "TSHIRT-BLUE-M"):
            product = _product(session, sku)
            product.attributes = {"colour": product.attributes["color"], "size": "M"}
        connection = session.scalars(select(Connection).where(Connection.name == "tt")).one()
        session.add(
            Mapping(kind="attribute_name", connection_id=connection.id, source="colour", target="Color")
        )
    run_flow(app, "push_products")
    listed = tiktok_product(sandbox, "TSHIRT-RED-M")
    assert listed is not None
    names = {a["name"] for s in listed["skus"] for a in s["sales_attributes"]}
    assert names == {"Color", "Size"}
    assert all("sku_img" not in a for s in listed["skus"] for a in s["sales_attributes"])


@pytest.mark.parametrize("catalog_settings", _settings(allow_deactivating=True))
def test_tiktok_status_follows_the_master_product(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock
) -> None:
    _live_tshirt(app, image_host, clock)
    with app.session_factory.begin() as session:
        _product(session, "TSHIRT").status = "inactive"
    assert run_flow(app, "push_products").get("deactivated") == 1
    assert tiktok_product(sandbox, "TSHIRT-RED-M")["status"] == "SELLER_DEACTIVATED"  # type: ignore[index]
    with app.session_factory.begin() as session:
        _product(session, "TSHIRT").status = "active"
    assert run_flow(app, "push_products").get("activated") == 1
    assert tiktok_product(sandbox, "TSHIRT-RED-M")["status"] == "ACTIVATE"  # type: ignore[index]


def test_inactive_master_is_not_deactivated_without_the_setting(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock
) -> None:
    _live_tshirt(app, image_host, clock)
    with app.session_factory.begin() as session:
        _product(session, "TSHIRT").status = "inactive"
    assert "deactivated" not in run_flow(app, "push_products")
    assert tiktok_product(sandbox, "TSHIRT-RED-M")["status"] == "ACTIVATE"  # type: ignore[index]


def _delete_on_tiktok(sandbox: Any, product_id: str) -> None:
    with sandbox.state.lock:
        sandbox.state.catalog.deleted_from[product_id] = sandbox.state.products[product_id]["status"]
        sandbox.state.products[product_id]["status"] = "DELETED"


@pytest.mark.parametrize(
    "catalog_settings", _settings(recover_deleted=True) + _settings(recover_deleted=False)
)
def test_deleted_products_are_recovered_or_listed_anew(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock, catalog_settings: dict[str, Any]
) -> None:
    recover = catalog_settings["recover_deleted"]
    _live_tshirt(app, image_host, clock)
    with app.session_factory() as session:
        first_id = listing_of(session, "TSHIRT").external_product_id
    assert first_id is not None
    _delete_on_tiktok(sandbox, first_id)
    with app.session_factory.begin() as session:
        _product(session, "TSHIRT").description = "Now in a heavier organic cotton."
    counts = run_flow(app, "push_products")
    listed = tiktok_product(sandbox, "TSHIRT-RED-M")
    assert listed is not None and listed["status"] == "PENDING"
    if recover:
        assert counts.get("recovered") == 1 and listed["id"] == first_id
    else:
        assert counts.get("created") == 1 and listed["id"] != first_id


def test_a_lost_create_is_linked_by_sku_not_listed_twice(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock
) -> None:
    _live_tshirt(app, image_host, clock)
    with app.session_factory.begin() as session:
        # As if the create's answer had been lost: the store never learnt the TikTok ids.
        listing = listing_of(session, "TSHIRT")
        listing.external_product_id = None
        listing.content_hash = None
    counts = run_flow(app, "push_products")
    assert counts.get("linked_by_sku") == 1 and "created" not in counts
    with sandbox.state.lock:
        assert (
            sum(1 for p in sandbox.state.products.values() if p.get("external_product_id") == "TSHIRT") == 1
        )


@pytest.mark.parametrize(
    "catalog_settings",
    _settings(block_inconsistent_variants=True) + _settings(block_inconsistent_variants=False),
)
def test_inconsistent_variants_block_or_are_brought_to_parity(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock, catalog_settings: dict[str, Any]
) -> None:
    block = catalog_settings["block_inconsistent_variants"]
    _live_tshirt(app, image_host, clock)
    with app.session_factory.begin() as session:
        session.execute(delete(Product).where(Product.sku == "TSHIRT-BLUE-M"))
        _product(session, "TSHIRT").title = "Organic Cotton Crew Neck T-Shirt, Red"
    counts = run_flow(app, "push_products")
    listed = tiktok_product(sandbox, "TSHIRT-RED-M")
    assert listed is not None
    skus = sorted(s["seller_sku"] for s in listed["skus"])
    with app.session_factory() as session:
        codes = open_codes(session, "TSHIRT")
    if block:
        assert counts.get("blocked_inconsistent_variants") == 1
        assert skus == ["TSHIRT-BLUE-M", "TSHIRT-RED-M"] and listed["title"].endswith("Women")
        assert codes == {"catalog.variants_inconsistent"}
    else:
        assert counts.get("variants_deleted") == 1 and skus == ["TSHIRT-RED-M"]
        assert listed["title"] == "Organic Cotton Crew Neck T-Shirt, Red" and codes == set()


@pytest.mark.parametrize("catalog_settings", _settings(daily_upload_limit=1))
def test_the_daily_upload_limit_queues_the_rest_until_tomorrow(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock
) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        add_bottle(session, image_host)
        complete_bottle(session, image_host)
    counts = run_flow(app, "push_products")
    assert counts.get("created") == 1 and counts.get("queued_daily_limit") == 1
    assert tiktok_product(sandbox, "BOTTLE-32") is None
    assert run_flow(app, "push_products").get("queued_daily_limit") == 1
    clock.advance(timedelta(days=1))
    assert run_flow(app, "push_products").get("created") == 1
    assert tiktok_product(sandbox, "BOTTLE-32") is not None


def test_the_audit_outcome_is_recorded(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock
) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
        _product(session, "TSHIRT").title = "Organic Cotton Tee, designer replica"
    run_flow(app, "push_products")
    clock.advance(AUDIT)
    assert run_flow(app, "push_products").get("audit_failed") == 1
    with app.session_factory() as session:
        listing = listing_of(session, "TSHIRT")
        assert listing.status == "failed"
        assert "replica" in listing.validation_errors[0]["message"]
        assert open_codes(session, "TSHIRT") == {"tiktok.listing_invalid"}
