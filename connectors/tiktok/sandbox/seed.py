"""Seed data in TikTok's wire format: loading, a small default world, and bulk order generation.

The seed format is documented in ``connectors/tiktok/README.md``.
"""

from __future__ import annotations

import random
from typing import Any

from connectors.tiktok.sandbox.state import SandboxState

DEFAULT_SHOP_ID = "7495540735365777507"
DEFAULT_CIPHER = "ROW_sandboxCipherAAAAeVAQra0eZWebFQq5aIK"
DEFAULT_WAREHOUSE = "7068517275539719942"
DEFAULT_DELIVERY_OPTION = "7091146663229654789"
DEFAULT_AUTH_CODE = "SANDBOX_AUTH_CODE"
_LIST_KEYS = ("cancellations", "returns", "statements")
_SETTINGS = ("on_hold_seconds", "access_ttl", "refresh_ttl")


def apply_seed(state: SandboxState, seed: dict[str, Any]) -> dict[str, int]:
    """Merge a seed document into the state; returns how many records of each kind were loaded."""
    loaded: dict[str, int] = {}
    with state.lock:
        for name in _SETTINGS:
            if name in seed.get("settings", {}):
                setattr(state, name, int(seed["settings"][name]))
        for shop in seed.get("shops", []):
            state.shops[str(shop["id"])] = {**shop, "id": str(shop["id"])}
        state.auth_codes.update(seed.get("auth_codes", []))
        for warehouse in seed.get("warehouses", []):
            state.warehouses = [w for w in state.warehouses if w["id"] != str(warehouse["id"])]
            state.warehouses.append({**warehouse, "id": str(warehouse["id"])})
        for warehouse_id, options in seed.get("delivery_options", {}).items():
            state.delivery_options[str(warehouse_id)] = [{**o, "id": str(o["id"])} for o in options]
        for option_id, providers in seed.get("shipping_providers", {}).items():
            state.shipping_providers[str(option_id)] = [{**p, "id": str(p["id"])} for p in providers]
        for product in seed.get("products", []):
            state.put_product(product)
        for order in seed.get("orders", []):
            state.put_order(order)
        for key in _LIST_KEYS:
            getattr(state, key).extend(seed.get(key, []))
        for key in ("shops", "warehouses", "products", "orders", *_LIST_KEYS):
            loaded[key] = len(seed.get(key, []))
    return loaded


def default_seed() -> dict[str, Any]:
    """One US shop, a sales and a return warehouse, one delivery option, three carriers, two products."""
    return {
        "shops": [
            {
                "id": DEFAULT_SHOP_ID,
                "name": "Sandbox Shop",
                "region": "US",
                "seller_type": "LOCAL",
                "cipher": DEFAULT_CIPHER,
                "code": "USLCSANDBOX",
            }
        ],
        "auth_codes": [DEFAULT_AUTH_CODE],
        "warehouses": [
            {
                "id": DEFAULT_WAREHOUSE,
                "name": "Main warehouse",
                "effect_status": "ENABLED",
                "type": "SALES_WAREHOUSE",
                "sub_type": "DOMESTIC_WAREHOUSE",
                "is_default": True,
                "address": {
                    "region_code": "US",
                    "state": "CA",
                    "city": "Los Angeles",
                    "postal_code": "90001",
                    "full_address": "1 Sandbox Way, Los Angeles, CA 90001",
                    "contact_person": "Ops",
                },
            },
            {
                "id": "7068517275539719943",
                "name": "Returns",
                "effect_status": "ENABLED",
                "type": "RETURN_WAREHOUSE",
                "sub_type": "DOMESTIC_WAREHOUSE",
                "is_default": False,
            },
        ],
        "delivery_options": {
            DEFAULT_WAREHOUSE: [
                {
                    "id": DEFAULT_DELIVERY_OPTION,
                    "name": "Standard Shipping",
                    "type": "STANDARD",
                    "description": "3-5 business days",
                    "platform": ["TIKTOK_SHOP"],
                }
            ]
        },
        "shipping_providers": {
            DEFAULT_DELIVERY_OPTION: [
                {"id": "6617675021119438849", "name": "USPS"},
                {"id": "6617675021119438850", "name": "UPS"},
                {"id": "6617675021119438851", "name": "FedEx"},
            ]
        },
        "products": [
            {
                "id": "1729582718312380123",
                "title": "Linen shirt",
                "status": "ACTIVATE",
                "skus": [
                    {
                        "id": "1729582718312446001",
                        "seller_sku": "SHIRT-M",
                        "inventory": [{"warehouse_id": DEFAULT_WAREHOUSE, "quantity": 10}],
                    },
                    {
                        "id": "1729582718312446002",
                        "seller_sku": "SHIRT-L",
                        "inventory": [{"warehouse_id": DEFAULT_WAREHOUSE, "quantity": 4}],
                    },
                ],
            },
            {
                "id": "1729582718312380124",
                "title": "Canvas tote",
                "status": "ACTIVATE",
                "skus": [
                    {
                        "id": "1729582718312446003",
                        "seller_sku": "TOTE",
                        "inventory": [{"warehouse_id": DEFAULT_WAREHOUSE, "quantity": 25}],
                    }
                ],
            },
        ],
    }


