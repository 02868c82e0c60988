"""push_products end to end: store products (as the SFCC pull writes them) listed on the TikTok sandbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.tiktok.sandbox.catalog_state import load_seed
from tests.connectors.tiktok.catalog.catalog_data import (
    CATEGORY_MAP,
    add_bottle,
    add_tshirt,
    complete_bottle,
    listing_of,
    open_codes,
)
from tests.connectors.tiktok.catalog.conftest import run_flow, tiktok_product

AUDIT = timedelta(seconds=1000)  # longer than the sandbox's audit


@pytest.fixture
def store_url(database_url: str) -> str:
    # The main scenarios run on SQLite and on PostgreSQL.
    return database_url


def test_complete_products_are_listed_and_go_live_after_the_audit(
    app: DaemonApp, sandbox: Any, image_host: str, clock: FrozenClock
) -> None:
    with app.session_factory.begin() as session:
        add_tshirt(session, image_host)
    counts = run_flow(app, "push_products")
    assert counts.get("created") == 1
    listed = tiktok_product(sandbox, "TSHIRT-RED-M")
    assert listed is not None and listed["status"] == "PENDING"
    assert sorted(s["seller_sku"] for s in listed["skus"]) == ["TSHIRT-BLUE-M", "TSHIRT-RED-M"]
    red = next(s for s in listed["skus"] if s["seller_sku"] == "TSHIRT-RED-M")
    # The variant option 'color' became TikTok's Color sales attribute, with its listed value and image.
    assert red["sales_attributes"][0]["name"] == "Color" and red["sales_attributes"][0]["value_name"] == "Red"
    assert "sku_img" in red["sales_attributes"][0]
    assert red["identifier_code"] == {"type": "EAN", "code": "4006381333931"}
    assert listed["brand"]["name"] == "Northloom"
    with app.session_factory() as session:
        root = listing_of(session, "TSHIRT")
        assert (root.status, root.external_product_id) == ("pending", listed["id"])
        assert listing_of(session, "TSHIRT-RED-M").external_sku_id == red["id"]

    clock.advance(AUDIT)
    assert run_flow(app, "push_products").get("audit_active") == 1
    with app.session_factory() as session:
        assert listing_of(session, "TSHIRT").status == "active"
        assert listing_of(session, "TSHIRT-BLUE-M").status == "active"
    # Nothing changed in the master catalog: the next run sends nothing.
    assert run_flow(app, "push_products").get("unchanged") == 1


def test_missing_attributes_hold_the_product_until_they_are_filled(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    with app.session_factory.begin() as session:
        add_bottle(session, image_host)
    counts = run_flow(app, "push_products")
    assert counts.get("held_missing_attributes") == 1 and "created" not in counts
    assert tiktok_product(sandbox, "BOTTLE-32") is None
    with app.session_factory() as session:
        listing = listing_of(session, "BOTTLE-32")
        missing = {m.get("name") or m["field"] for m in listing.missing_attributes}
        assert {"Material", "Insulation", "BPA Free"} <= missing
        assert "certifications[id=7182427311584347921]" in missing
        material = next(m for m in listing.missing_attributes if m.get("name") == "Material")
        # Enough for a proposal: the attribute id, the category and its allowed values.
        seeded = next(a for a in load_seed()["category_attributes"]["600055"] if a["name"] == "Material")
        assert material["category_id"] == "600055" and material["id"] == seeded["id"]
        assert material["values"] == seeded["values"]
        assert listing.external_product_id is None
        assert open_codes(session, "BOTTLE-32") == {"tiktok.attribute_missing"}

    # Unchanged product: not looked at again.
    assert run_flow(app, "push_products").get("unchanged") == 1

    with app.session_factory.begin() as session:
        complete_bottle(session, image_host)
    assert run_flow(app, "push_products").get("created") == 1
    listed = tiktok_product(sandbox, "BOTTLE-32")
    assert listed is not None and listed["status"] == "PENDING"
    assert listed["certifications"][0]["id"] == "7182427311584347921"
    with app.session_factory() as session:
        listing = listing_of(session, "BOTTLE-32")
        assert listing.missing_attributes == [] and listing.status == "pending"
        assert open_codes(session, "BOTTLE-32") == set()


@pytest.mark.parametrize(
    "catalog_settings",
    [{"push_products": True, "category_map": CATEGORY_MAP, "when_attributes_missing": "draft"}],
)
def test_draft_mode_creates_a_draft_then_lists_it_when_complete(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    with app.session_factory.begin() as session:
        add_bottle(session, image_host)
    assert run_flow(app, "push_products").get("created") == 1
    draft = tiktok_product(sandbox, "BOTTLE-32")
    assert draft is not None and draft["status"] == "DRAFT"
    with app.session_factory() as session:
        listing = listing_of(session, "BOTTLE-32")
        assert listing.status == "draft" and listing.missing_attributes
        assert open_codes(session, "BOTTLE-32") == {"tiktok.attribute_missing"}
    with app.session_factory.begin() as session:
        complete_bottle(session, image_host)
    assert run_flow(app, "push_products").get("updated") == 1
    listed = tiktok_product(sandbox, "BOTTLE-32")
    assert listed is not None and listed["id"] == draft["id"] and listed["status"] == "PENDING"
