"""Wire models and the pure mapping helpers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.tiktok.schemas import (
    LineItem,
    Order,
    WebhookEvent,
    aggregate_lines,
    hold_until,
    is_fulfilled_by_tiktok,
    lifecycle_status,
)

ORDER = {
    "id": "576461413038785752",
    "status": "PARTIALLY_SHIPPING",
    "create_time": 1619611561,
    "update_time": 1619621355,
    "paid_time": 1619611563,
    "fulfillment_type": "FULFILLMENT_BY_SELLER",
    "delivery_option_id": "7091146663229654789",
    "payment": {"currency": "USD", "sub_total": "59.97", "total_amount": "64.96", "shipping_fee": "4.99"},
    "line_items": [
        {
            "id": "1",
            "sku_id": "s1",
            "seller_sku": "MUG",
            "sale_price": "19.99",
            "display_status": "IN_TRANSIT",
            "package_id": "p1",
            "package_status": "FULFILLING",
            "tracking_number": "1Z",
        },
        {
            "id": "2",
            "sku_id": "s1",
            "seller_sku": "MUG",
            "sale_price": "19.99",
            "display_status": "AWAITING_SHIPMENT",
        },
        {
            "id": "3",
            "sku_id": "s1",
            "seller_sku": "MUG",
            "sale_price": "19.99",
            "display_status": "CANCELLED",
        },
        {
            "id": "4",
            "sku_id": "s2",
            "seller_sku": "mug ",
            "sale_price": "19.99",
            "display_status": "AWAITING_SHIPMENT",
        },
    ],
    "some_future_field": {"ignored": True},
}


def test_schema_order_parses_money_as_decimal_and_ids_as_strings() -> None:
    order = Order.model_validate(ORDER)
    assert order.payment is not None and order.payment.total_amount == Decimal("64.96")
    assert order.line_items[0].sale_price == Decimal("19.99")
    assert order.recipient_address is None


def test_schema_aggregates_units_per_sku_keeping_line_ids() -> None:
    lines = aggregate_lines(Order.model_validate(ORDER).line_items)
    assert [(a.seller_sku, a.quantity) for a in lines] == [("MUG", 2), ("mug ", 1)]  # exact SKUs, no folding
    mug = lines[0]
    assert mug.line_ids == ["1", "2", "3"]
    assert mug.canceled_line_ids == ["3"] and mug.shipped_line_ids == ["1"]
    assert mug.unit_price == Decimal("19.99")


@pytest.mark.parametrize(
    ("status", "fulfillment", "expected"),
    [
        ("UNPAID", "FULFILLMENT_BY_SELLER", "onHold"),
        ("ON_HOLD", "FULFILLMENT_BY_SELLER", "onHold"),
        ("AWAITING_SHIPMENT", "FULFILLMENT_BY_SELLER", "readyForFulfillment"),
        ("PARTIALLY_SHIPPING", "FULFILLMENT_BY_SELLER", "partialFulfillment"),
        ("AWAITING_COLLECTION", "FULFILLMENT_BY_SELLER", "fulfilled"),
        ("IN_TRANSIT", "FULFILLMENT_BY_SELLER", "fulfilled"),
        ("DELIVERED", "FULFILLMENT_BY_SELLER", "fulfilled"),
        ("COMPLETED", "FULFILLMENT_BY_SELLER", "fulfilled"),
        ("CANCELLED", "FULFILLMENT_BY_SELLER", "canceled"),
        ("AWAITING_SHIPMENT", "FULFILLMENT_BY_TIKTOK", "fulfilled"),
        ("CANCELLED", "FULFILLMENT_BY_TIKTOK", "canceled"),
        ("SOMETHING_NEW", "FULFILLMENT_BY_SELLER", "new"),
    ],
)
def test_schema_lifecycle_status(status: str, fulfillment: str, expected: str) -> None:
    order = Order.model_validate({"id": "1", "status": status, "fulfillment_type": fulfillment})
    assert lifecycle_status(order) == expected
    assert is_fulfilled_by_tiktok(order) is (fulfillment == "FULFILLMENT_BY_TIKTOK")


def test_schema_hold_until_counts_from_payment() -> None:
    order = Order.model_validate(ORDER)
    assert hold_until(order, 60) == 1619611563 + 3600
    assert hold_until(order, 0) is None
    fbt = Order.model_validate({**ORDER, "fulfillment_type": "FULFILLMENT_BY_TIKTOK"})
    assert hold_until(fbt, 60) is None


def test_schema_webhook_accepts_integer_ids_without_precision_loss() -> None:
    event = WebhookEvent.model_validate_json(
        '{"type":5,"tts_notification_id":7380066284010030890,"shop_id":"1","timestamp":1,'
        '"data":{"product_id":1729582718312380123,"status":"PRODUCT_FIRST_PASS_REVIEW"}}'
    )
    assert event.tts_notification_id == "7380066284010030890"
    assert event.data["product_id"] == 1729582718312380123
    assert event.order_id is None


def test_schema_line_item_id_from_integer() -> None:
    assert LineItem.model_validate({"id": 576461413038785752}).id == "576461413038785752"
