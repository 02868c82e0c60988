"""Pull shipments from SFCC: each shipped shipment becomes a Fulfillment waiting for TikTok."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from connectors.engine.registry import FlowContext, FlowResult
from connectors.sfcc.flows.routed_orders import order_for_sfcc_number
from connectors.sfcc.flows.sku_map import master_skus_by_sfcc_sku, to_master
from connectors.sfcc.pulls import iter_shipped_orders, tracking_of
from connectors.sfcc.settings import SfccSettings
from store.models import Fulfillment, Order, OrderLine
from store.repositories import FulfillmentRepository

PAGE_SIZE = 200


def pull_fulfillments(ctx: FlowContext) -> FlowResult:
    """Orders shipped or part shipped in SFCC since the cursor -> Fulfillment rows (pending push)."""
    settings = ctx.settings
    assert isinstance(settings, SfccSettings)
    since = _parse(ctx.cursor)
    newest = since
    fulfillments = FulfillmentRepository(ctx.session)
    for sfcc_order in iter_shipped_orders(ctx.client, since, PAGE_SIZE):
        modified = sfcc_order.last_modified
        if modified is not None and (newest is None or modified > newest):
            newest = modified
        order = order_for_sfcc_number(ctx.session, ctx.connection.id, sfcc_order.order_no)
        if order is None:
            continue  # not an order we pushed (another channel's): none of our business
        for tracking in tracking_of(sfcc_order, settings.carrier_attribute):
            key = shipment_key(sfcc_order.order_no, tracking.shipment_id)
            if fulfillments.get_by_external_id(ctx.connection.id, key) is not None:
                continue
            ctx.session.add(
                Fulfillment(
                    order_id=order.id,
                    source_connection_id=ctx.connection.id,
                    external_id=key,
                    carrier=tracking.carrier,
                    tracking_number=tracking.tracking_number,
                    lines=_lines(ctx, order, tracking.items),
                    shipped_at=modified or ctx.now,
                    push_state="pending",
                )
            )
            ctx.session.flush()
            ctx.count("fulfillments")
    return FlowResult(cursor=newest.isoformat() if newest else ctx.cursor)


def shipment_key(order_no: str, shipment_id: str) -> str:
    """The fulfillment's external id: SFCC shipment ids are unique only within their order (the
    default shipment of every order is ``me``), so the order number is part of the key."""
    return f"{order_no}/{shipment_id}"


def _lines(ctx: FlowContext, order: Order, items: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Shipped quantities by master SKU, with the channel line ids they cover.

    TikTok ships by line id (one per unit), so a partial shipment takes ids that no earlier
    shipment of the order has taken.
    """
    sku_map = master_skus_by_sfcc_sku(ctx.session, ctx.connection.id)
    lines = ctx.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
    by_sku = {line.sku: line for line in lines}
    taken = {
        line_id
        for earlier in FulfillmentRepository(ctx.session).for_order(order.id)
        for shipped in earlier.lines
        for line_id in shipped.get("line_ids", [])
    }
    result = []
    for sfcc_sku, quantity in items:
        sku = to_master(sku_map, sfcc_sku)
        line = by_sku.get(sku)
        count = int(quantity)
        free = [i for i in (line.external_line_ids if line is not None else []) if i not in taken]
        result.append({"sku": sku, "quantity": count, "line_ids": free[:count]})
        taken.update(free[:count])
    return result


def _parse(cursor: object) -> datetime | None:
    return datetime.fromisoformat(cursor) if isinstance(cursor, str) else None
