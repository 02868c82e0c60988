"""The demo's whole world, from one seed: the catalog, the day of orders, and what they must cause."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from demo.catalog import Catalog, build_catalog
from demo.orders import UNSUPPORTED_CARRIER, PlannedOrder, plan_day
from demo.scenarios import SCENARIOS

DEMO_SEED = 20_251_123


@dataclass(frozen=True)
class DemoWorld:
    """Everything the demo seeds, and the exception codes that this world must make appear."""

    seed: int
    start: int
    catalog: Catalog
    orders: tuple[PlannedOrder, ...]

    def scenario(self, name: str) -> list[PlannedOrder]:
        """The orders of one scenario, oldest first."""
        return [order for order in self.orders if order.scenario.name == name]

    def status_counts(self) -> Counter[str]:
        """Orders per TikTok status, as seeded."""
        return Counter(order.scenario.status for order in self.orders)

    def category_counts(self) -> Counter[str]:
        """Sellable products per TikTok category name."""
        return Counter(product.category.name for product in self.catalog.products)

    def caused_codes(self) -> dict[str, str]:
        """Exception code -> what in this world causes it (orders, products or shipments)."""
        causes: dict[str, str] = {}
        for scenario in SCENARIOS:
            if scenario.exception_code and self.scenario(scenario.name):
                known = causes.get(scenario.exception_code)
                causes[scenario.exception_code] = (
                    f"{known}; {scenario.description}" if known else scenario.description
                )
        if any(order.ship_with == UNSUPPORTED_CARRIER for order in self.orders):
            causes["tiktok.carrier_unsupported"] = f"orders SFCC ships with {UNSUPPORTED_CARRIER}"
        if any(product.missing for product in self.catalog.products):
            causes["tiktok.attribute_missing"] = "products without a required category attribute"
        if any(product.listing_problem for product in self.catalog.products):
            causes["tiktok.listing_invalid"] = "products whose listing breaks a TikTok rule"
        if self.scenario("on_hold"):
            causes["order.on_hold"] = "orders inside TikTok's ON_HOLD window"
        if self.scenario("partially_shipping"):
            causes["order.status_not_pushed"] = "partially shipped orders, a status the demo does not push"
        return causes


def build_world(seed: int = DEMO_SEED, *, start: int) -> DemoWorld:
    """The same ``seed`` and ``start`` (sandbox Unix time) always give the same world."""
    rng = random.Random(seed)
    catalog = build_catalog(rng)
    orders = plan_day(catalog, rng, start=start)
    return DemoWorld(seed, start, catalog, tuple(orders))
