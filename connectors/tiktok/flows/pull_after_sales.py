"""Pull TikTok cancellations, returns and their refunds into the store, by update_time.

Each cancellation or return request becomes a Return row (``kind`` says which) and, when money goes
back to the buyer, a Refund row keyed by the same request id. A cancellation that went through for
every line of a stored order marks the order ``canceled`` (channel status ``CANCELLED``), as the
order pull would on TikTok's next order update, so the SFCC push can cancel it there sooner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.failures import connection_failure
from connectors.tiktok.flows.incremental import Pass, begin_pass, end_pass, read_pages
from connectors.tiktok.schemas import Cancellation, RefundAmount, ReturnOrder
from connectors.tiktok.settings import TikTokSettings
from store.repositories import OrderRepository
from store.repositories.after_sales import RefundRepository, ReturnRepository

PAGES_PER_RUN = 20
# UNCERTAIN: the reference shows only the pending statuses; TikTok's request statuses end in
# _SUCCESS (approved) and _COMPLETE (money returned) in peers' code. A cancellation in either
# state has taken effect.
_DONE_SUFFIXES = ("_SUCCESS", "_COMPLETE")
_SHIPPED = ("fulfilled", "partialFulfillment")


def pull_after_sales(ctx: FlowContext) -> FlowResult:
    """Read cancellations and returns updated since the cursor (minus the overlap) into the store."""
    settings = ctx.settings
    assert isinstance(settings, TikTokSettings)
    cursor: dict[str, Any] = dict(ctx.cursor or {})
    now = int(ctx.now.timestamp())
    overlap = settings.after_sales_overlap_minutes * 60
    cancellations = begin_pass(cursor.get("cancellations"), now, overlap)
    returns = begin_pass(cursor.get("returns"), now, overlap)
    try:
        ctx.count(
            "cancellations",
            read_pages(
                cancellations,
                _fetch(cancellations, ctx.client.search_cancellations, "cancellations"),
                lambda record: _store_cancellation(ctx, record),
                PAGES_PER_RUN,
            ),
        )
        ctx.count(
            "returns",
            read_pages(
                returns,
                _fetch(returns, ctx.client.search_returns, "return_orders"),
                lambda record: _store_return(ctx, record),
                PAGES_PER_RUN,
            ),
        )
    except TikTokError as error:
        raise connection_failure(error, "Reading TikTok cancellations and returns failed") from error
    return FlowResult(
        {
            "cancellations": end_pass(cursor.get("cancellations"), cancellations),
            "returns": end_pass(cursor.get("returns"), returns),
        },
        more=not (cancellations.finished and returns.finished),
    )


def _fetch(
    read: Pass, search: Callable[..., Any], field: str
) -> Callable[[str | None], tuple[Sequence[Any], str]]:
    """A page fetcher for one search, bounded to the pass's ``[ge, lt)``."""
    filters = {"update_time_ge": read.ge, "update_time_lt": read.lt}

    def fetch(page_token: str | None) -> tuple[Sequence[Any], str]:
        page = search(filters, page_token=page_token)
        return getattr(page, field), page.next_page_token

    return fetch


def _store_cancellation(ctx: FlowContext, record: Cancellation) -> None:
    ctx.exceptions.checked("cancellation", record.cancel_id)
    if not _valid(ctx, "cancellation", record.cancel_id, record.order_id, record.refund_amount):
        return
    fields = _request_fields(
        record.order_id,
        "cancellation",
        record.cancel_status,
        record.refund_amount,
        record.cancel_reason_text or record.cancel_reason,
        record.model_dump(mode="json"),
        record.update_time,
    )
    ReturnRepository(ctx.session).upsert(ctx.connection.id, record.cancel_id, fields)
    _store_refund(ctx, record.cancel_id, record.order_id, record.cancel_status, record.refund_amount)
    if record.cancel_status.endswith(_DONE_SUFFIXES):
        _cancel_order(ctx, record)


