"""Order tools: one order with its lines and routes, and a search over orders."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from store.models import Connection, Order, OrderRoute
from tools.lookups import connection_names, find_order, order_lines, order_routes
from tools.models import ToolInput, ToolOutput
from tools.registry import Tool, ToolContext

OrderStatus = Literal[
    "onHold", "new", "readyForFulfillment", "sentToFulfillment", "partialFulfillment", "fulfilled", "canceled"
]


class OrderLineOut(ToolOutput):
    sku: str
    product_name: str | None
    quantity: int
    unit_price: Decimal
    status: str | None


class OrderRouteOut(ToolOutput):
    destination: str
    state: str
    external_id: str | None = Field(description="Order number in the destination (e.g. SFCC order no).")
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_downstream_at: datetime | None


class OrderOut(ToolOutput):
    order_id: str = Field(description="The channel's order id.")
    connection: str
    status: str
    channel_status: str | None
    hold_until: datetime | None
    fulfillment_type: str
    source_channel: str | None
    shipping_option: str | None = Field(description="TikTok delivery option name, as TikTok sent it.")
    currency: str
    total: Decimal
    placed_at: datetime | None
    lines: list[OrderLineOut]
    routes: list[OrderRouteOut]


class GetOrderInput(ToolInput):
    order_id: str = Field(min_length=1, description="TikTok order id, e.g. 576653688135258178.")


def order_out(ctx: ToolContext, order: Order) -> OrderOut:
    """The pydantic view of an order, its lines and its routes."""
    session = ctx.db()
    names = connection_names(session)
    return OrderOut(
        order_id=order.external_id,
        connection=names.get(order.connection_id, str(order.connection_id)),
        status=order.status,
        channel_status=order.channel_status,
        hold_until=order.hold_until,
        fulfillment_type=order.fulfillment_type,
        source_channel=order.source_channel,
        shipping_option=order.shipping_option,
        currency=order.currency,
        total=order.total,
        placed_at=order.placed_at,
        lines=[
            OrderLineOut(
                sku=line.sku,
                product_name=line.product_name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                status=line.status,
            )
            for line in order_lines(session, order)
        ],
        routes=[
            OrderRouteOut(
                destination=names.get(route.destination_connection_id, str(route.destination_connection_id)),
                state=route.state,
                external_id=route.external_id,
                attempts=route.attempts,
                last_error=route.last_error,
                next_attempt_at=route.next_attempt_at,
                created_downstream_at=route.created_downstream_at,
            )
            for route in order_routes(session, order)
        ],
    )


def get_order(ctx: ToolContext, params: GetOrderInput) -> OrderOut:
    """Read one order: status, hold, delivery option, totals, lines (SKU, quantity) and every route
    to a destination (state, SFCC order number, attempts, last error, next attempt).

    Use it to answer "where is order X?". To explain a failure use diagnose_order instead.
    """
    return order_out(ctx, find_order(ctx.db(), params.order_id))


class SearchOrdersInput(ToolInput):
    status: OrderStatus | None = Field(default=None, description="Only orders in this status.")
    route_state: Literal["pending", "sending", "created", "failed", "canceled"] | None = Field(
        default=None, description="Only orders with a route in this state (e.g. 'failed')."
    )
    connection: str | None = Field(default=None, description="Only orders from this source connection.")
    placed_after: datetime | None = None
    placed_before: datetime | None = None
    limit: int = Field(default=20, ge=1, le=200)


class OrderSummary(ToolOutput):
    order_id: str
    connection: str
    status: str
    placed_at: datetime | None
    total: Decimal
    currency: str
    route_states: list[str]


class SearchOrdersOutput(ToolOutput):
    orders: list[OrderSummary]
    truncated: bool = Field(description="True when more orders matched than `limit`.")


def search_orders(ctx: ToolContext, params: SearchOrdersInput) -> SearchOrdersOutput:
    """Find orders by status, route state (e.g. every order whose SFCC push failed), source
    connection and placement time; newest first, at most `limit`.
    """
    session = ctx.db()
    query: Any = select(Order)
    if params.status is not None:
        query = query.where(Order.status == params.status)
    if params.connection is not None:
        query = query.join(Connection, Connection.id == Order.connection_id).where(
            Connection.name == params.connection
        )
    if params.route_state is not None:
        query = query.where(
            Order.id.in_(select(OrderRoute.order_id).where(OrderRoute.state == params.route_state))
        )
    if params.placed_after is not None:
        query = query.where(Order.placed_at >= params.placed_after)
    if params.placed_before is not None:
        query = query.where(Order.placed_at < params.placed_before)
    query = query.order_by(Order.placed_at.desc(), Order.id.desc()).limit(params.limit + 1)
    orders = list(session.scalars(query))
    names = connection_names(session)
    summaries = [
        OrderSummary(
            order_id=order.external_id,
            connection=names.get(order.connection_id, str(order.connection_id)),
            status=order.status,
            placed_at=order.placed_at,
            total=order.total,
            currency=order.currency,
            route_states=[route.state for route in order_routes(session, order)],
        )
        for order in orders[: params.limit]
    ]
    return SearchOrdersOutput(orders=summaries, truncated=len(orders) > params.limit)


TOOLS: list[Tool[Any, Any]] = [
    Tool("get_order", "read", GetOrderInput, OrderOut, get_order),
    Tool("search_orders", "read", SearchOrdersInput, SearchOrdersOutput, search_orders),
]
