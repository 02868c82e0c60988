"""The OCAPI permission probes of `doctor`: one harmless request per resource and method we use.

OCAPI checks a client's resource permission before anything else, so a request aimed at an id
that does not exist (or with a body SFCC refuses) tells "allowed" (404, 400) from "not allowed"
(403 `ClientAccessForbiddenException`) without changing anything in the instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from connectors.sfcc.settings import CustomerStrategy, SfccSettings

Api = Literal["shop", "data"]
PROBE_ID = "shopwright-doctor-probe"


@dataclass(frozen=True)
class Probe:
    """One resource permission: the OCAPI settings entry it needs, and the request that tests it."""

    api: Api
    resource_id: str
    method: str
    path: str
    body: Any = None
    why: str = ""

    @property
    def settings_entry(self) -> str:
        """The line to add to the OCAPI settings of that API when the permission is missing."""
        return f'{{"resource_id": "{self.resource_id}", "methods": ["{self.method.lower()}"]}}'


def shop_probes() -> list[Probe]:
    """Shop API: the basket flow, order creation with our number, lookups, order search."""
    b = f"/baskets/{PROBE_ID}"
    return [
        Probe("shop", "/baskets", "POST", "/baskets", {"currency": "ZZZ"}, "create baskets"),
        Probe("shop", "/baskets/*", "DELETE", b, None, "clean up rejected baskets"),
        Probe("shop", "/baskets/*/customer", "PUT", f"{b}/customer", {}, "set the customer"),
        Probe("shop", "/baskets/*/items", "POST", f"{b}/items", [], "add items"),
        Probe(
            "shop",
            "/baskets/*/shipments/*/shipping_address",
            "PUT",
            f"{b}/shipments/me/shipping_address",
            {},
            "set the shipping address",
        ),
        Probe(
            "shop",
            "/baskets/*/shipments/*/shipping_method",
            "PUT",
            f"{b}/shipments/me/shipping_method",
            {},
            "set the shipping method",
        ),
        Probe(
            "shop", "/baskets/*/billing_address", "PUT", f"{b}/billing_address", {}, "set the billing address"
        ),
        Probe(
            "shop",
            "/baskets/*/payment_instruments",
            "POST",
            f"{b}/payment_instruments",
            {},
            "add the payment",
        ),
        Probe(
            "shop",
            "/orders/*",
            "GET",
            f"/orders/{PROBE_ID}",
            None,
            "check an order exists before creating it",
        ),
        Probe("shop", "/orders/*", "PUT", f"/orders/{PROBE_ID}", {}, "create orders with our order number"),
        Probe(
            "shop",
            "/order_search",
            "POST",
            "/order_search",
            {"query": {"match_all_query": {}}, "count": 1},
            "pull shipments and shipping requests",
        ),
    ]


def data_probes(settings: SfccSettings) -> list[Probe]:
    """Data API: inventory, catalog, order status, customers (by strategy)."""
    site, customers = settings.site_id, f"/customer_lists/{settings.customer_list}"
    probes = [
        Probe("data", "/inventory_lists", "GET", "/inventory_lists?count=1", None, "pull inventory lists"),
        Probe(
            "data",
            "/inventory_lists/*/product_inventory_records",
            "GET",
            f"/inventory_lists/{PROBE_ID}/product_inventory_records",
            None,
            "pull inventory records",
        ),
        Probe("data", "/product_search", "POST", "/product_search", {"count": 1}, "pull the catalog"),
        Probe(
            "data",
            "/sites/*/orders/*/status",
            "PUT",
            f"/sites/{site}/orders/{PROBE_ID}/status",
            {"status": "cancelled"},
            "cancel orders",
        ),
        Probe(
            "data",
            "/customer_lists/*/customers/*",
            "GET",
            f"{customers}/customers/{PROBE_ID}",
            None,
            "read customers",
        ),
    ]
    if settings.customer_strategy is not CustomerStrategy.GENERIC:
        probes.append(
            Probe(
                "data",
                "/customer_lists/*/customer_search",
                "POST",
                f"{customers}/customer_search",
                {"query": {"match_all_query": {}}, "count": 1},
                "find customers by email or company",
            )
        )
    if settings.customer_strategy in (CustomerStrategy.EMAIL_CREATE, CustomerStrategy.COMPANY_CREATE):
        probes.append(
            Probe(
                "data",
                "/customer_lists/*/customers",
                "POST",
                f"{customers}/customers",
                {},
                "create customers",
            )
        )
    return probes
