"""get_order and search_orders."""

from __future__ import annotations

import pytest

from tests.tools.seeding import ORDER_ID, Seed
from tools import run_tool
from tools.orders import OrderOut, SearchOrdersOutput
from tools.registry import ToolContext, ToolError


def test_get_order_returns_lines_and_routes(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    order = seed.order(tiktok, skus=("SKU-1", "SKU-2"))
    seed.route(order, sfcc, "created", external_id=f"TT{ORDER_ID}")
    result = run_tool("get_order", ctx, {"order_id": ORDER_ID})
    assert isinstance(result, OrderOut)
    assert [line.sku for line in result.lines] == ["SKU-1", "SKU-2"]
    assert result.routes[0].destination == "sfcc-main"
    assert result.routes[0].external_id == f"TT{ORDER_ID}"


def test_get_order_unknown_id_says_what_to_do(seed: Seed, ctx: ToolContext) -> None:
    seed.standard()
    with pytest.raises(ToolError) as raised:
        run_tool("get_order", ctx, {"order_id": "999999999999999999"})
    assert raised.value.code == "tool.not_found"
    assert "999999999999999999" in raised.value.message


def test_search_orders_filters_by_route_state(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    failed = seed.order(tiktok, external_id="1001")
    seed.route(failed, sfcc, "failed", attempts=3)
    created = seed.order(tiktok, external_id="1002")
    seed.route(created, sfcc, "created")
    result = run_tool("search_orders", ctx, {"route_state": "failed"})
    assert isinstance(result, SearchOrdersOutput)
    assert [o.order_id for o in result.orders] == ["1001"]
    assert result.truncated is False


def test_search_orders_limit_reports_truncation(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    for n in range(3):
        seed.order(tiktok, external_id=f"20{n}")
    result = run_tool("search_orders", ctx, {"limit": 2, "connection": "tiktok-us"})
    assert isinstance(result, SearchOrdersOutput)
    assert len(result.orders) == 2
    assert result.truncated is True
