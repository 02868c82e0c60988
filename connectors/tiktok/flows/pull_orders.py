"""Pull TikTok orders incrementally by update_time into the store, and release ended holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.order_fields import order_fields, order_lines
from connectors.tiktok.schemas import Order, is_fulfilled_by_tiktok
from connectors.tiktok.settings import TikTokSettings
from store.models import Order as StoredOrder
from store.models import Product
from store.repositories.orders import LineData, OrderData, OrderRepository

PAGES_PER_RUN = 20


def pull_orders(ctx: FlowContext) -> FlowResult:
    """Read orders updated since the cursor (minus an overlap window); upserts make re-reads harmless.

    The cursor is ``{"update_time": T, "page_token": P}``: T only moves forward, and P lets a long
    backlog continue in the next run from where this one stopped. Each page is written in a few
    statements (`OrderRepository.upsert_many`), so storing keeps up with TikTok's rate limit.
    """
    settings = ctx.settings
    assert isinstance(settings, TikTokSettings)
    cursor: dict[str, Any] = dict(ctx.cursor or {})
    since = int(cursor.get("update_time") or 0)
    window_start = int(cursor.get("window_start") or max(0, since - settings.order_overlap_minutes * 60))
    page_token = cursor.get("page_token") or None
    newest = since
    check_skus = ctx.session.scalar(select(func.count(Product.id))) != 0
    try:
        for _ in range(PAGES_PER_RUN):
            page = ctx.client.search_orders({"update_time_ge": window_start}, page_token=page_token)
            newest = max([newest, *(order.update_time for order in page.orders)])
            _store_page(ctx, settings, page.orders, check_skus)
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


def _store_page(ctx: FlowContext, settings: TikTokSettings, orders: list[Order], check_skus: bool) -> None:
    kept = [order for order in orders if _wanted(order, settings)]
    batch = [
        OrderData(order.id, order_fields(order, settings, ctx.now), order_lines(order)) for order in kept
    ]
    for result in OrderRepository(ctx.session).upsert_many(ctx.connection.id, batch):
        ctx.count("orders_created" if result.created else "orders_updated")
        ctx.exceptions.checked("order", result.external_id)
    if check_skus:
        _check_skus(ctx, batch)


def _wanted(order: Order, settings: TikTokSettings) -> bool:
    if order.status == "ON_HOLD" and not settings.pull_on_hold_orders:
        return False
    return settings.pull_shipped_by_platform_orders or not is_fulfilled_by_tiktok(order)


def _check_skus(ctx: FlowContext, orders: list[OrderData]) -> None:
    """A TikTok SKU must equal a master SKU exactly; a near miss names the likely one.

    Two queries per page: which SKUs exist exactly, and, for the others, which master SKUs equal
    them but for case and surrounding spaces.
    """
    skus = sorted({line.sku for order in orders for line in order.lines})
    if not skus:
        return
    known = set(ctx.session.scalars(select(Product.sku).where(Product.sku.in_(skus))))
    unknown = [sku for sku in skus if sku not in known]
    if not unknown:
        return
    near: dict[str, str] = {}
    folded = sorted({_folded(sku) for sku in unknown})
    for master in ctx.session.scalars(
        select(Product.sku).where(func.lower(func.trim(Product.sku)).in_(folded)).order_by(Product.sku)
    ):
        near.setdefault(_folded(master), master)
    for order in orders:
        for line in order.lines:
            if line.sku not in known:
                _report_unmapped(ctx, order.external_id, line, near.get(_folded(line.sku)))


def _folded(sku: str) -> str:
    return sku.strip().lower()


def _report_unmapped(ctx: FlowContext, external_id: str, line: LineData, near: str | None) -> None:
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
        entity_id=external_id,
        message=f"Order {external_id} has seller SKU '{line.sku}', which matches no master SKU.{hint}",
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
