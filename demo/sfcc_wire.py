"""The demo world as an SFCC instance: the sandbox seed of OCAPI documents.

Products (masters, variants, items), the site's inventory list and a second store's, shipping and
payment methods, the generic customer that receives TikTok orders, and the API clients the demo's
connection uses. Credentials are passed in: the demo makes fresh ones on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demo.catalog import DemoMaster, DemoProduct
from demo.categories import Category
from demo.images import SHADES, image_path
from demo.world import DemoWorld

ORGANIZATION_ID = "f_ecom_jnpr_dev"
SHORT_CODE = "jnpr0dev"
SITE_ID = "JuniperPine"
SITE_LIST = "inventory_JuniperPine"
STORE_LIST = "inventory_store_portland"
GENERIC_CUSTOMER = "00000001"
OCAPI_CLIENT = "5c7a1e44-0d3f-4b8e-9a61-2f0c3d9e7b10"
B2C_API_CLIENT = "8d2b6f90-41a7-4c3e-b5d8-7e9f0a1b2c3d"
SLAS_CLIENT = "slas-jnpr-tiktok-orders"
BM_USER = "integration@juniperpine.example"
SHIPPING_METHODS = (("001", "Ground", 5.99), ("002", "2-Day Express", 9.99), ("003", "Overnight", 19.99))
PAYMENT_METHODS = (
    ("TTS", "TikTok Shop"),
    ("CREDIT_CARD", "Credit Card"),
    ("GIFT_CERTIFICATE", "Gift Certificate"),
)
LAST_MODIFIED = "2025-11-01T08:00:00.000Z"
ALL_METHODS = ["get", "post", "put", "patch", "delete"]


@dataclass(frozen=True)
class SfccCredentials:
    """Secrets of the demo's SFCC API clients and Business Manager user (never written to TOML)."""

    ocapi_client_secret: str
    b2c_api_client_secret: str
    slas_client_secret: str
    bm_password: str
    bm_access_key: str


def _ocapi_settings() -> dict[str, Any]:
    shop = [
        {
            "resource_id": "/baskets/**",
            "methods": ALL_METHODS,
            "read_attributes": "(**)",
            "write_attributes": "(**)",
        },
        {"resource_id": "/orders/**", "methods": ["get", "post", "put", "patch"], "read_attributes": "(**)"},
        {"resource_id": "/order_search", "methods": ["post"], "read_attributes": "(**)"},
    ]
    data = [
        {"resource_id": "/inventory_lists", "methods": ["get"]},
        {"resource_id": "/inventory_lists/**", "methods": ["get", "put", "patch"]},
        {"resource_id": "/product_search", "methods": ["post"]},
        {"resource_id": "/products/**", "methods": ["get"]},
        {"resource_id": "/catalogs/**", "methods": ["get", "post"]},
        {"resource_id": "/sites/*/orders/**", "methods": ["put", "patch"]},
        {"resource_id": "/customer_lists/**", "methods": ["get", "post"]},
    ]
    return {
        "shop": {"_v": "25.6", "clients": [{"client_id": OCAPI_CLIENT, "resources": shop}]},
        "data": {"_v": "25.6", "clients": [{"client_id": OCAPI_CLIENT, "resources": data}]},
    }


def _localized(text: str) -> dict[str, str]:
    return {"default": text}


def _shade(sku: str) -> int:
    return sum(sku.encode()) % SHADES


def _common(sku: str, title: str, description: str, category: Category, image_base: str) -> dict[str, Any]:
    return {
        "_type": "product",
        "id": sku,
        "name": _localized(title),
        "short_description": _localized(title),
        "long_description": _localized(description),
        "page_description": _localized(description),
        "brand": "Juniper & Pine",
        "manufacturer_name": "Juniper & Pine Goods Co.",
        "primary_category_id": category.sfcc_category_id,
        "searchable": {"default": True},
        "currency": "USD",
        "last_modified": LAST_MODIFIED,
        "creation_date": "2025-06-01T08:00:00.000Z",
        "image_groups": [
            {
                "view_type": "large",
                "images": [{"link": f"{image_base}/{image_path(category, _shade(sku))}", "title": title}],
            }
        ],
    }


def product_document(product: DemoProduct, image_base: str) -> dict[str, Any]:
    """A sellable product (item or variant) as OCAPI's Data API returns it."""
    length, width, height = product.size_in
    document = _common(product.sku, product.title, product.description, product.category, image_base)
    document |= {
        "online_flag": {"default": product.unorderable != "offline"},
        "type": {"variant": True} if product.master_sku else {"item": True},
        "price": float(product.price),
        "ean": product.ean,
        "manufacturer_sku": product.sku,
        "c_tiktokCategoryId": product.category.tiktok_id,
        "c_weight": float(product.weight_lb),
        "c_weightUnit": "lb",
        "c_length": length,
        "c_width": width,
        "c_height": height,
        "c_dimensionUnit": "in",
    }
    if product.master_sku:
        document["master"] = {"master_id": product.master_sku}
        document["variation_values"] = dict(product.variation)
    specs = {spec.name: spec.sfcc_field for spec in product.category.required}
    for name, value in product.attributes.items():
        document[specs[name]] = value
    return document


