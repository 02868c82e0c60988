"""Incremental reads from SFCC: catalog, inventory, shipping requests and shipped orders.

Each function yields parsed documents page by page through the client (retries included) and
leaves cursors to the caller's flow, which commits them with the records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from connectors.sfcc.client import SfccClient
from connectors.sfcc.pagination import OcapiStartCountPaginator, ScapiOffsetLimitPaginator
from connectors.sfcc.schemas import (
    InventoryList,
    Order,
    Product,
    ProductInventoryRecord,
    ShipmentTracking,
)

SHIPPED_STATUSES = ("shipped", "part_shipped")


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _walk_get(client: SfccClient, url: str, what: str, page_size: int) -> Iterator[Mapping[str, Any]]:
    pager = OcapiStartCountPaginator(count=page_size)
    while not pager.finished:
        page = client.request_json("GET", url, auth="ocapi", what=what, params=pager.params())
        yield from page.get("data") or []
        pager.advance(page)


def _walk_search(
    client: SfccClient, url: str, body: dict[str, Any], what: str, page_size: int
) -> Iterator[Mapping[str, Any]]:
    pager = OcapiStartCountPaginator(count=page_size)
    while not pager.finished:
        page = client.request_json("POST", url, auth="ocapi", what=what, json={**body, **pager.params()})
        for hit in page.get("hits") or []:
            yield hit.get("data", hit)
        pager.advance(page)


def iter_inventory_lists(client: SfccClient, page_size: int = 200) -> Iterator[InventoryList]:
    """Every inventory list of the organization (each becomes a location)."""
    url = client.data_url("/inventory_lists")
    for doc in _walk_get(client, url, "the inventory list pull", page_size):
        yield InventoryList.model_validate(doc)


def iter_inventory_records(
    client: SfccClient, inventory_list_id: str, page_size: int = 200
) -> Iterator[ProductInventoryRecord]:
    """Every product inventory record (ATS per SKU) of one list."""
    url = client.data_url(f"/inventory_lists/{inventory_list_id}/product_inventory_records")
    what = f"the inventory pull of list {inventory_list_id}"
    pager = OcapiStartCountPaginator(count=page_size)
    while not pager.finished:
        params = {**pager.params(), "select": "(**)"}
        page = client.request_json("GET", url, auth="ocapi", what=what, params=params)
        for doc in page.get("data") or []:
            yield ProductInventoryRecord.model_validate({"inventory_list_id": inventory_list_id, **doc})
        pager.advance(page)


def iter_products(
    client: SfccClient, modified_since: datetime | None = None, page_size: int = 200
) -> Iterator[Product]:
    """Products with their variants (Data `/product_search`), changed since the cursor if given."""
    query: dict[str, Any] = {"match_all_query": {}}
    if modified_since is not None:
        query = {
            "filtered_query": {
                "query": query,
                "filter": {"range_filter": {"field": "last_modified", "from": _iso(modified_since)}},
            }
        }
    body = {
        "query": query,
        "select": "(**)",
        "expand": ["variations"],
        "sorts": [{"field": "last_modified", "sort_order": "asc"}],
    }
    url = client.data_url("/product_search")
    for doc in _walk_search(client, url, body, "the product catalog pull", page_size):
        yield Product.model_validate(doc)


def _order_search(
    client: SfccClient, term: dict[str, Any] | None, since: datetime | None, what: str, page_size: int
) -> Iterator[Order]:
    query: dict[str, Any] = {"term_query": term} if term else {"match_all_query": {}}
    if since is not None:
        query = {
            "filtered_query": {
                "query": query,
                "filter": {"range_filter": {"field": "last_modified", "from": _iso(since)}},
            }
        }
    body = {
        "query": query,
        "select": "(**)",
        "sorts": [{"field": "last_modified", "sort_order": "asc"}],
    }
    for doc in _walk_search(client, client.shop_url("/order_search"), body, what, page_size):
        yield Order.model_validate(doc)


def iter_shipped_orders(
    client: SfccClient, modified_since: datetime | None, page_size: int = 200
) -> Iterator[Order]:
    """Orders whose shipping status is shipped or part shipped, modified since the cursor."""
    term = {"fields": ["shipping_status"], "operator": "one_of", "values": list(SHIPPED_STATUSES)}
    return _order_search(client, term, modified_since, "the fulfillment pull", page_size)


def iter_shipping_requests(
    client: SfccClient, modified_since: datetime | None, page_size: int = 200
) -> Iterator[Order]:
    """Orders waiting to be shipped (placed, not shipped), modified since the cursor."""
    term = {"fields": ["shipping_status"], "operator": "is", "values": ["not_shipped"]}
    for order in _order_search(client, term, modified_since, "the shipping request pull", page_size):
        if order.status in ("new", "open"):
            yield order


def iter_changed_orders(
    client: SfccClient, modified_since: datetime | None, page_size: int = 200
) -> Iterator[Order]:
    """Every order modified since the cursor, whatever its status, oldest change first."""
    return _order_search(client, None, modified_since, "the shipping request pull", page_size)


def iter_scapi_orders(
    client: SfccClient,
    *,
    shipping_status: str | None,
    modified_since: datetime | None,
    page_size: int = 200,
) -> Iterator[Mapping[str, Any]]:
    """SCAPI Admin `getOrders` (camelCase documents), oldest change first, offset/limit paged."""
    pager = ScapiOffsetLimitPaginator(limit=page_size)
    url = client.scapi_url("checkout/orders/v1", "/orders")
    base: dict[str, Any] = {
        "siteId": client.settings.site_id,
        "sortBy": "last_modified_date",
        "sortOrder": "asc",
    }
    if shipping_status:
        base["shippingStatus"] = shipping_status
    if modified_since is not None:
        base["lastModifiedDateFrom"] = _iso(modified_since)
    while not pager.finished:
        page = client.request_json(
            "GET", url, auth="scapi_admin", what="the SCAPI order pull", params={**base, **pager.params()}
        )
        yield from page.get("data") or []
        pager.advance(page)


def tracking_of(order: Order, carrier_attribute: str) -> list[ShipmentTracking]:
    """Tracking per shipped shipment; the carrier comes from a custom attribute (shipment first).

    SFCC has no standard carrier field, so the attribute name is a setting (e.g. `c_carrier`).
    """
    result: list[ShipmentTracking] = []
    order_carrier = order.custom(carrier_attribute)
    for shipment in order.shipments:
        status = shipment.shipping_status or order.shipping_status or "not_shipped"
        if status != "shipped":
            continue
        carrier = shipment.custom(carrier_attribute) or order_carrier
        items = [
            (item.product_id, Decimal(item.quantity))
            for item in order.product_items
            if item.shipment_id in (None, shipment.shipment_id)
        ]
        result.append(
            ShipmentTracking(
                order_no=order.order_no,
                shipment_id=shipment.shipment_id,
                shipping_status=status,
                tracking_number=shipment.tracking_number,
                carrier=str(carrier) if carrier is not None else None,
                items=items,
                last_modified=order.last_modified,
            )
        )
    return result
