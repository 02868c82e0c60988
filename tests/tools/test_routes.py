"""retry_order_push."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ExceptionRecord, OrderRoute
from tests.tools.seeding import NOW, ORDER_ID, Seed
from tools import run_tool
from tools.registry import ToolContext, ToolError


def test_retry_resets_a_failed_route_and_resolves_nothing(
    seed: Seed, approved: ToolContext, session: Session
) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok), sfcc, "failed", attempts=5, last_error="boom", external_id=f"TT{ORDER_ID}")
    seed.exception("sfcc.invalid_shipping_method")
    result = run_tool("retry_order_push", approved, {"order_id": ORDER_ID})
    session.expire_all()
    route = session.scalars(select(OrderRoute)).one()
    assert (route.state, route.attempts, route.next_attempt_at) == ("pending", 0, NOW)
    assert route.external_id == f"TT{ORDER_ID}"
    assert session.scalars(select(ExceptionRecord.status)).one() == "open"
    assert result.model_dump()["change"]["before"]["attempts"] == 5


def test_retry_of_a_created_route_is_refused(seed: Seed, approved: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok), sfcc, "created")
    with pytest.raises(ToolError, match="only a failed push can be retried"):
        run_tool("retry_order_push", approved, {"order_id": ORDER_ID})
