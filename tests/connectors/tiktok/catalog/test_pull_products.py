"""pull_products: the TikTok catalog into the store when TikTok is the primary catalog."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.tiktok.settings import TikTokSettings
from store.models import ExceptionRecord, Product
from tests.connectors.tiktok.catalog.catalog_data import listing_of
from tests.connectors.tiktok.catalog.conftest import run_flow

TIKTOK_PRIMARY = [{"primary_catalog": "tiktok"}]
CHAIN = [
    {"id": "601739", "parent_id": "0", "local_name": "Phones & Electronics", "is_leaf": False},
    {"id": "601755", "parent_id": "601739", "local_name": "Phone Accessories", "is_leaf": False},
    {"id": "601770", "parent_id": "601755", "local_name": "Phone Cases", "is_leaf": True},
]


def _sku(sku_id: str, seller_sku: str, price: str, options: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": sku_id,
        "seller_sku": seller_sku,
        "price": {"amount": price, "currency": "USD"},
        "inventory": [],
        "sales_attributes": [
            {"id": "100000", "name": name, "value_id": f"9{n}", "value_name": value}
            for n, (name, value) in enumerate((options or {}).items())
        ],
    }


def _product(
    product_id: str, title: str, skus: list[dict[str, Any]], status: str = "ACTIVATE"
) -> dict[str, Any]:
    return {
        "id": product_id,
        "status": status,
        "title": title,
        "description": "<p>Made to last.</p>",
        "category_chains": CHAIN,
        "brand": {"id": "7082427311584347909", "name": "Casefort"},
        "main_images": [{"uri": "tos/x", "urls": [f"https://p16-oec-va.ibyteimg.com/tos/{product_id}.png"]}],
        "product_attributes": [{"id": "100157", "name": "Material", "values": [{"id": "1", "name": "TPU"}]}],
        "package_weight": {"value": "0.1", "unit": "KILOGRAM"},
        "skus": skus,
        "update_time": 1_770_000_000,
    }


@pytest.fixture
def shop(sandbox: Any) -> Any:
    """An empty TikTok catalog to fill per test."""
    with sandbox.state.lock:
        sandbox.state.products.clear()
        sandbox.state.sku_index.clear()
    return sandbox.state


@pytest.mark.parametrize("catalog_settings", TIKTOK_PRIMARY)
def test_the_tiktok_catalog_lands_in_the_store(app: DaemonApp, shop: Any) -> None:
    shop.put_product(_product("801", "MagSafe Clear Case", [_sku("8011", "CASE-MAG", "24.00")]))
    shop.put_product(
        _product(
            "802",
            "Rugged Case",
            [
                _sku("8021", "RUG-BLK", "29.00", {"Color": "Black"}),
                _sku("8022", "RUG-RED", "31.00", {"Color": "Red"}),
            ],
        )
    )
    shop.put_product(_product("803", "Old Case", [_sku("8031", "OLD-1", "5.00")], status="DELETED"))
    counts = run_flow(app, "pull_products")
    assert counts.get("products") == 2 and counts.get("deleted_skipped") == 1
    with app.session_factory() as session:
        single = session.scalars(select(Product).where(Product.sku == "CASE-MAG")).one()
        assert (single.parent_sku, single.price, single.title) == (
            None,
            Decimal("24.00"),
            "MagSafe Clear Case",
        )
        assert single.attributes["Material"] == ["TPU"] and single.attributes["brand"] == "Casefort"
        assert single.attributes["tiktok_category_id"] == "601770"
        assert listing_of(session, "CASE-MAG").external_sku_id == "8011"
        variants = session.scalars(
            select(Product).where(Product.parent_sku == "TIKTOK-802").order_by(Product.sku)
        ).all()
        assert [(v.sku, v.attributes, v.price) for v in variants] == [
            ("RUG-BLK", {"Color": "Black"}, Decimal("29.00")),
            ("RUG-RED", {"Color": "Red"}, Decimal("31.00")),
        ]
        assert listing_of(session, "RUG-RED").external_product_id == "802"
        assert session.scalars(select(Product).where(Product.sku == "OLD-1")).one_or_none() is None


@pytest.mark.parametrize("catalog_settings", TIKTOK_PRIMARY)
def test_an_identical_sku_links_without_overwriting_the_master(app: DaemonApp, shop: Any) -> None:
    with app.session_factory.begin() as session:
        session.add(Product(sku="CASE-MAG", title="MagSafe Case (SFCC name)", price=Decimal("22.00")))
    shop.put_product(_product("801", "MagSafe Clear Case", [_sku("8011", "CASE-MAG", "24.00")]))
    assert run_flow(app, "pull_products").get("linked") == 1
    with app.session_factory() as session:
        product = session.scalars(select(Product).where(Product.sku == "CASE-MAG")).one()
        assert (product.title, product.price) == ("MagSafe Case (SFCC name)", Decimal("22.00"))
        assert listing_of(session, "CASE-MAG").external_product_id == "801"


@pytest.mark.parametrize("catalog_settings", TIKTOK_PRIMARY)
def test_two_tiktok_products_sharing_a_sku_raise_an_exception(
    app: DaemonApp, shop: Any, clock: FrozenClock
) -> None:
    shop.put_product(_product("801", "MagSafe Clear Case", [_sku("8011", "CASE-MAG", "24.00")]))
    shop.put_product(_product("809", "Another Case", [_sku("8091", "CASE-MAG", "9.00")]))
    counts = run_flow(app, "pull_products")
    assert counts.get("products") == 1 and counts.get("refused_duplicate_sku") == 1
    with app.session_factory() as session:
        record = session.scalars(
            select(ExceptionRecord).where(ExceptionRecord.code == "catalog.duplicate_sku")
        ).one()
        assert record.entity_id == "CASE-MAG" and record.status == "open"
        assert "801" in record.message and "809" in record.message
        assert listing_of(session, "CASE-MAG").external_product_id == "801"
        assert (
            session.scalars(select(Product).where(Product.sku == "CASE-MAG")).one().title
            == "MagSafe Clear Case"
        )


def test_which_catalog_flows_run_follows_the_primary_catalog(app: DaemonApp) -> None:
    enabled = {flow.spec.name: flow.enabled for flow in app.registry}
    assert enabled["push_products"] and not enabled["pull_products"]
    settings = TikTokSettings.model_validate(
        {"app_key": "k", "app_secret": "s", "catalog": {"primary_catalog": "tiktok", "push_products": True}}
    )
    specs = {flow.spec.name: flow.spec for flow in app.registry}
    assert specs["pull_products"].is_enabled(settings) and not specs["push_products"].is_enabled(settings)
