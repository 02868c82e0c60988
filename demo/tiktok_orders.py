"""One planned order as TikTok's Open API shows it, and the changes a buyer makes to it later."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from demo.buyers import Buyer
from demo.orders import PlannedOrder
from demo.tiktok_ids import (
    DELIVERY_OPTION_IDS,
    PROVIDERS,
    SHIPPING_FEES,
    TIKTOK_PROVIDER,
    WAREHOUSE_ID,
)

TAX_RATE = Decimal("0.0825")
CENT = Decimal("0.01")
# TikTok statuses whose units have left the seller in a package, and that package's status.
SHIPPED_PACKAGE_STATUS = {
    "AWAITING_COLLECTION": "PROCESSING",
    "IN_TRANSIT": "FULFILLING",
    "DELIVERED": "COMPLETED",
    "COMPLETED": "COMPLETED",
}


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def address_document(buyer: Buyer) -> dict[str, Any]:
    """``recipient_address`` with the district levels TikTok sends for the US."""
    lines = [buyer.street, buyer.apartment]
    return {
        "name": f"{buyer.first_name} {buyer.last_name}",
        "first_name": buyer.first_name,
        "last_name": buyer.last_name,
        "phone_number": buyer.phone,
        "full_address": ", ".join(
            part for part in (*lines, buyer.city, buyer.state, buyer.postal_code) if part
        ),
        "address_line1": buyer.street,
        "address_line2": buyer.apartment,
        "address_line3": "",
        "address_line4": "",
        "postal_code": buyer.postal_code,
        "region_code": "US",
        "district_info": [
            {"address_level": "L0", "address_level_name": "Country", "address_name": "United States"},
            {"address_level": "L1", "address_level_name": "State", "address_name": buyer.state},
            {"address_level": "L2", "address_level_name": "County", "address_name": buyer.county},
            {"address_level": "L3", "address_level_name": "City", "address_name": buyer.city},
        ],
    }


def _package(order: PlannedOrder, status: str) -> dict[str, Any]:
    """Package fields of a line that shipped before Shopwright saw the order."""
    if order.scenario.fulfilled_by_tiktok:
        provider_id, provider = TIKTOK_PROVIDER
    else:
        provider = ("USPS", "UPS", "FedEx")[int(order.order_id) % 3]
        provider_id = PROVIDERS[provider]
    return {
        "package_id": str(int(order.order_id) + 1_100_000_000_000_000),
        "package_status": status,
        "tracking_number": f"9400{order.order_id[-14:]}",
        "shipping_provider_id": provider_id,
        "shipping_provider_name": provider,
    }


def order_document(order: PlannedOrder, listings: dict[str, tuple[str, str]], start: int) -> dict[str, Any]:
    """The order as ``/order/202309/orders/search`` returns it (one line item per unit)."""
    status = order.scenario.status
    package_status = SHIPPED_PACKAGE_STATUS.get(status)
    items = []
    for position, line in enumerate(order.lines):
        product_id, sku_id = listings[line.seller_sku]
        shipped = package_status or (
            "FULFILLING" if status == "PARTIALLY_SHIPPING" and position == 0 else None
        )
        for unit in range(line.quantity):
            item: dict[str, Any] = {
                "id": str(int(order.order_id) + 100_000_000_000_000 + position * 10 + unit),
                "product_id": product_id,
                "product_name": line.product.title if line.product else "Gift Wrap",
                "sku_id": sku_id,
                "seller_sku": line.seller_sku,
                "sku_name": ", ".join(line.product.variation.values()) if line.product else "",
                "sku_type": "NORMAL",
                "original_price": _money(line.unit_price),
                "sale_price": _money(line.unit_price),
                "seller_discount": "0.00",
                "platform_discount": "0.00",
                "currency": "USD",
                "display_status": "AWAITING_SHIPMENT"
                if status == "PARTIALLY_SHIPPING" and not shipped
                else status,
                "is_gift": False,
            }
            if shipped:
                item |= _package(order, shipped)
            items.append(item)
    subtotal = sum((line.unit_price * line.quantity for line in order.lines), Decimal(0))
    shipping = SHIPPING_FEES[order.delivery_option]
    tax = (subtotal * TAX_RATE).quantize(CENT)
    paid = order.paid_time
    document: dict[str, Any] = {
        "id": order.order_id,
        "status": status,
        "create_time": order.create_time,
        "update_time": _update_time(order, start),
        "paid_time": paid,
        "is_on_hold_order": status == "ON_HOLD",
        "is_cod": False,
        "fulfillment_type": "FULFILLMENT_BY_TIKTOK"
        if order.scenario.fulfilled_by_tiktok
        else "FULFILLMENT_BY_SELLER",
        "shipping_type": "TIKTOK" if order.scenario.fulfilled_by_tiktok else "SELLER",
        "delivery_type": "HOME_DELIVERY",
        "delivery_option_id": DELIVERY_OPTION_IDS[order.delivery_option],
        "delivery_option_name": order.delivery_option,
        "warehouse_id": WAREHOUSE_ID,
        "user_id": order.buyer.user_id,
        "buyer_email": f"v2_{order.buyer.user_id[-10:]}@scs.tiktokw.us",
        "payment_method_name": order.payment_method,
        "commerce_platform": "TIKTOK_SHOP",
        "order_type": "NORMAL",
        "payment": {
            "currency": "USD",
            "sub_total": _money(subtotal),
            "original_total_product_price": _money(subtotal),
            "shipping_fee": _money(shipping),
            "original_shipping_fee": _money(shipping),
            "seller_discount": "0.00",
            "platform_discount": "0.00",
            "tax": _money(tax),
            "total_amount": _money(subtotal + shipping + tax),
        },
        "recipient_address": address_document(order.buyer),
        "line_items": items,
        "packages": [],
    }
    if status == "CANCELLED":
        document |= {
            "cancel_time": order.create_time + 1_800,
            "cancel_reason": "No longer needed",
            "cancellation_initiator": "BUYER",
        }
    return document


def _update_time(order: PlannedOrder, start: int) -> int:
    base = order.paid_time or order.create_time
    if order.scenario.status in SHIPPED_PACKAGE_STATUS or order.scenario.status == "PARTIALLY_SHIPPING":
        return min(start - 60, base + 3 * 3600)
    if order.scenario.status == "CANCELLED":
        return order.create_time + 1_800
    return base


def cancellation(now: int) -> dict[str, Any]:
    """The fields TikTok changes when the buyer cancels (the sandbox cancels every line with it)."""
    return {
        "status": "CANCELLED",
        "cancel_time": now,
        "cancel_reason": "Buyer changed their mind",
        "cancellation_initiator": "BUYER",
        "update_time": now,
    }


def unit_removed(document: dict[str, Any], now: int) -> dict[str, Any]:
    """The buyer removes one unit during the hold: TikTok cancels that unit's line item."""
    items = copy.deepcopy(document["line_items"])
    items[-1] |= {"display_status": "CANCELLED", "cancel_reason": "Buyer removed an item"}
    removed = Decimal(items[-1]["sale_price"])
    payment = dict(document["payment"])
    for key in ("sub_total", "original_total_product_price"):
        payment[key] = _money(Decimal(payment[key]) - removed)
    tax = (Decimal(payment["sub_total"]) * TAX_RATE).quantize(CENT)
    payment["tax"] = _money(tax)
    payment["total_amount"] = _money(Decimal(payment["sub_total"]) + Decimal(payment["shipping_fee"]) + tax)
    return {"line_items": items, "payment": payment, "update_time": now}


def address_changed(buyer: Buyer, now: int) -> dict[str, Any]:
    """The buyer edits the shipping address."""
    return {"recipient_address": address_document(buyer), "update_time": now}
