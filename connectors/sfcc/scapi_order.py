"""The SCAPI `createOrders` body for a pre-calculated TikTok order (channel type `tiktok`).

Pure: SFCC does no lookups on this path, so the totals must add up exactly; tax is spread over
the lines in the currency's precision with the remainder on the last line.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from connectors.sfcc.order_mapping import (
    DEFAULT_SHIPMENT,
    SfccOrderInput,
    check_order_config,
    order_number_for,
    payment_amount,
    payment_rule,
    shipping_method_id,
)
from connectors.sfcc.settings import SfccSettings


def allocate_by_weight(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` by `weights` in the total's precision; the last share takes the remainder."""
    exponent = total.as_tuple().exponent
    quantum = Decimal(1).scaleb(min(exponent, -2) if isinstance(exponent, int) else -2)
    whole = sum(weights, Decimal(0))
    if not whole:
        return [Decimal(0)] * (len(weights) - 1) + [total]
    shares = [(total * w / whole).quantize(quantum, ROUND_HALF_UP) for w in weights[:-1]]
    return [*shares, total - sum(shares, Decimal(0))]


def build_scapi_order(order: SfccOrderInput, settings: SfccSettings) -> dict[str, Any]:
    """SCAPI `createOrders` body for a pre-calculated order (channel type `tiktok`)."""
    check_order_config(order, settings)  # the same configuration rules as the basket flow
    order_no = order_number_for(order.tiktok_order_id, settings.order_number_prefix)
    method = shipping_method_id(order, settings)
    rule = payment_rule(order, settings)
    nets = [line.unit_price * line.quantity for line in order.lines]
    taxes = allocate_by_weight(order.totals.tax, nets)
    items = [
        {
            "productId": line.sku,
            "quantity": line.quantity,
            "shipmentId": DEFAULT_SHIPMENT,
            "basePrice": line.unit_price,
            "netPrice": net,
            "tax": tax,
            "grossPrice": net + tax,
        }
        for line, net, tax in zip(order.lines, nets, taxes, strict=True)
    ]
    body: dict[str, Any] = {
        "orderNo": order_no,
        "channelType": "tiktok",
        "currency": order.currency,
        "billingAddress": (order.billing_address or order.shipping_address).to_scapi(),
        "productItems": items,
        "shipments": [
            {
                "shipmentId": DEFAULT_SHIPMENT,
                # The published example sends the method as a plain id string.
                "shippingMethod": method,
                "shippingAddress": order.shipping_address.to_scapi(),
                "shippingTotal": order.totals.shipping,
                "taxTotal": Decimal(0),
            }
        ],
        "paymentInstruments": [
            {
                "paymentMethodId": rule.sfcc_payment_method_id,
                "paymentTransaction": {
                    "amount": payment_amount(order, rule),
                    "transactionId": order.tiktok_order_id,
                },
            }
        ],
        "taxTotal": order.totals.tax,
        "orderTotal": (
            sum(nets, Decimal(0)) + order.totals.tax + order.totals.shipping - order.totals.discount
        ),
    }
    if order.totals.discount:
        body["orderPriceAdjustments"] = [
            {"itemText": "TikTok Shop discount", "grossPrice": -order.totals.discount}
        ]
    return body
