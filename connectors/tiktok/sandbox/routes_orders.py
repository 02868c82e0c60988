"""Order search and batch detail."""

from __future__ import annotations

import bisect
import itertools
import json
from collections.abc import Callable, Iterable
from typing import Any

from connectors.tiktok.sandbox.context import ApiContext, Route
from connectors.tiktok.sandbox.envelope import invalid_param
from connectors.tiktok.sandbox.paging import decode_token, encode_token, page_size
from connectors.tiktok.sandbox.state import SandboxState

MAX_DETAIL_IDS = 50  # UNCERTAIN: only a peer's comment gives this number
_SORT_FIELDS = ("create_time", "update_time")


def _at_least(field: str, low: int) -> Callable[[dict[str, Any]], bool]:
    return lambda order: int(order.get(field) or 0) >= low


def _below(field: str, high: int) -> Callable[[dict[str, Any]], bool]:
    return lambda order: int(order.get(field) or 0) < high


def _matcher(filters: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """Compile the body filters once per search; a 10,000-order scan runs this per order."""
    checks: list[Callable[[dict[str, Any]], bool]] = []
    if filters.get("order_status"):
        status = filters["order_status"]
        checks.append(lambda o: o.get("status") == status)
    for field in _SORT_FIELDS:
        if f"{field}_ge" in filters:
            checks.append(_at_least(field, int(filters[f"{field}_ge"])))
        if f"{field}_lt" in filters:
            checks.append(_below(field, int(filters[f"{field}_lt"])))
    if filters.get("shipping_type"):
        checks.append(lambda o: o.get("shipping_type") == filters["shipping_type"])
    if filters.get("buyer_user_id"):
        checks.append(lambda o: o.get("user_id") == str(filters["buyer_user_id"]))
    if "is_buyer_request_cancel" in filters:
        wanted = bool(filters["is_buyer_request_cancel"])
        checks.append(lambda o: bool(o.get("is_buyer_request_cancel")) == wanted)
    if filters.get("warehouse_ids"):
        warehouses = set(filters["warehouse_ids"])
        checks.append(lambda o: o.get("warehouse_id") in warehouses)
    return lambda order: all(check(order) for check in checks)


def _total(state: SandboxState, filters: dict[str, Any], matches: Callable[[dict[str, Any]], bool]) -> int:
    """total_count for a filter, counted once per orders version (pages 2..n reuse it)."""
    key = (state.orders_version, json.dumps(filters, sort_keys=True))
    cache = state.count_cache
    if key not in cache:
        cache.clear()
        cache[key] = sum(1 for order in state.orders.values() if matches(order))
    return cache[key]


def search_orders(ctx: ApiContext) -> dict[str, Any]:
    """POST /order/202309/orders/search."""
    size = page_size(ctx.query.get("page_size"))
    sort_field = ctx.query.get("sort_field") or "create_time"
    if sort_field not in _SORT_FIELDS:
        raise invalid_param("sort_field")
    sort_order = (ctx.query.get("sort_order") or "DESC").upper()
    if sort_order not in ("ASC", "DESC"):
        raise invalid_param("sort_order")
    token = ctx.query.get("page_token") or None
    after = decode_token(token) if token else None
    matches = _matcher(ctx.body)
    state = ctx.state
    state.release_holds()
    with state.lock:
        index = state.sorted_orders(sort_field)
        keys = [k for k, _ in index]
        if sort_order == "ASC":
            start = bisect.bisect_right(keys, after) if after else 0
            walk: Iterable[tuple[list[Any], str]] = itertools.islice(index, start, None)
        else:
            stop = bisect.bisect_left(keys, after) if after else len(index)
            walk = (index[n] for n in range(stop - 1, -1, -1))
        page: list[tuple[list[Any], str]] = []
        more = False
        for key, order_id in walk:
            if matches(state.orders[order_id]):
                if len(page) == size:
                    more = True
                    break
                page.append((key, order_id))
        orders = [state.order_view(state.orders[order_id]) for _, order_id in page]
        total = _total(state, ctx.body, matches)
    next_token = encode_token(page[-1][0]) if more else ""
    return {"orders": orders, "next_page_token": next_token, "total_count": total}


def get_orders(ctx: ApiContext) -> dict[str, Any]:
    """GET /order/202309/orders?ids=a,b (unknown ids are left out)."""
    ids = [i for i in (ctx.query.get("ids") or "").split(",") if i]
    if not ids:
        raise invalid_param("ids", "is required")
    if len(ids) > MAX_DETAIL_IDS:
        raise invalid_param("ids", f"accepts at most {MAX_DETAIL_IDS} ids")
    state = ctx.state
    state.release_holds()
    with state.lock:
        orders = [state.order_view(state.orders[i]) for i in ids if i in state.orders]
    return {"orders": orders}


ROUTES = [
    Route("POST", "/order/202309/orders/search", search_orders),
    Route("GET", "/order/202309/orders", get_orders),
]