def _store_return(ctx: FlowContext, record: ReturnOrder) -> None:
    ctx.exceptions.checked("return", record.return_id)
    if not _valid(ctx, "return", record.return_id, record.order_id, record.refund_amount):
        return
    fields = _request_fields(
        record.order_id,
        (record.return_type or "return").lower()[:30],
        record.return_status,
        record.refund_amount,
        record.return_reason_text or record.return_reason,
        record.model_dump(mode="json"),
        record.update_time,
    )
    ReturnRepository(ctx.session).upsert(ctx.connection.id, record.return_id, fields)
    _store_refund(ctx, record.return_id, record.order_id, record.return_status, record.refund_amount)


def _valid(ctx: FlowContext, kind: str, request_id: str, order_id: str, refund: RefundAmount | None) -> bool:
    """Refuse a record the store could not keep faithfully; the rest of the page moves on."""
    problem = None
    if not order_id:
        problem = "it names no order"
    elif refund is not None and refund.refund_total is not None:
        if refund.refund_total < 0:
            problem = f"its refund total {refund.refund_total} is negative"
        elif len(refund.currency) != 3:
            problem = f"its refund currency {refund.currency!r} is not a 3-letter code"
    if problem is None:
        return True
    ctx.exceptions.observe(
        code="tiktok.record_invalid",
        category="ingestion",
        entity_type=kind,
        entity_id=request_id,
        message=(
            f"TikTok {kind} {request_id} (order {order_id or 'unknown'}) was not stored: {problem}. "
            "Check it in TikTok Seller Center; it is read again once TikTok updates it."
        ),
        fault={"order_id": order_id, "refund_amount": refund.model_dump(mode="json") if refund else None},
    )
    ctx.count("invalid")
    return False


def _request_fields(
    order_id: str,
    kind: str,
    status: str,
    refund: RefundAmount | None,
    reason: str,
    raw: dict[str, Any],
    update_time: int,
) -> dict[str, Any]:
    return {
        "order_external_id": order_id,
        "kind": kind,
        "status": status or "UNKNOWN",
        "refund_amount": refund.refund_total if refund else None,
        "currency": (refund.currency or None) if refund else None,
        "reason": reason or None,
        "raw": raw,
        "channel_updated_at": datetime.fromtimestamp(update_time, UTC) if update_time else None,
    }


def _store_refund(
    ctx: FlowContext, request_id: str, order_id: str, status: str, refund: RefundAmount | None
) -> None:
    if refund is None or refund.refund_total is None or refund.refund_total <= Decimal(0):
        return
    RefundRepository(ctx.session).upsert(
        ctx.connection.id,
        request_id,
        {
            "order_external_id": order_id,
            "amount": refund.refund_total,
            "currency": refund.currency,
            "status": refund_status(status),
            "raw": refund.model_dump(mode="json"),
        },
    )
    ctx.count("refunds")


def refund_status(request_status: str) -> str:
    """The refund's state from its request's status (UNCERTAIN names; see _DONE_SUFFIXES)."""
    if request_status.endswith("_COMPLETE"):
        return "refunded"
    if "REJECT" in request_status:
        return "rejected"
    if request_status.endswith("_CANCEL"):
        return "withdrawn"
    if request_status.endswith("_SUCCESS"):
        return "approved"
    return "pending"


def _cancel_order(ctx: FlowContext, record: Cancellation) -> None:
    """Mark the stored order canceled when this cancellation covers every one of its lines."""
    orders = OrderRepository(ctx.session)
    order = orders.get_by_external_id(ctx.connection.id, record.order_id)
    if order is None or order.status == "canceled" or order.status in _SHIPPED:
        return
    line_ids = {str(i) for line in orders.lines(order) for i in line.external_line_ids}
    canceled = {item.order_line_item_id for item in record.cancel_line_items}
    if record.cancel_line_items and not line_ids <= canceled:
        return  # some lines stay: the order pull applies the partial cancellation
    order.status = "canceled"
    order.channel_status = "CANCELLED"
    ctx.count("orders_canceled")