def master_document(master: DemoMaster, variants: list[DemoProduct], image_base: str) -> dict[str, Any]:
    """A master product with its variants and variation attributes."""
    document = _common(master.sku, master.title, master.description, master.category, image_base)
    colors = sorted({v.variation["color"] for v in variants})
    sizes = [s for s in ("S", "M", "L") if any(v.variation["size"] == s for v in variants)]
    document |= {
        "online_flag": {"default": True},
        "type": {"master": True},
        "c_tiktokCategoryId": master.category.tiktok_id,
        "variation_attributes": [
            {
                "id": "color",
                "name": _localized("Color"),
                "values": [{"value": c, "name": _localized(c)} for c in colors],
            },
            {
                "id": "size",
                "name": _localized("Size"),
                "values": [{"value": s, "name": _localized(s)} for s in sizes],
            },
        ],
        "variants": [
            {"_type": "variant", "product_id": v.sku, "variation_values": dict(v.variation)} for v in variants
        ],
    }
    # The product attributes every variant shares are kept on the master, as merchandisers do.
    shared = dict(variants[0].attributes) if variants else {}
    for spec in master.category.required:
        if spec.name in shared and all(v.attributes.get(spec.name) == shared[spec.name] for v in variants):
            document[spec.sfcc_field] = shared[spec.name]
    return document


def _inventory_records(world: DemoWorld) -> list[dict[str, Any]]:
    records = []
    for index, product in enumerate(world.catalog.products):
        records.append(_record(SITE_LIST, product.sku, product.stock))
        if index % 3 == 0:  # the Portland store keeps a few units of every third product
            records.append(_record(STORE_LIST, product.sku, 3 + index % 5))
    return records


def _record(list_id: str, sku: str, amount: int) -> dict[str, Any]:
    return {
        "inventory_list_id": list_id,
        "product_id": sku,
        "allocation": {"amount": amount, "reset_date": LAST_MODIFIED},
        "ats": amount,
        "stock_level": amount,
        "perpetual_flag": False,
        "last_modified": LAST_MODIFIED,
    }


def sfcc_seed(world: DemoWorld, credentials: SfccCredentials, image_base: str) -> dict[str, Any]:
    """The seed document (``POST /_sandbox/seed``) of the demo's SFCC instance."""
    by_sku = world.catalog.by_sku()
    masters = [
        master_document(master, [by_sku[sku] for sku in master.variant_skus], image_base)
        for master in world.catalog.masters
    ]
    return {
        "organization_id": ORGANIZATION_ID,
        "short_code": SHORT_CODE,
        "site": {
            "_type": "site",
            "id": SITE_ID,
            "name": "Juniper & Pine",
            "status": "online",
            "default_currency": "USD",
            "allowed_currencies": ["USD"],
            "timezone": "America/Los_Angeles",
        },
        "api_clients": [
            {"client_id": OCAPI_CLIENT, "client_secret": credentials.ocapi_client_secret, "scopes": []},
            {
                "client_id": B2C_API_CLIENT,
                "client_secret": credentials.b2c_api_client_secret,
                "scopes": [
                    "sfcc.orders.rw",
                    "sfcc.products.rw",
                    "sfcc.catalogs.rw",
                    "sfcc.inventory.availability.rw",
                ],
            },
            {
                "client_id": SLAS_CLIENT,
                "client_secret": credentials.slas_client_secret,
                "kind": "slas_private",
                "scopes": ["sfcc.shopper-baskets-orders.rw", "sfcc.ts_ext_on_behalf_of", "sfcc.orders.rw"],
            },
        ],
        "business_manager_users": [
            {"login": BM_USER, "password": credentials.bm_password, "access_key": credentials.bm_access_key}
        ],
        "ocapi_settings": _ocapi_settings(),
        "products": masters + [product_document(product, image_base) for product in world.catalog.products],
        "inventory_lists": [
            {
                "_type": "inventory_list",
                "id": SITE_LIST,
                "description": "Juniper & Pine web store",
                "assigned_sites": [{"id": SITE_ID}],
                "default_in_stock": False,
            },
            {
                "_type": "inventory_list",
                "id": STORE_LIST,
                "description": "Portland flagship store",
                "assigned_sites": [],
                "default_in_stock": False,
            },
        ],
        "product_inventory_records": _inventory_records(world),
        "customers": [
            {
                "_type": "customer",
                "customer_no": GENERIC_CUSTOMER,
                "login": "tiktok-orders@juniperpine.example",
                "email": "tiktok-orders@juniperpine.example",
                "first_name": "TikTok",
                "last_name": "Shop Orders",
            }
        ],
        "shipping_methods": [
            {"_type": "shipping_method", "id": method_id, "name": name, "price": price}
            for method_id, name, price in SHIPPING_METHODS
        ],
        "payment_methods": [
            {"_type": "payment_method", "id": method_id, "name": name, "payment_processor_id": "BASIC_CREDIT"}
            for method_id, name in PAYMENT_METHODS
        ],
    }
