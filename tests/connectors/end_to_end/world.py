"""The world both sandboxes share in the end-to-end tests, and small helpers to drive and read it.

TikTok's default sandbox shop lists SHIRT-M, SHIRT-L and TOTE. The SFCC site sells the same goods,
the tote under its own SKU (TOTE-CANVAS, a channel SKU mapping), and keeps the master catalog:
phone cases that the catalog flows list on TikTok, one of them lacking required attributes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.engine.runner import RunReport
from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.app import default_seed
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import make_order
from store.models import ExceptionRecord

APP_KEY, APP_SECRET = "e2e_app_key", "e2e_app_secret_not_real"
START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
INVENTORY_LIST = "inventory_RefArch"
#: The default sandbox delivery option's shipping providers (connectors/tiktok/sandbox/seed.py).
PROVIDERS = {"USPS": "6617675021119438849", "UPS": "6617675021119438850", "FedEx": "6617675021119438851"}
#: SFCC products behind the TikTok listings, with their SFCC price and stock.
ORDER_GOODS = {"SHIRT-M": ("24.50", 20), "SHIRT-L": ("24.50", 20), "TOTE-CANVAS": ("12.00", 20)}
PHONE_CASES = "phone-cases"  # the SFCC category, mapped to TikTok's Phone Cases leaf (601770)
CATEGORY_MAP = {PHONE_CASES: "601770"}
RUGGED = "CASE-RUGGED-15P"
RUGGED_COLOURS = {"CASE-RUGGED-15P-BLACK": "Black", "CASE-RUGGED-15P-GREEN": "Green"}
CATALOG_STOCK = {
    "CASE-CLEAR-15": 40,
    "CASE-WALLET-14": 15,
    "CASE-RUGGED-15P-BLACK": 25,
    "CASE-RUGGED-15P-GREEN": 6,
}


def _case(sku: str, title: str, description: str, image_host: str, **custom: Any) -> dict[str, Any]:
    """A phone case as OCAPI's Data API returns a product: package facts in c_* attributes."""
    return {
        "_type": "product",
        "id": sku,
        "name": {"default": title},
        "long_description": {"default": description},
        "online_flag": {"default": True},
        "type": {"item": True},
        "primary_category_id": PHONE_CASES,
        "price": Decimal("19.99"),
        "currency": "USD",
        "image_groups": [
            {"view_type": "large", "images": [{"link": f"{image_host}/images/{sku}-1000x1000.png"}]}
        ],
        "c_weight": 0.12,
        "c_weightUnit": "kg",
        "c_length": 17,
        "c_width": 9,
        "c_height": 2,
        "c_dimensionUnit": "cm",
        "last_modified": "2026-11-01T08:00:00.000Z",
        **custom,
    }


def catalog_products(image_host: str) -> list[dict[str, Any]]:
    """The master catalog on the SFCC site: two complete cases, and a master in two colours that
    lacks its case type and material (its text says both, so the offline attribute fill can
    propose them)."""
    rugged = _case(
        RUGGED,
        "Rugged Shockproof Case for iPhone 15 Pro",
        "Heavy-duty rugged case with a polycarbonate shell and raised edges.",
        image_host,
        type={"master": True},
        c_compatiblePhoneModels="iPhone 15 Pro",
        variation_attributes=[
            {"id": "color", "name": {"default": "Color"}, "values": [{"value": c} for c in RUGGED_COLOURS]}
        ],
        variants=[
            {"_type": "variant", "product_id": sku, "variation_values": {"color": colour}}
            for sku, colour in RUGGED_COLOURS.items()
        ],
    )
    del rugged["price"]
    variants = [
        _case(
            sku,
            f"Rugged Shockproof Case for iPhone 15 Pro, {colour}",
            "Heavy-duty rugged case.",
            image_host,
            type={"variant": True},
            master={"master_id": RUGGED},
            variation_values={"color": colour},
        )
        for sku, colour in RUGGED_COLOURS.items()
    ]
    return [
        _case(
            "CASE-CLEAR-15",
            "Crystal Clear Case for iPhone 15",
            "A thin transparent TPU case that shows off the phone's colour.",
            image_host,
            c_compatiblePhoneModels="iPhone 15",
            c_material="TPU",
            c_caseType="Clear",
        ),
        _case(
            "CASE-WALLET-14",
            "Leather Wallet Case for iPhone 14",
            "Genuine leather folio with three card slots.",
            image_host,
            c_compatiblePhoneModels="iPhone 14",
            c_material="Leather",
            c_caseType="Wallet",
        ),
        rugged,
        *variants,
    ]


