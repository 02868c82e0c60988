"""The demo world in TikTok Shop's wire format: the sandbox seed (shop, logistics, listings, orders).

Every record is what TikTok's Open API would return (ids as strings, money as decimal strings,
one line item per unit); the sandbox serves them as they are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from demo.catalog import Catalog, DemoProduct
from demo.orders import ECONOMY, EXPRESS, NEXT_DAY, STANDARD, UNKNOWN_SKU, PlannedOrder
from demo.tiktok_ids import (
    DELIVERY_OPTION_IDS,
    PROVIDERS,
    RETURN_WAREHOUSE_ID,
    SHOP_CIPHER,
    SHOP_ID,
    STALE_STOCK_OFFSET,
    WAREHOUSE_ID,
)
from demo.tiktok_orders import order_document
from demo.world import DemoWorld


class ListingIds:
    """TikTok product and SKU ids of every listing the seller has on TikTok, by seller SKU."""

    def __init__(self, world: DemoWorld) -> None:
        self.by_seller_sku: dict[str, tuple[str, str]] = {}
        self.titles: dict[str, str] = {}
        self._skus_per_product: dict[str, int] = {}
        self._next = 0
        catalog = world.catalog
        by_sku = catalog.by_sku()
        for master in catalog.masters:
            product_id = self._new_id()
            for sku in master.variant_skus:
                if by_sku[sku].on_tiktok:
                    self._add(sku, product_id, master.title)
        for product in catalog.products:
            if product.master_sku is None and product.on_tiktok:
                self._add(product.sku, self._new_id(), product.title)
        # Listings made by hand on TikTok: one with no master product, and near misses.
        self._add(UNKNOWN_SKU, self._new_id(), "Gift Wrap")
        for order in world.orders:
            for line in order.lines:
                hand_typed = line.product is not None and line.seller_sku != line.product.sku
                if hand_typed and line.product is not None and line.seller_sku not in self.by_seller_sku:
                    self._add(line.seller_sku, self._new_id(), line.product.title)

    def _new_id(self) -> str:
        self._next += 1
        return str(1_729_582_718_312_000_000 + self._next * 1_000)

    def _add(self, seller_sku: str, product_id: str, title: str) -> None:
        count = self._skus_per_product.get(product_id, 0) + 1
        self._skus_per_product[product_id] = count
        sku_id = str(int(product_id) + count)
        self.by_seller_sku[seller_sku] = (product_id, sku_id)
        self.titles[product_id] = title


def _shop() -> dict[str, Any]:
    return {
        "id": SHOP_ID,
        "name": "Juniper & Pine",
        "region": "US",
        "seller_type": "LOCAL",
        "cipher": SHOP_CIPHER,
        "code": "USLCJNPR01",
    }


def _warehouses() -> list[dict[str, Any]]:
    address = {
        "region_code": "US",
        "state": "Oregon",
        "city": "Portland",
        "postal_code": "97210",
        "full_address": "2400 NW Front Ave, Portland, OR 97210",
        "contact_person": "Warehouse team",
        "phone_number": "(+1)503-555-0100",
    }
    return [
        {
            "id": WAREHOUSE_ID,
            "name": "Portland fulfillment center",
            "effect_status": "ENABLED",
            "type": "SALES_WAREHOUSE",
            "sub_type": "DOMESTIC_WAREHOUSE",
            "is_default": True,
            "address": address,
        },
        {
            "id": RETURN_WAREHOUSE_ID,
            "name": "Portland returns",
            "effect_status": "ENABLED",
            "type": "RETURN_WAREHOUSE",
            "sub_type": "DOMESTIC_WAREHOUSE",
            "is_default": False,
            "address": address,
        },
    ]


def _delivery_options() -> dict[str, list[dict[str, Any]]]:
    kinds = {STANDARD: "STANDARD", EXPRESS: "EXPRESS", NEXT_DAY: "EXPRESS", ECONOMY: "ECONOMY"}
    return {
        WAREHOUSE_ID: [
            {"id": option_id, "name": name, "type": kinds[name], "platform": ["TIKTOK_SHOP"]}
            for name, option_id in DELIVERY_OPTION_IDS.items()
        ]
    }


def _providers() -> dict[str, list[dict[str, str]]]:
    carriers = [{"id": provider_id, "name": name} for name, provider_id in PROVIDERS.items()]
    return {option_id: carriers for option_id in DELIVERY_OPTION_IDS.values()}


def _stock(product: DemoProduct | None) -> int:
    return 40 if product is None else product.stock + STALE_STOCK_OFFSET


def _products(world: DemoWorld, ids: ListingIds) -> list[dict[str, Any]]:
    by_sku = world.catalog.by_sku()
    products: dict[str, dict[str, Any]] = {}
    for seller_sku, (product_id, sku_id) in ids.by_seller_sku.items():
        product = by_sku.get(seller_sku) or _near_miss_product(world.catalog, seller_sku)
        entry = products.setdefault(
            product_id,
            {
                "id": product_id,
                "title": ids.titles[product_id],
                "status": "ACTIVATE",
                "create_time": world.start - 90 * 86_400,
                "update_time": world.start - 30 * 86_400,
                "skus": [],
            },
        )
        entry["skus"].append(
            {
                "id": sku_id,
                "seller_sku": seller_sku,
                "price": {
                    "currency": "USD",
                    "tax_exclusive_price": str(product.price if product else Decimal("3.99")),
                },
                "inventory": [{"warehouse_id": WAREHOUSE_ID, "quantity": _stock(product)}],
            }
        )
    return list(products.values())


def _near_miss_product(catalog: Catalog, seller_sku: str) -> DemoProduct | None:
    wanted = seller_sku.strip().lower()
    return next((p for p in catalog.products if p.sku.lower() == wanted), None)


def shop_seed(auth_code: str) -> dict[str, Any]:
    """The shop the seller authorises, with its logistics (``POST /_sandbox/seed`` after a reset)."""
    return {
        "settings": {"on_hold_seconds": 3600},
        "shops": [_shop()],
        "auth_codes": [auth_code],
        "warehouses": _warehouses(),
        "delivery_options": _delivery_options(),
        "shipping_providers": _providers(),
    }


def day_seed(world: DemoWorld) -> dict[str, Any]:
    """The seller's listings and the day's orders (merged into the shop by ``POST /_sandbox/seed``)."""
    ids = ListingIds(world)
    orders: list[PlannedOrder] = list(world.orders)
    return {
        "products": _products(world, ids),
        "orders": [order_document(order, ids.by_seller_sku, world.start) for order in orders],
    }
