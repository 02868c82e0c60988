"""Pull shipping requests from SFCC: each shipment of an order we pushed, and where it stands.

Every order changed since the cursor is read, whatever its status, so a request closes when its
shipment ships or its order is cancelled, not only when it opens. Orders other channels placed in
SFCC are none of our business and are skipped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.engine.registry import FlowContext, FlowResult
from connectors.sfcc.flows.pull_fulfillments import shipment_key
from connectors.sfcc.flows.routed_orders import order_for_sfcc_number
from connectors.sfcc.flows.sku_map import master_skus_by_sfcc_sku, to_master
from connectors.sfcc.pulls import iter_changed_orders
from connectors.sfcc.schemas import Order as SfccOrder
from connectors.sfcc.schemas import OrderShipment
from store.repositories.shipping_requests import ShippingRequestRepository

PAGE_SIZE = 200
CLOSED_ORDER_STATUSES = ("cancelled", "failed")


def pull_shipping_requests(ctx: FlowContext) -> FlowResult:
    """Orders changed in SFCC since the cursor -> one ShippingRequest per shipment (upserted)."""
    since = datetime.fromisoformat(ctx.cursor) if isinstance(ctx.cursor, str) else None
    newest = since
    requests = ShippingRequestRepository(ctx.session)
    sku_map = master_skus_by_sfcc_sku(ctx.session, ctx.connection.id)
    for sfcc_order in iter_changed_orders(ctx.client, since, PAGE_SIZE):
        modified = sfcc_order.last_modified
        if modified is not None and (newest is None or modified > newest):
            newest = modified
        order = order_for_sfcc_number(ctx.session, ctx.connection.id, sfcc_order.order_no)
        if order is None:
            continue
        for shipment in sfcc_order.shipments:
            fields = {
                "order_id": order.id,
                "status": request_status(sfcc_order, shipment),
                "lines": _lines(sfcc_order, shipment, sku_map),
                "raw": _raw(sfcc_order, shipment),
            }
            external_id = shipment_key(sfcc_order.order_no, shipment.shipment_id)
            existed = requests.get_by_external_id(ctx.connection.id, external_id) is not None
            _, changed = requests.upsert(ctx.connection.id, external_id, fields)
            if changed:
                ctx.count("updated" if existed else "opened")
    return FlowResult(cursor=newest.isoformat() if newest else ctx.cursor)


def request_status(order: SfccOrder, shipment: OrderShipment) -> str:
    """open (waiting to ship), shipped, or canceled."""
    if order.status in CLOSED_ORDER_STATUSES:
        return "canceled"
    status = shipment.shipping_status or order.shipping_status or "not_shipped"
    return "shipped" if status == "shipped" else "open"


def _lines(order: SfccOrder, shipment: OrderShipment, sku_map: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "sku": to_master(sku_map, item.product_id),
            "sfcc_sku": item.product_id,
            "quantity": int(item.quantity),
        }
        for item in order.product_items
        if item.shipment_id in (None, shipment.shipment_id)
    ]


def _raw(order: SfccOrder, shipment: OrderShipment) -> dict[str, Any]:
    """The shipment as SFCC sent it, with the order fields that say where it stands."""
    return {
        "order_no": order.order_no,
        "status": order.status,
        "shipping_status": order.shipping_status,
        "last_modified": order.last_modified.isoformat() if order.last_modified else None,
        "shipment": shipment.model_dump(mode="json"),
    }