_CATALOG = [
    ("1729582718312380123", "1729582718312446001", "SHIRT-M", "Linen shirt", "24.50"),
    ("1729582718312380123", "1729582718312446002", "SHIRT-L", "Linen shirt", "24.50"),
    ("1729582718312380124", "1729582718312446003", "TOTE", "Canvas tote", "12.00"),
]


def make_order(
    order_id: str,
    *,
    status: str,
    create_time: int,
    units: list[int],
    rng: random.Random | None = None,
    fulfillment_type: str = "FULFILLMENT_BY_SELLER",
) -> dict[str, Any]:
    """A wire-format order with one line item per unit; ``units[i]`` units of catalog SKU ``i``."""
    lines = []
    total = 0.0
    for index, count in enumerate(units):
        product_id, sku_id, seller_sku, name, price = _CATALOG[index % len(_CATALOG)]
        for unit in range(count):
            lines.append(
                {
                    "id": f"{order_id}{index:02d}{unit:03d}",
                    "product_id": product_id,
                    "product_name": name,
                    "sku_id": sku_id,
                    "seller_sku": seller_sku,
                    "sku_name": seller_sku,
                    "original_price": price,
                    "sale_price": price,
                    "currency": "USD",
                    "display_status": status,
                    "is_gift": False,
                }
            )
            total += float(price)
    paid = None if status == "UNPAID" else create_time + 30
    return {
        "id": order_id,
        "status": status,
        "create_time": create_time,
        "update_time": paid or create_time,
        "paid_time": paid,
        "is_on_hold_order": status == "ON_HOLD",
        "fulfillment_type": fulfillment_type,
        "shipping_type": "SELLER",
        "delivery_option_id": DEFAULT_DELIVERY_OPTION,
        "delivery_option_name": "Standard Shipping",
        "warehouse_id": DEFAULT_WAREHOUSE,
        "user_id": f"76{(rng or random.Random(order_id)).getrandbits(40):013d}",
        "payment_method_name": "Credit card",
        "payment": {
            "currency": "USD",
            "sub_total": f"{total:.2f}",
            "shipping_fee": "0.00",
            "total_amount": f"{total:.2f}",
            "tax": "0.00",
        },
        "recipient_address": {
            "name": "Sandbox Buyer",
            "phone_number": "(+1)555-0100",
            "full_address": "2 Buyer St, Austin, TX 73301",
            "address_line1": "2 Buyer St",
            "postal_code": "73301",
            "region_code": "US",
        },
        "line_items": lines,
        "packages": [],
    }


def generate_orders(
    state: SandboxState, count: int, *, start_time: int, seed: int = 0, status: str = "AWAITING_SHIPMENT"
) -> list[str]:
    """Add ``count`` orders created one second apart from ``start_time``; returns their ids."""
    rng = random.Random(seed)
    ids = []
    for n in range(count):
        order_id = str(576_000_000_000_000_000 + seed * 10_000_000 + n)
        units = [rng.randint(0, 2) for _ in _CATALOG]
        if not any(units):
            units[0] = 1
        state.put_order(make_order(order_id, status=status, create_time=start_time + n, units=units, rng=rng))
        ids.append(order_id)
    return ids
