"""Cancellations, returns, statements and webhook subscriptions."""

from __future__ import annotations

import copy
from typing import Any

from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import invalid_param
from connectors.tiktok.sandbox.paging import keyset_page, page_size

MAX_ADDRESS = 255


def _in_range(item: dict[str, Any], filters: dict[str, Any], field: str) -> bool:
    value = int(item.get(field) or 0)
    if f"{field}_ge" in filters and value < int(filters[f"{field}_ge"]):
        return False
    return not (f"{field}_lt" in filters and value >= int(filters[f"{field}_lt"]))


def _search(
    ctx: ApiContext, items: list[dict[str, Any]], id_field: str, status_field: str, ids_filter: str
) -> tuple[list[dict[str, Any]], str, int]:
    size = page_size(ctx.query.get("page_size"), default=20)
    f = ctx.body
    with ctx.state.lock:
        matching = [
            item
            for item in items
            if (not f.get("order_ids") or item.get("order_id") in f["order_ids"])
            and (not f.get(ids_filter) or item.get(id_field) in f[ids_filter])
            and (not f.get(status_field) or item.get(status_field) in f[status_field])
            and _in_range(item, f, "create_time")
            and _in_range(item, f, "update_time")
        ]
        page, token = keyset_page(
            matching,
            lambda i: [int(i.get("update_time") or 0), str(i[id_field])],
            size,
            ctx.query.get("page_token") or None,
        )
        return copy.deepcopy(page), token, len(matching)


def search_cancellations(ctx: ApiContext) -> dict[str, Any]:
    """POST /return_refund/202309/cancellations/search."""
    page, token, total = _search(ctx, ctx.state.cancellations, "cancel_id", "cancel_status", "cancel_ids")
    return {"cancellations": page, "next_page_token": token, "total_count": total}


def search_returns(ctx: ApiContext) -> dict[str, Any]:
    """POST /return_refund/202309/returns/search."""
    page, token, total = _search(ctx, ctx.state.returns, "return_id", "return_status", "return_ids")
    return {"return_orders": page, "next_page_token": token, "total_count": total}


def get_statements(ctx: ApiContext) -> dict[str, Any]:
    """GET /finance/202309/statements; sort_field is required and only statement_time is allowed."""
    if ctx.query.get("sort_field") != "statement_time":
        raise invalid_param("sort_field", "must be statement_time")
    size = page_size(ctx.query.get("page_size"), default=20)
    q = ctx.query
    with ctx.state.lock:
        matching = [
            s
            for s in ctx.state.statements
            if ("statement_time_ge" not in q or int(s["statement_time"]) >= int(q["statement_time_ge"]))
            and ("statement_time_lt" not in q or int(s["statement_time"]) < int(q["statement_time_lt"]))
            and (not q.get("payment_status") or s.get("payment_status") == q["payment_status"])
        ]
        descending = (q.get("sort_order") or "ASC").upper() == "DESC"
        page, token = keyset_page(
            matching,
            lambda s: [int(s["statement_time"]), str(s["id"])],
            size,
            q.get("page_token") or None,
            descending=descending,
        )
        return {"statements": copy.deepcopy(page), "next_page_token": token}


def get_webhooks(ctx: ApiContext) -> dict[str, Any]:
    """GET /event/202309/webhooks."""
    with ctx.state.lock:
        hooks = copy.deepcopy(list(ctx.state.webhooks.values()))
    return {"webhooks": hooks, "total_count": len(hooks)}


def put_webhook(ctx: ApiContext) -> None:
    """PUT /event/202309/webhooks {event_type, address}."""
    event_type, address = ctx.body.get("event_type"), ctx.body.get("address")
    if not event_type:
        raise invalid_param("event_type", "is required")
    if not address or len(address) > MAX_ADDRESS:
        raise invalid_param("address", f"is required and at most {MAX_ADDRESS} characters")
    now = ctx.state.clock.timestamp()
    with ctx.state.lock:
        created = ctx.state.webhooks.get(event_type, {}).get("create_time", now)
        ctx.state.webhooks[event_type] = {
            "event_type": event_type,
            "address": address,
            "create_time": created,
            "update_time": now,
        }


def delete_webhook(ctx: ApiContext) -> None:
    """DELETE /event/202309/webhooks {event_type}."""
    with ctx.state.lock:
        ctx.state.webhooks.pop(str(ctx.body.get("event_type")), None)


ROUTES = [
    Route("POST", "/return_refund/202309/cancellations/search", search_cancellations),
    Route("POST", "/return_refund/202309/returns/search", search_returns),
    Route("GET", "/finance/202309/statements", get_statements),
    Route("GET", "/event/202309/webhooks", get_webhooks),
    Route("PUT", "/event/202309/webhooks", put_webhook),
    Route("DELETE", "/event/202309/webhooks", delete_webhook),
]