def sfcc_seed(image_host: str) -> dict[str, Any]:
    """The shipped SFCC seed with its sample catalog replaced by this world's goods and stock."""
    seed = copy.deepcopy(default_seed())
    seed["products"] = [
        {
            "id": sku,
            "name": {"default": sku},
            "type": {"item": True},
            "price": Decimal(price),
            "currency": "USD",
        }
        for sku, (price, _) in ORDER_GOODS.items()
    ] + catalog_products(image_host)
    stock = {sku: amount for sku, (_, amount) in ORDER_GOODS.items()} | CATALOG_STOCK
    seed["product_inventory_records"] = [
        {"inventory_list_id": INVENTORY_LIST, "product_id": sku, "allocation": {"amount": n}, "ats": n}
        for sku, n in stock.items()
    ]
    return seed


def tiktok_order(
    order_id: str, *, status: str, create_time: int, units: list[int], state: str = "Arizona", **fields: Any
) -> dict[str, Any]:
    """A wire-format TikTok order whose address names its state in words, as TikTok does."""
    order = make_order(order_id, status=status, create_time=create_time, units=units, **fields)
    order["recipient_address"]["district_info"] = [
        {"address_level": "L0", "address_level_name": "Country", "address_name": "United States"},
        {"address_level": "L1", "address_level_name": "State", "address_name": state},
        {"address_level": "L3", "address_level_name": "City", "address_name": "Phoenix"},
    ]
    return order


def run(app: DaemonApp, key: str, *, outcomes: Iterable[str] = ("success",)) -> dict[str, int]:
    """Run one flow (``connection:flow``) now through the daemon; returns its counts."""
    (report,) = app.daemon.run_once(app.registry.select(key), force=True)
    assert report.outcome in tuple(outcomes), (report.outcome, report.error, report.counts)
    return dict(report.counts)


def run_all(app: DaemonApp) -> list[RunReport]:
    """Every enabled flow of every connection once, in the daemon's order; none may fail."""
    reports = app.daemon.run_once(force=True)
    failed = [(r.flow_key, r.error) for r in reports if r.outcome not in ("success", "partial")]
    assert not failed, failed
    return reports


def sfcc_orders(url: str) -> dict[str, dict[str, Any]]:
    """Every order the SFCC sandbox holds, by order number."""
    data = jsonwire.loads(httpx.get(f"{url}/_sandbox/orders").content)["data"]
    return {order["order_no"]: order for order in data}


def ship_in_sfcc(url: str, order_no: str, tracking: str, carrier: str, **extra: Any) -> dict[str, Any]:
    """A warehouse ships (part of) an SFCC order; the carrier goes in the ``c_carrier`` attribute."""
    body = {"tracking_number": tracking, "c_carrier": carrier, **extra}
    response = httpx.post(f"{url}/_sandbox/orders/{order_no}/ship", content=jsonwire.dumps(body))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = jsonwire.loads(response.content)
    return result


def set_sfcc_stock(url: str, sku: str, amount: int) -> None:
    path = f"/_sandbox/inventory_lists/{INVENTORY_LIST}/product_inventory_records/{sku}"
    response = httpx.put(f"{url}{path}", json={"allocation": {"amount": amount}})
    assert response.status_code == 200, response.text


def tiktok_quantities(sandbox: Sandbox) -> dict[str, int]:
    """Seller SKU -> quantity at its warehouses, as the TikTok sandbox holds it."""
    with sandbox.state.lock:
        return {
            sku["seller_sku"]: sum(int(i["quantity"]) for i in sku["inventory"])
            for product in sandbox.state.products.values()
            if product.get("status") != "DELETED"
            for sku in product["skus"]
        }


def open_exceptions(app: DaemonApp) -> set[str]:
    """``entity:code`` of every open exception."""
    with app.session_factory() as session:
        rows = session.scalars(select(ExceptionRecord).where(ExceptionRecord.status == "open"))
        return {f"{row.entity_id}:{row.code}" for row in rows}
