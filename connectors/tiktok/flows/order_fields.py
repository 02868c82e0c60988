"""From a TikTok order to the store's order fields: lifecycle, hold, money, address, lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from connectors.tiktok.schemas import (
    Order,
    RecipientAddress,
    aggregate_lines,
    is_fulfilled_by_tiktok,
    lifecycle_status,
)
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.state_codes import state_code
from store.repositories import LineData
from store.session import EncodedJson

ZERO = Decimal(0)


def order_fields(order: Order, settings: TikTokSettings, now: datetime) -> dict[str, Any]:
    """Store columns for ``order``; Shopwright's own hold keeps new orders onHold for a while."""
    payment = order.payment
    status = lifecycle_status(order)
    hold_until = None
    if status in ("readyForFulfillment", "new") and not is_fulfilled_by_tiktok(order):
        paid = order.paid_time or order.create_time
        if paid and settings.hold_window_minutes > 0:
            hold_until = datetime.fromtimestamp(paid, UTC) + timedelta(minutes=settings.hold_window_minutes)
            if hold_until > now:
                status = "onHold"
    return {
        "status": status,
        "channel_status": order.status,
        "hold_until": hold_until,
        "fulfillment_type": "platform" if is_fulfilled_by_tiktok(order) else "seller",
        "source_channel": "tiktok",
        "currency": (payment.currency if payment and payment.currency else "USD"),
        "subtotal": _money(payment.sub_total if payment else None),
        "shipping_fee": _money(payment.shipping_fee if payment else None),
        "tax": _money(payment.tax if payment else None),
        "discount": _money(payment.seller_discount if payment else None)
        + _money(payment.platform_discount if payment else None),
        "total": _money(payment.total_amount if payment else None),
        "shipping_option": order.delivery_option_name,
        "shipping_address": normalized_address(order.recipient_address),
        "payments": [
            {
                "method": order.payment_method_name,
                "amount": str(_money(payment.total_amount if payment else None)),
            }
        ],
        "placed_at": datetime.fromtimestamp(order.create_time, UTC) if order.create_time else None,
        "channel_updated_at": datetime.fromtimestamp(order.update_time, UTC) if order.update_time else None,
        # What TikTok sent, as it sent it: fields it left out stay out (half the size of a full dump).
        "raw": EncodedJson(order.model_dump_json(exclude_unset=True)),
    }


def order_lines(order: Order) -> list[LineData]:
    """One line per seller SKU, keeping every TikTok line id (TikTok sends one line per unit)."""
    return [
        LineData(
            sku=line.seller_sku,
            quantity=line.quantity,
            unit_price=line.unit_price or ZERO,
            product_name=line.product_name,
            external_line_ids=tuple(line.line_ids),
        )
        for line in aggregate_lines(order.line_items)
        if line.quantity > 0
    ]


def normalized_address(address: RecipientAddress | None) -> dict[str, Any] | None:
    """The store's address shape; None while TikTok hides it (UNPAID, ON_HOLD)."""
    if address is None:
        return None
    levels = {level.address_level: level.address_name for level in address.district_info}
    first, last = address.first_name, address.last_name
    if not first and address.name:
        first, _, last = address.name.partition(" ")
    return {
        "first_name": first,
        "last_name": last,
        "address1": address.address_line1 or address.full_address,
        "address2": address.address_line2 or None,
        "city": levels.get("L3") or levels.get("L2") or "",
        # TikTok names the state in words at level L1 ("Arizona"); SFCC wants its code ("AZ").
        "state_code": state_code(levels.get("L1"), address.region_code),
        "postal_code": address.postal_code,
        "country_code": address.region_code,
        "phone": address.phone_number or None,
    }


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO
