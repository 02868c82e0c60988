"""retry_order_push (write): send a failed order to SFCC again on the daemon's next push run."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from store.models import OrderRoute
from tools.connections import connection_named
from tools.lookups import find_order, order_routes
from tools.models import ToolInput
from tools.registry import Change, Tool, ToolContext, ToolError, WriteResult


class RetryOrderPushInput(ToolInput):
    order_id: str = Field(min_length=1, description="TikTok order id.")
    connection: str | None = Field(
        default=None, description="Destination SFCC connection; optional when one."
    )


class RetryOrderPushOutput(WriteResult):
    order_id: str
    destination: str
    state: str


def _route_state(route: OrderRoute) -> dict[str, Any]:
    return {
        "state": route.state,
        "attempts": route.attempts,
        "last_error": route.last_error,
        "next_attempt_at": route.next_attempt_at.isoformat() if route.next_attempt_at else None,
    }


def _failed_route(ctx: ToolContext, p: RetryOrderPushInput) -> tuple[OrderRoute, str]:
    session = ctx.db()
    order = find_order(session, p.order_id)
    dest = connection_named(session, p.connection, type_name="sfcc")
    route = next((r for r in order_routes(session, order) if r.destination_connection_id == dest.id), None)
    if route is None:
        raise ToolError(
            f"Order {order.external_id} has no route to {dest.name} yet; diagnose_order says why "
            "it was not routed.",
            code="tool.not_found",
        )
    if route.state != "failed":
        raise ToolError(
            f"Order {order.external_id} is {route.state} on {dest.name}, not failed; only a failed "
            "push can be retried.",
            code="tool.conflict",
        )
    return route, dest.name


def preview_retry_order_push(ctx: ToolContext, p: RetryOrderPushInput) -> Change:
    route, _ = _failed_route(ctx, p)
    # attempts restart so the daemon's retry budget applies afresh; the audit keeps the old count.
    after = _route_state(route) | {
        "state": "pending",
        "attempts": 0,
        "next_attempt_at": ctx.now().isoformat(),
    }
    return Change(entity_type="order_route", entity_id=str(route.id), before=_route_state(route), after=after)


def retry_order_push(ctx: ToolContext, p: RetryOrderPushInput) -> RetryOrderPushOutput:
    """Queue a failed SFCC push again: the route goes back to pending, due now, so the daemon's
    next push run sends it. Resolves no failure: those close only when the push succeeds. The
    order number is kept, so SFCC never gets the order twice. Needs approval.
    """
    change = preview_retry_order_push(ctx, p)
    route, dest = _failed_route(ctx, p)
    route.state = "pending"
    route.attempts = 0
    route.next_attempt_at = ctx.now()
    route.updated_at = ctx.now()
    ctx.db().flush()
    return RetryOrderPushOutput(change=change, order_id=p.order_id, destination=dest, state=route.state)


TOOLS: list[Tool[Any, Any]] = [
    Tool(
        "retry_order_push",
        "write",
        RetryOrderPushInput,
        RetryOrderPushOutput,
        retry_order_push,
        preview=preview_retry_order_push,
    ),
]
