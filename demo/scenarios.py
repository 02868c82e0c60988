"""What happens to each kind of order in the demo day, and what the store must show for it.

A scenario names a kind of TikTok order (its status, its quirk) and the outcome the demo checks
after the daemon ran: created in SFCC, never sent, canceled in SFCC, or an open exception with a
stable code from the exception catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

# Outcomes the checks know how to verify.
CREATED = "created in SFCC"
NOT_PUSHED = "not pushed"
CANCELED_IN_SFCC = "canceled in SFCC"


@dataclass(frozen=True)
class Scenario:
    """One kind of order: how many, in which TikTok status, and what must come of it."""

    name: str
    count: int
    status: str
    outcome: str
    exception_code: str | None = None
    fulfilled_by_tiktok: bool = False
    description: str = ""


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("ready", 220, "AWAITING_SHIPMENT", CREATED, description="paid over an hour ago, ready to ship"),
    Scenario(
        "cancel_after_push",
        8,
        "AWAITING_SHIPMENT",
        CANCELED_IN_SFCC,
        description="canceled on TikTok after it reached SFCC",
    ),
    Scenario(
        "ready_recent",
        20,
        "AWAITING_SHIPMENT",
        CREATED,
        description="paid within the hour: held by Shopwright",
    ),
    Scenario(
        "address_changed",
        6,
        "AWAITING_SHIPMENT",
        CREATED,
        description="held, then the buyer changed the address",
    ),
    Scenario("on_hold", 40, "ON_HOLD", CREATED, description="in TikTok's one-hour ON_HOLD window"),
    Scenario("on_hold_modified", 6, "ON_HOLD", CREATED, description="on hold, then the buyer removed a unit"),
    Scenario(
        "on_hold_cancelled", 5, "ON_HOLD", NOT_PUSHED, description="on hold, then canceled by the buyer"
    ),
    Scenario("unpaid", 15, "UNPAID", NOT_PUSHED, description="placed, not paid yet"),
    Scenario("cancelled", 25, "CANCELLED", NOT_PUSHED, description="canceled before it was ready"),
    Scenario(
        "partially_shipping", 10, "PARTIALLY_SHIPPING", NOT_PUSHED, description="some units already shipped"
    ),
    Scenario(
        "awaiting_collection",
        20,
        "AWAITING_COLLECTION",
        NOT_PUSHED,
        description="packed, waiting for the carrier",
    ),
    Scenario("in_transit", 30, "IN_TRANSIT", NOT_PUSHED, description="with the carrier"),
    Scenario("delivered", 50, "DELIVERED", NOT_PUSHED, description="delivered"),
    Scenario("completed", 30, "COMPLETED", NOT_PUSHED, description="past the return window"),
    Scenario(
        "fbt", 30, "IN_TRANSIT", NOT_PUSHED, fulfilled_by_tiktok=True, description="Fulfilled by TikTok"
    ),
    Scenario(
        "unmapped_delivery_option",
        8,
        "AWAITING_SHIPMENT",
        NOT_PUSHED,
        "mapping.shipping_method_missing",
        description="delivery option 'Economy Shipping' has no SFCC shipping method",
    ),
    Scenario(
        "invalid_shipping_method",
        6,
        "AWAITING_SHIPMENT",
        NOT_PUSHED,
        "sfcc.invalid_shipping_method",
        description="'Next Day Delivery' is mapped to a method SFCC does not have",
    ),
    Scenario(
        "bad_payment_mapping",
        6,
        "AWAITING_SHIPMENT",
        NOT_PUSHED,
        "sfcc.invalid_payment_method",
        description="PayPal orders are mapped to a payment method SFCC does not have",
    ),
    Scenario(
        "near_miss_sku",
        5,
        "AWAITING_SHIPMENT",
        NOT_PUSHED,
        "sku.unmapped",
        description="the TikTok seller SKU differs from the master SKU in case or spaces",
    ),
    Scenario(
        "unknown_sku",
        3,
        "AWAITING_SHIPMENT",
        NOT_PUSHED,
        "sku.unmapped",
        description="a seller SKU no master product has",
    ),
    Scenario(
        "offline_product",
        4,
        "AWAITING_SHIPMENT",
        NOT_PUSHED,
        "sfcc.product_unavailable",
        description="a product TikTok sells but SFCC has offline",
    ),
    Scenario(
        "out_of_stock",
        3,
        "AWAITING_SHIPMENT",
        NOT_PUSHED,
        "sfcc.product_unavailable",
        description="a product with no stock left in SFCC",
    ),
)

BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}

# Exception codes of the catalog that the demo's settings cannot cause, and why; the demo says
# so instead of pretending (connector-level faults need a broken credential or an outage).
NOT_CAUSED: dict[str, str] = {
    "sfcc.auth_failed": "the demo's credentials are right",
    "sfcc.permission_denied": "the demo's API clients have every permission they need",
    "sfcc.customer_missing": "the generic customer is set and exists",
    "order.cancel_not_propagated": "'canceled' is among the statuses the demo pushes",
    "fulfillment.not_pulled": "the demo pulls and pushes fulfillments",
    "catalog.not_pulled": "the demo pulls the catalog",
    "inventory.mismatch": "the demo pulls and pushes inventory",
    "tiktok.auth_expired": "the demo's shop stays authorised",
    "tiktok.rate_limited": "the sandboxes run without rate limits in the demo",
    "sfcc.unavailable": "the sandboxes run without injected outages in the demo",
}
