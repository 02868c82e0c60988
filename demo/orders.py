"""A day of TikTok orders for the demo shop, planned scenario by scenario from a seeded generator.

The plan says, for each order, what TikTok will show (status, times, lines as TikTok sends them,
delivery option, payment method, buyer) and what the demo does to it later: a change by the
buyer during the hold, a cancellation after it reached SFCC, or a shipment with a given carrier.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal

from demo.buyers import Buyer, draw_buyer
from demo.catalog import OFFLINE, OUT_OF_STOCK, Catalog, DemoProduct
from demo.scenarios import SCENARIOS, Scenario

STANDARD, EXPRESS = "Standard Shipping", "Express Shipping"
NEXT_DAY, ECONOMY = "Next Day Delivery", "Economy Shipping"
CARD, APPLE_PAY, AFTERPAY, PAYPAL = "Credit card", "Apple Pay", "Afterpay", "PayPal"
UNKNOWN_SKU = "GIFT-WRAP"
CARRIERS = ("USPS", "UPS", "FedEx")
UNSUPPORTED_CARRIER = "DHL eCommerce"
SHIPPED_BY_SFCC = 60
SHIPPED_WITH_UNSUPPORTED_CARRIER = 4
MINUTE, HOUR = 60, 3600

# How long before the demo's start each scenario's orders were paid (created, for UNPAID).
PAID_AGO: dict[str, tuple[int, int]] = {
    "ready_recent": (3 * MINUTE, 55 * MINUTE),
    "address_changed": (3 * MINUTE, 55 * MINUTE),
    "on_hold": (3 * MINUTE, 55 * MINUTE),
    "on_hold_modified": (3 * MINUTE, 55 * MINUTE),
    "on_hold_cancelled": (3 * MINUTE, 55 * MINUTE),
    "unpaid": (5 * MINUTE, 110 * MINUTE),
    "cancelled": (1 * HOUR, 23 * HOUR),
    "partially_shipping": (3 * HOUR, 8 * HOUR),
    "awaiting_collection": (4 * HOUR, 10 * HOUR),
    "in_transit": (10 * HOUR, 18 * HOUR),
    "fbt": (2 * HOUR, 20 * HOUR),
    "delivered": (18 * HOUR, 23 * HOUR),
    "completed": (20 * HOUR, 23 * HOUR + 50 * MINUTE),
}
DEFAULT_PAID_AGO = (65 * MINUTE, 9 * HOUR)


@dataclass(frozen=True)
class PlannedLine:
    """Units of one SKU; ``seller_sku`` is what TikTok sends, which may differ from the product's."""

    seller_sku: str
    product: DemoProduct | None
    quantity: int

    @property
    def unit_price(self) -> Decimal:
        return self.product.price if self.product is not None else Decimal("3.99")


@dataclass(frozen=True)
class PlannedOrder:
    """One TikTok order of the day and what happens to it."""

    order_id: str
    scenario: Scenario
    create_time: int
    paid_time: int | None
    lines: tuple[PlannedLine, ...]
    delivery_option: str
    payment_method: str
    buyer: Buyer
    new_buyer: Buyer | None = None
    ship_with: str | None = None

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


def near_miss(sku: str, rng: random.Random) -> str:
    """The SKU as someone typed it by hand on TikTok: other case, or a stray space."""
    variants = (sku.lower(), f"{sku} ", f" {sku}", sku.capitalize() if sku.isupper() else sku.upper())
    return rng.choice([variant for variant in variants if variant != sku])


def _quantity(rng: random.Random) -> int:
    return rng.choices((1, 2, 3), weights=(75, 18, 7))[0]


def _lines(rng: random.Random, scenario: Scenario, catalog: Catalog) -> list[PlannedLine]:
    orderable = catalog.orderable_on_tiktok()
    distinct = rng.choices((1, 2, 3), weights=(65, 25, 10))[0]
    if scenario.name == "partially_shipping":
        distinct = max(distinct, 2)
    chosen = rng.sample(orderable, distinct)
    lines = [PlannedLine(p.sku, p, _quantity(rng)) for p in chosen]
    if scenario.name == "on_hold_modified":
        lines[0] = PlannedLine(lines[0].seller_sku, lines[0].product, max(lines[0].quantity, 2))
    if scenario.name in ("offline_product", "out_of_stock"):
        reason = OFFLINE if scenario.name == "offline_product" else OUT_OF_STOCK
        bad = rng.choice([p for p in catalog.products if p.unorderable == reason])
        lines = [PlannedLine(bad.sku, bad, 1), *lines[:1]]
    if scenario.name == "near_miss_sku":
        lines[0] = PlannedLine(near_miss(chosen[0].sku, rng), chosen[0], lines[0].quantity)
    if scenario.name == "unknown_sku":
        lines.append(PlannedLine(UNKNOWN_SKU, None, 1))
    return lines


def _delivery_and_payment(rng: random.Random, scenario: Scenario) -> tuple[str, str]:
    delivery = STANDARD if rng.random() < 0.8 else EXPRESS
    payment = rng.choices((CARD, APPLE_PAY, AFTERPAY), weights=(70, 20, 10))[0]
    if scenario.name == "unmapped_delivery_option":
        delivery = ECONOMY
    if scenario.name == "invalid_shipping_method":
        delivery = NEXT_DAY
    if scenario.name == "bad_payment_mapping":
        payment = PAYPAL
    return delivery, payment


def plan_day(catalog: Catalog, rng: random.Random, *, start: int) -> list[PlannedOrder]:
    """Every order of the day, oldest first; ``start`` is the sandbox time the day ends at."""
    drafts = []
    for scenario in SCENARIOS:
        low, high = PAID_AGO.get(scenario.name, DEFAULT_PAID_AGO)
        for _ in range(scenario.count):
            paid = start - rng.randint(low, high)
            delivery, payment = _delivery_and_payment(rng, scenario)
            drafts.append(
                PlannedOrder(
                    order_id="",
                    scenario=scenario,
                    create_time=paid - rng.randint(30, 600),
                    paid_time=None if scenario.status == "UNPAID" else paid,
                    lines=tuple(_lines(rng, scenario, catalog)),
                    delivery_option=delivery,
                    payment_method=payment,
                    buyer=draw_buyer(rng),
                    new_buyer=draw_buyer(rng) if scenario.name == "address_changed" else None,
                )
            )
    drafts.sort(key=lambda draft: (draft.create_time, draft.scenario.name))
    # Ids follow creation order, as TikTok's do.
    orders = [
        replace(draft, order_id=str(576_650_000_000_000_000 + index * 7_919 + 17))
        for index, draft in enumerate(drafts)
    ]
    return _with_shipments(orders, rng)


def _with_shipments(orders: list[PlannedOrder], rng: random.Random) -> list[PlannedOrder]:
    """Pick the orders SFCC's warehouse ships during the demo, and with which carrier."""
    shippable = [i for i, order in enumerate(orders) if order.scenario.name == "ready"]
    chosen = rng.sample(shippable, SHIPPED_BY_SFCC + SHIPPED_WITH_UNSUPPORTED_CARRIER)
    result = list(orders)
    for position, index in enumerate(chosen):
        carrier = UNSUPPORTED_CARRIER if position < SHIPPED_WITH_UNSUPPORTED_CARRIER else rng.choice(CARRIERS)
        result[index] = replace(orders[index], ship_with=carrier)
    return result
