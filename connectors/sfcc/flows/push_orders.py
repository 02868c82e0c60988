"""Push orders into SFCC: open a route for each order that should go, push due routes, cancel.

An order is created in SFCC at most once: the route is the idempotency record and the SFCC order
number is derived from the TikTok order id, which the push checks before creating anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.engine.errors import FlowError
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
    pusher = BasketPusher(ctx.client)
    pusher.settings = settings  # with the store's mappings
    opened = open_routes(ctx.session, ctx.connection, settings, ctx.now)
    ctx.count("routes_opened", opened)
    due = OrderRouteRepository(ctx.session).due(ctx.connection.id, now=ctx.now, limit=BATCH)
    for route in due:
        order = ctx.session.get(Order, route.order_id)
        assert order is not None
        ctx.exceptions.checked("order", order.external_id)
        if order.status == "canceled":
            _cancel(ctx, pusher, settings, order, route)
        else:
            _push(ctx, pusher, settings, order, route)
    _propagate_cancellations(ctx, pusher, settings)
    return FlowResult(cursor=None, more=len(due) == BATCH)


def eligible_statuses(settings: SfccSettings) -> list[str]:
    """Statuses whose orders get a route (a canceled order that never went needs none)."""
    return [status for status in settings.order_statuses_to_push if status != "canceled"]


def open_routes(
    session: Session, connection: Connection, settings: SfccSettings, now: object
) -> int:
    """Create pending routes for eligible orders that have none to this SFCC connection yet."""
    query = (
        select(Order)
        .outerjoin(
            OrderRoute,
            (OrderRoute.order_id == Order.id)
            & (OrderRoute.destination_connection_id == connection.id),
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
) -> None:
    journal = RouteJournal(route)
    lines = OrderRepository(ctx.session).lines(order)
    try:
        order_input = build_order_input(
            ctx.session, order, lines, ctx.connection.id, require_products=False
        )
        journal.start(order_number_for(order.external_id, settings.order_number_prefix))
        result = pusher.push(order_input, journal)
    except OrderInputError as error:
        _observe(ctx, order, error.code, error.category, error.message, None)
        journal.failed(error.message, retry_at=ctx.now + CONFIG_RECHECK)
        return
    except CONNECTION_FAILURES as error:
        # The whole connection is at fault, not this order: stop the run; the daemon retries it.
        raise FlowError(
            error.message,
            code=error.code,
            retryable=isinstance(error, SfccUnavailableError),
            fault=_fault(error),
        ) from error
    except SfccError as error:
        _observe(ctx, order, error.code, "routing", error.message, _fault(error))
        # No status code: our own configuration check refused it before any request (a missing
        # mapping): re-check soon. A rejection by SFCC waits for a fix and `retry_order_push`.
        configuration = error.status_code is None
        journal.failed(error.message, retry_at=ctx.now + CONFIG_RECHECK if configuration else None)
        return
    journal.created(ctx.now)
    ctx.count("created" if result.created else "already_in_sfcc")
    if settings.mark_sent_to_fulfillment and order.status == "readyForFulfillment":
        order.status = "sentToFulfillment"


def _cancel(
    ctx: FlowContext, pusher: BasketPusher, settings: SfccSettings, order: Order, route: OrderRoute
) -> None:
    journal = RouteJournal(route)
    if route.state in ("pending", "failed") and not route.steps:
        journal.canceled(ctx.now)  # never reached SFCC: nothing to cancel there
        ctx.count("canceled_before_push")
        return
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
        return
    try:
        pusher.cancel(order.external_id)
    except SfccNotFoundError:
        pass  # SFCC never got it: the cancellation is complete by definition
    except CONNECTION_FAILURES as error:
        raise FlowError(
            error.message,
            code=error.code,
            retryable=isinstance(error, SfccUnavailableError),
            fault=_fault(error),
        ) from error
    except SfccError as error:
        _observe(ctx, order, error.code, "routing", error.message, _fault(error))
        return
    journal.canceled(ctx.now)
    ctx.count("canceled")


def _propagate_cancellations(
    ctx: FlowContext, pusher: BasketPusher, settings: SfccSettings
) -> None:
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
        ctx.exceptions.checked("order", order.external_id)
        _cancel(ctx, pusher, settings, order, route)


def _observe(
    ctx: FlowContext, order: Order, code: str, category: str, message: str, fault: object
) -> None:
    ctx.exceptions.observe(
        code=code,
        category=category,
        entity_type="order",
        entity_id=order.external_id,
        message=message,
        fault=fault,
    )


def _fault(error: SfccError) -> dict[str, object]:
    fault = error.fault
    return {
        "type": fault.type if fault else None,
        "message": fault.message if fault else error.message,
        "arguments": fault.arguments if fault else {},
        "status_code": error.status_code,
        "step": error.step,
        "raw": error.raw,
    }
