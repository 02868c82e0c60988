"""Catalog, inventory, shipping-request and fulfillment pulls against the running sandbox."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
from sfcc_helpers import make_order, make_settings

from connectors.engine.clock import SystemClock
from connectors.sfcc import pulls
from connectors.sfcc.basket_push import BasketPusher, MemoryStepRecorder
from connectors.sfcc.client import SfccClient
from connectors.sfcc.schemas import Order


def test_inventory_lists_and_records_with_ats(client: SfccClient, admin: httpx.Client) -> None:
    assert [x.id for x in pulls.iter_inventory_lists(client, page_size=1)] == [
        "inventory_RefArch",
        "inventory_warehouse_east",
    ]
    admin.put(
        "/_sandbox/inventory_lists/inventory_RefArch/product_inventory_records/MUG-001",
        json={"allocation": {"amount": 12}},
    )
    records = {
        r.product_id: r.ats for r in pulls.iter_inventory_records(client, "inventory_RefArch", page_size=2)
    }
    assert records == {"MUG-001": Decimal(12), "TSHIRT-BLUE-M": Decimal(1), "TSHIRT-RED-M": Decimal(100)}


def test_products_with_variants_and_since_cursor(client: SfccClient) -> None:
    products = {p.id: p for p in pulls.iter_products(client, page_size=2)}
    assert set(products) == {"TSHIRT", "TSHIRT-RED-M", "TSHIRT-BLUE-M", "MUG-001", "OLD-001"}
    assert [v.product_id for v in products["TSHIRT"].variants] == ["TSHIRT-RED-M", "TSHIRT-BLUE-M"]
    assert products["TSHIRT-RED-M"].display_name == "Organic T-Shirt Red M"
    recent = [p.id for p in pulls.iter_products(client, modified_since=datetime(2025, 1, 2, tzinfo=UTC))]
    assert recent == ["MUG-001", "OLD-001"]


def test_shipment_in_sandbox_becomes_tracking_with_carrier(client: SfccClient, admin: httpx.Client) -> None:
    BasketPusher(client).push(make_order(), MemoryStepRecorder())
    before = datetime.now(UTC).replace(year=2000)
    assert [o.order_no for o in pulls.iter_shipping_requests(client, before)] == ["TT576653688135258178"]
    assert list(pulls.iter_shipped_orders(client, before)) == []
    admin.post(
        "/_sandbox/orders/TT576653688135258178/ship",
        json={"tracking_number": "1Z999AA10123456784", "c_carrier": "UPS"},
    )
    [order] = pulls.iter_shipped_orders(client, before)
    [tracking] = pulls.tracking_of(order, "c_carrier")
    assert (tracking.order_no, tracking.tracking_number, tracking.carrier) == (
        "TT576653688135258178",
        "1Z999AA10123456784",
        "UPS",
    )
    assert tracking.items == [("TSHIRT-RED-M", Decimal(2)), ("MUG-001", Decimal(1))]
    later = order.last_modified
    assert later is not None
    assert list(pulls.iter_shipped_orders(client, later.replace(year=later.year + 1))) == []
    assert list(pulls.iter_shipping_requests(client, before)) == []


def test_scapi_order_pull_with_offset_limit(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client
) -> None:
    client = SfccClient(http, make_settings(sandbox_url), clock=SystemClock(), sleep=lambda s: None)
    pusher = BasketPusher(client)
    for n in range(3):
        pusher.push(make_order(f"7{n}"), MemoryStepRecorder())
    admin.post("/_sandbox/orders/TT71/ship", json={"tracking_number": "T71"})
    shipped = list(
        pulls.iter_scapi_orders(client, shipping_status="shipped", modified_since=None, page_size=1)
    )
    assert [o["orderNo"] for o in shipped] == ["TT71"]
    everything = list(pulls.iter_scapi_orders(client, shipping_status=None, modified_since=None, page_size=2))
    assert sorted(o["orderNo"] for o in everything) == ["TT70", "TT71", "TT72"]


def test_tracking_prefers_shipment_carrier_over_order_carrier() -> None:
    order = Order.model_validate(
        {
            "order_no": "1",
            "shipping_status": "part_shipped",
            "c_carrier": "FedEx",
            "shipments": [
                {
                    "shipment_id": "a",
                    "shipping_status": "shipped",
                    "tracking_number": "A1",
                    "c_carrier": "UPS",
                },
                {"shipment_id": "b", "shipping_status": "shipped", "tracking_number": "B1"},
                {"shipment_id": "c", "shipping_status": "not_shipped"},
            ],
            "product_items": [
                {"product_id": "X", "quantity": 1, "shipment_id": "a"},
                {"product_id": "Y", "quantity": 2, "shipment_id": "b"},
            ],
        }
    )
    result = pulls.tracking_of(order, "c_carrier")
    assert [(t.shipment_id, t.carrier, t.items) for t in result] == [
        ("a", "UPS", [("X", Decimal(1))]),
        ("b", "FedEx", [("Y", Decimal(2))]),
    ]
