"""Push orders into SFCC: open a route for each order that should go, push due routes, cancel.

An order is created in SFCC at most once: the route is the idempotency record and the SFCC order
number is derived from the TikTok order id, which the push checks before creating anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.engine.registry import FlowContext, FlowResult
from connectors.sfcc.basket_push import BasketPusher
from connectors.sfcc.errors import (
    SfccAuthError,
    SfccError,
    SfccNotFoundError,
    SfccPermissionError,
    SfccUnavailableError,
)
from connectors.sfcc.flows.effective_settings import effective_settings
from connectors.sfcc.flows.failures import as_flow_error, fault_document
from connectors.sfcc.flows.order_input import OrderInputError, build_order_input
from connectors.sfcc.flows.route_journal import RouteJournal
from connectors.sfcc.order_mapping import order_number_for
from connectors.sfcc.settings import SfccSettings
from store.models import Connection, Order, OrderRoute
from store.repositories import OrderRepository, OrderRouteRepository

BATCH = 50
# A configuration problem (no mapping yet) costs no API call to re-check, so look again soon:
# the order goes through by itself once someone adds the mapping.
CONFIG_RECHECK = timedelta(minutes=2)
CONNECTION_FAILURES = (SfccAuthError, SfccPermissionError, SfccUnavailableError)


def push_orders(ctx: FlowContext) -> FlowResult:
    """Open routes for orders that should reach SFCC, then push (or cancel) those that are due."""
    assert isinstance(ctx.settings, SfccSettings)
    settings = effective_settings(ctx.session, ctx.settings, ctx.connection.id)
    pusher = BasketPusher(ctx.client, settings)  # with the store's mappings
    opened = open_routes(ctx.session, ctx.connection, settings, ctx.now)
    ctx.count("routes_opened", opened)
    due = OrderRouteRepository(ctx.session).due(ctx.connection.id, now=ctx.now, limit=BATCH)
    for route in due:
        order = ctx.session.get(Order, route.order_id)
        assert order is not None
        push_route(ctx, pusher, settings, order, route)
    _propagate_cancellations(ctx, pusher, settings)
    return FlowResult(cursor=None, more=len(due) == BATCH)


def push_route(
    ctx: FlowContext, pusher: BasketPusher, settings: SfccSettings, order: Order, route: OrderRoute
) -> str:
    """Create (or cancel) one order in SFCC through its route; returns what happened.

    Outcomes: created, already_in_sfcc, canceled, canceled_before_push, already_canceled,
    rejected (an Exception row says why), waiting (a configuration gap, re-checked soon).
    """
    ctx.exceptions.checked("order", order.external_id)
    if order.status == "canceled":
        return _cancel(ctx, pusher, settings, order, route)
    return _push(ctx, pusher, settings, order, route)


def eligible_statuses(settings: SfccSettings) -> list[str]:
    """Statuses whose orders get a route (a canceled order that never went needs none)."""
    return [status for status in settings.order_statuses_to_push if status != "canceled"]


def open_routes(session: Session, connection: Connection, settings: SfccSettings, now: object) -> int:
    """Create pending routes for eligible orders that have none to this SFCC connection yet."""
    query = (
        select(Order)
        .outerjoin(
            OrderRoute,
            (OrderRoute.order_id == Order.id) & (OrderRoute.destination_connection_id == connection.id),
        )
        .where(
            OrderRoute.id.is_(None),
            Order.connection_id != connection.id,
            Order.status.in_(eligible_statuses(settings)),
        )
        .order_by(Order.id)
        .limit(BATCH * 4)
    )
    if settings.push_source_channels:
        query = query.where(Order.source_channel.in_(settings.push_source_channels))
    routes = OrderRouteRepository(session)
    orders: Sequence[Order] = session.scalars(query).all()
    for order in orders:
        routes.ensure(order, connection.id, now=now)  # type: ignore[arg-type]
    return len(orders)


def _push(
    ctx: FlowContext, pusher: BasketPusher, settings: SfccSettings, order: Order, route: OrderRoute
) -> str:
    journal = RouteJournal(route)
    lines = OrderRepository(ctx.session).lines(order)
    try:
        order_input = build_order_input(ctx.session, order, lines, ctx.connection.id, require_products=False)
        journal.start(order_number_for(order.external_id, settings.order_number_prefix))
        result = pusher.push(order_input, journal)
    except OrderInputError as error:
        _observe(ctx, order, error.code, error.category, error.message, None)
        journal.failed(error.message, retry_at=ctx.now + CONFIG_RECHECK)
        return "waiting"
    except CONNECTION_FAILURES as error:
        # The whole connection is at fault, not this order: stop the run; the daemon retries it.
        raise as_flow_error(error) from error
    except SfccError as error:
        _observe(ctx, order, error.code, "routing", error.message, fault_document(error))
        # No status code: our own configuration check refused it before any request (a missing
        # mapping): re-check soon. A rejection by SFCC waits for a fix and `retry_order_push`.
        configuration = error.status_code is None
        journal.failed(error.message, retry_at=ctx.now + CONFIG_RECHECK if configuration else None)
        return "waiting" if configuration else "rejected"
    journal.created(ctx.now)
    outcome = "created" if result.created else "already_in_sfcc"
    ctx.count(outcome)
    if settings.mark_sent_to_fulfillment and order.status == "readyForFulfillment":
        order.status = "sentToFulfillment"
    return outcome


def _cancel(
    ctx: FlowContext, pusher: BasketPusher, settings: SfccSettings, order: Order, route: OrderRoute
) -> str:
    journal = RouteJournal(route)
    if route.state == "canceled":
        return "already_canceled"
    if route.state in ("pending", "failed") and not route.steps:
        journal.canceled(ctx.now)  # never reached SFCC: nothing to cancel there
        ctx.count("canceled_before_push")
        return "canceled_before_push"
    if "canceled" not in settings.order_statuses_to_push:
        _observe(
            ctx,
            order,
            "order.cancel_not_propagated",
            "routing",
            f"TikTok order {order.external_id} was canceled, but 'canceled' is not among the order statuses "
            f"to push of {ctx.connection.name}, so SFCC order {route.external_id} stays open. Add 'canceled' "
            "to order_statuses_to_push.",
            None,
        )
        return "rejected"
    try:
        pusher.cancel(order.external_id)
    except SfccNotFoundError:
        pass  # SFCC never got it: the cancellation is complete by definition
    except CONNECTION_FAILURES as error:
        raise as_flow_error(error) from error
    except SfccError as error:
        # SFCC refused to cancel (e.g. CancelOrderException: the order is completed or shipped).
        message = (
            f"TikTok order {order.external_id} was canceled, but SFCC refused to cancel order "
            f"{route.external_id}: {error.message} Cancel or return it in Business Manager."
        )
        _observe(ctx, order, "order.cancel_not_propagated", "routing", message, fault_document(error))
        return "rejected"
    journal.canceled(ctx.now)
    ctx.count("canceled")
    return "canceled"


def _propagate_cancellations(ctx: FlowContext, pusher: BasketPusher, settings: SfccSettings) -> None:
    """Created routes whose order was canceled afterwards: put them back in the queue to cancel."""
    stale = ctx.session.scalars(
        select(OrderRoute)
        .join(Order, Order.id == OrderRoute.order_id)
        .where(
            OrderRoute.destination_connection_id == ctx.connection.id,
            OrderRoute.state == "created",
            Order.status == "canceled",
        )
        .limit(BATCH)
    ).all()
    for route in stale:
        order = ctx.session.get(Order, route.order_id)
        assert order is not None
        push_route(ctx, pusher, settings, order, route)


def _observe(ctx: FlowContext, order: Order, code: str, category: str, message: str, fault: object) -> None:
    ctx.exceptions.observe(
        code=code,
        category=category,
        entity_type="order",
        entity_id=order.external_id,
        message=message,
        fault=fault,
    )
