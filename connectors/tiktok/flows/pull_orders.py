"""Pull TikTok orders incrementally by update_time into the store, and release ended holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.failures import Rechecks
from connectors.tiktok.flows.order_fields import order_fields, order_lines
from connectors.tiktok.schemas import Order, is_fulfilled_by_tiktok
from connectors.tiktok.settings import TikTokSettings
from store.models import Order as StoredOrder
from store.models import Product
from store.repositories import LineData, OrderRepository

PAGES_PER_RUN = 20


def pull_orders(ctx: FlowContext) -> FlowResult:
    """Read orders updated since the cursor (minus an overlap window); upserts make re-reads harmless.

    The cursor is ``{"update_time": T, "page_token": P}``: T only moves forward, and P lets a long
    backlog continue in the next run from where this one stopped.
    """
    settings = ctx.settings
    assert isinstance(settings, TikTokSettings)
    cursor: dict[str, Any] = dict(ctx.cursor or {})
    since = int(cursor.get("update_time") or 0)
    window_start = int(cursor.get("window_start") or max(0, since - settings.order_overlap_minutes * 60))
    page_token = cursor.get("page_token") or None
    newest = since
    check_skus = ctx.session.scalar(select(func.count(Product.id))) != 0
    rechecks = Rechecks(ctx, "order")
    try:
        for _ in range(PAGES_PER_RUN):
            page = ctx.client.search_orders({"update_time_ge": window_start}, page_token=page_token)
            for order in page.orders:
                newest = max(newest, order.update_time)
                _store(ctx, settings, order, check_skus, rechecks)
            page_token = page.next_page_token or None
            if page_token is None:
                break
    except TikTokError as error:
        raise FlowError(
            str(error),
            code=error.exception_code,
            retryable=error.retryable,
            fault={"error": type(error).__name__},
        ) from error
    released = release_holds(ctx)
    ctx.count("released_from_hold", released)
    if page_token is not None:  # backlog left: continue this window next run, at once
        return FlowResult(
            {
                "update_time": since,
                "window_start": window_start,
                "page_token": page_token,
                "seen_update_time": max(newest, int(cursor.get("seen_update_time") or 0)),
            },
            more=True,
        )
    newest = max(newest, int(cursor.get("seen_update_time") or 0))
    return FlowResult({"update_time": max(since, newest)})


def _store(
    ctx: FlowContext, settings: TikTokSettings, order: Order, check_skus: bool, rechecks: Rechecks
) -> None:
    if order.status == "ON_HOLD" and not settings.pull_on_hold_orders:
        return
    if is_fulfilled_by_tiktok(order) and not settings.pull_shipped_by_platform_orders:
        return
    lines = order_lines(order)
    fields = order_fields(order, settings, ctx.now)
    stored, created = OrderRepository(ctx.session).upsert(ctx.connection.id, order.id, fields, lines)
    ctx.count("orders_created" if created else "orders_updated")
    rechecks.checked(order.id)
    if check_skus:
        _check_skus(ctx, stored, lines)


def _check_skus(ctx: FlowContext, order: StoredOrder, lines: list[LineData]) -> None:
    """A TikTok SKU must equal a master SKU exactly; a near miss names the likely one."""
    for line in lines:
        if ctx.session.scalar(select(Product.id).where(Product.sku == line.sku)) is not None:
            continue
        near = ctx.session.scalar(
            select(Product.sku).where(func.lower(func.trim(Product.sku)) == line.sku.strip().lower())
        )
        hint = (
            f" The master catalog has '{near}', which differs only in case or spaces: change the seller SKU "
            f"on TikTok to '{near}' (TikTok has no channel SKU mapping)."
            if near
            else " No master product has it: add the product, or fix the seller SKU on TikTok."
        )
        ctx.exceptions.observe(
            code="sku.unmapped",
            category="ingestion",
            entity_type="order",
            entity_id=order.external_id,
            message=(
                f"Order {order.external_id} has seller SKU '{line.sku}', which matches no master SKU.{hint}"
            ),
            fault={"seller_sku": line.sku, "near_miss": near},
        )


def release_holds(ctx: FlowContext) -> int:
    """Orders whose hold window has ended become readyForFulfillment (TikTok sends no update)."""
    held = ctx.session.scalars(
        select(StoredOrder).where(
            StoredOrder.connection_id == ctx.connection.id,
            StoredOrder.status == "onHold",
            StoredOrder.channel_status == "AWAITING_SHIPMENT",
            StoredOrder.hold_until <= ctx.now,
        )
    ).all()
    for order in held:
        order.status = "readyForFulfillment"
    return len(held)
