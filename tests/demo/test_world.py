"""The demo's seed generator: enough of everything, every failure it promises, the same every time."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from connectors.sfcc.schemas import Product as SfccProduct
from connectors.tiktok.schemas import Order as TikTokOrder
from connectors.tiktok.schemas import lifecycle_status
from demo.catalog import OFFLINE, OUT_OF_STOCK
from demo.configuration import MISSING_PAYMENT_METHOD, MISSING_SHIPPING_METHOD, UNMAPPED_DELIVERY_OPTION
from demo.orders import CARRIERS, UNKNOWN_SKU, UNSUPPORTED_CARRIER
from demo.scenarios import NOT_CAUSED, SCENARIOS
from demo.sfcc_wire import PAYMENT_METHODS, SHIPPING_METHODS, SfccCredentials, sfcc_seed
from demo.tiktok_ids import DELIVERY_OPTION_IDS, PROVIDERS
from demo.tiktok_wire import day_seed
from demo.world import DEMO_SEED, DemoWorld, build_world
from tools.diagnosis.codes import CODES

START = 1_795_000_000  # a fixed sandbox time: the generator must not read the clock
TIKTOK_STATUSES = {
    "UNPAID",
    "ON_HOLD",
    "AWAITING_SHIPMENT",
    "PARTIALLY_SHIPPING",
    "AWAITING_COLLECTION",
    "IN_TRANSIT",
    "DELIVERED",
    "COMPLETED",
    "CANCELLED",
}
IMAGES = "http://127.0.0.1:9/photos"
CREDENTIALS = SfccCredentials("ocapi-secret", "b2c-secret", "slas-secret", "bm-password", "bm-key")


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    return build_world(start=START)


def test_world_catalog_has_300_products_over_at_least_6_categories(world: DemoWorld) -> None:
    counts = world.category_counts()
    assert len(world.catalog.products) >= 300
    assert len(counts) >= 6
    assert min(counts.values()) >= 30, counts
    skus = [product.sku for product in world.catalog.products]
    assert len(skus) == len(set(skus))


def test_world_catalog_products_missing_attributes_are_spread_and_recoverable(world: DemoWorld) -> None:
    gaps = [product for product in world.catalog.products if product.missing]
    assert len(gaps) >= 20
    assert len({product.category.name for product in gaps}) >= 4
    for product in gaps:
        [name] = product.missing
        spec = next(spec for spec in product.category.required if spec.name == name)
        assert name not in product.attributes
        # The value is still in the title, so a proposal can point at its evidence.
        assert any(value in product.title for value in spec.values), product.title
        assert not product.on_tiktok


def test_world_day_has_500_orders_in_every_status(world: DemoWorld) -> None:
    statuses = world.status_counts()
    assert len(world.orders) >= 500
    assert set(statuses) == TIKTOK_STATUSES
    assert all(count >= 10 for count in statuses.values()), statuses
    ids = [order.order_id for order in world.orders]
    assert len(ids) == len(set(ids))
    assert [order.create_time for order in world.orders] == sorted(
        order.create_time for order in world.orders
    )
    assert all(order.create_time < START for order in world.orders)


def test_world_day_counts_per_scenario_match_the_plan(world: DemoWorld) -> None:
    counts = Counter(order.scenario.name for order in world.orders)
    assert counts == {scenario.name: scenario.count for scenario in SCENARIOS}
    assert len(world.scenario("fbt")) >= 10
    assert len(world.scenario("on_hold")) >= 20
    assert len(world.scenario("cancelled")) + len(world.scenario("cancel_after_push")) >= 20
    assert world.scenario("on_hold_modified") and world.scenario("address_changed")
    assert sum(1 for order in world.orders if order.units > 1) >= 100
    assert all(order.units >= 2 for order in world.scenario("on_hold_modified"))
    assert all(order.new_buyer is not None for order in world.scenario("address_changed"))


def test_world_causes_or_explains_every_exception_code(world: DemoWorld) -> None:
    caused = world.caused_codes()
    assert set(caused) | set(NOT_CAUSED) == set(CODES)
    assert not set(caused) & set(NOT_CAUSED)
    for code in ("mapping.shipping_method_missing", "sfcc.invalid_payment_method", "sku.unmapped"):
        assert code in caused


def test_world_failing_orders_fail_for_the_reason_they_claim(world: DemoWorld) -> None:
    catalog = world.catalog.by_sku()
    for order in world.scenario("near_miss_sku"):
        line = order.lines[0]
        assert line.product is not None and line.seller_sku != line.product.sku
        assert line.seller_sku.strip().lower() == line.product.sku.lower()
        assert line.seller_sku not in catalog
    for order in world.scenario("unknown_sku"):
        assert any(line.seller_sku == UNKNOWN_SKU for line in order.lines)
    assert UNKNOWN_SKU not in catalog
    for name, reason in (("offline_product", OFFLINE), ("out_of_stock", OUT_OF_STOCK)):
        for order in world.scenario(name):
            assert order.lines[0].product is not None and order.lines[0].product.unorderable == reason
    assert {order.delivery_option for order in world.scenario("unmapped_delivery_option")} == {
        UNMAPPED_DELIVERY_OPTION
    }
    assert MISSING_SHIPPING_METHOD not in {method_id for method_id, _, _ in SHIPPING_METHODS}
    assert MISSING_PAYMENT_METHOD not in {method_id for method_id, _ in PAYMENT_METHODS}
    for order in world.orders:
        failing = order.scenario.exception_code is not None
        if not failing:
            assert order.payment_method != "PayPal" and order.delivery_option in (
                "Standard Shipping",
                "Express Shipping",
            )
            assert all(line.product is not None and line.product.unorderable is None for line in order.lines)


def test_world_shipments_come_from_created_orders_with_known_and_unknown_carriers(world: DemoWorld) -> None:
    shipped = [order for order in world.orders if order.ship_with]
    carriers = Counter(order.ship_with for order in shipped)
    assert carriers[UNSUPPORTED_CARRIER] >= 1
    assert sum(carriers[name] for name in CARRIERS) >= 50
    assert UNSUPPORTED_CARRIER not in PROVIDERS
    assert all(order.scenario.name == "ready" for order in shipped)


def test_world_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    first, again = build_world(start=START), build_world(start=START)
    assert first == again
    assert json.dumps(day_seed(first), sort_keys=True) == json.dumps(day_seed(again), sort_keys=True)
    assert sfcc_seed(first, CREDENTIALS, IMAGES) == sfcc_seed(again, CREDENTIALS, IMAGES)
    other = build_world(DEMO_SEED + 1, start=START)
    assert [o.lines for o in other.orders] != [o.lines for o in first.orders]


def test_tiktok_orders_parse_and_land_in_the_lifecycle_the_scenario_expects(world: DemoWorld) -> None:
    expected = {
        "ON_HOLD": "onHold",
        "UNPAID": "onHold",
        "AWAITING_SHIPMENT": "readyForFulfillment",
        "PARTIALLY_SHIPPING": "partialFulfillment",
        "CANCELLED": "canceled",
        "DELIVERED": "fulfilled",
    }
    documents = day_seed(world)
    listed = {sku["id"]: sku["seller_sku"] for p in documents["products"] for sku in p["skus"]}
    for document, planned in zip(documents["orders"], world.orders, strict=True):
        order = TikTokOrder.model_validate(document)
        assert order.id == planned.order_id
        assert len(order.line_items) == planned.units
        assert all(listed[item.sku_id] == item.seller_sku for item in order.line_items)
        assert order.delivery_option_id == DELIVERY_OPTION_IDS[planned.delivery_option]
        if planned.scenario.fulfilled_by_tiktok:
            assert lifecycle_status(order) == "fulfilled"
        elif planned.scenario.status in expected:
            assert lifecycle_status(order) == expected[planned.scenario.status]


def test_sfcc_seed_documents_parse_and_mark_unorderable_products(world: DemoWorld) -> None:
    seed = sfcc_seed(world, CREDENTIALS, IMAGES)
    documents = {doc["id"]: doc for doc in seed["products"]}
    assert len(documents) == len(world.catalog.products) + len(world.catalog.masters)
    for product in world.catalog.products:
        parsed = SfccProduct.model_validate(documents[product.sku])
        assert parsed.online_flag == {"default": product.unorderable != OFFLINE}
    site_records = {
        r["product_id"]: r["ats"]
        for r in seed["product_inventory_records"]
        if r["inventory_list_id"] == "inventory_JuniperPine"
    }
    assert set(site_records) == {product.sku for product in world.catalog.products}
    assert all(site_records[p.sku] == 0 for p in world.catalog.products if p.unorderable == OUT_OF_STOCK)
    assert [c["customer_no"] for c in seed["customers"]] == ["00000001"]
    assert CREDENTIALS.ocapi_client_secret in json.dumps(seed["api_clients"])
