"""`sync_daemon.py push-order ORDER_ID [--dry-run]`: test one order before enabling full sync.

`--dry-run` prints the exact requests a push would send (method, path, JSON body; tokens are
never shown) and sends none. Without it, just that order is pushed (or cancelled, if it was
cancelled on TikTok) through the same route, journal and exception handling as the push_orders
flow, whether or not *Push orders to Salesforce* is on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session, sessionmaker

from connectors.config import ConnectionConfig, ShopwrightConfig
from connectors.engine.app import HTTP_TIMEOUT, sync_connections
from connectors.engine.clock import Clock, SystemClock
from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext
from connectors.runtime import ConnectionRuntime
from connectors.sfcc import jsonwire
from connectors.sfcc.basket_push import BasketPusher, PlannedRequest
from connectors.sfcc.client import SfccClient
from connectors.sfcc.errors import SfccError
from connectors.sfcc.flows.effective_settings import effective_settings
from connectors.sfcc.flows.order_input import OrderInputError, build_order_input
from connectors.sfcc.flows.push_orders import push_route
from connectors.sfcc.settings import SfccSettings
from store.migrate import require_migrated
from store.models import Connection, Order
from store.repositories import (
    ConnectionRepository,
    ExceptionRepository,
    ExceptionTracker,
    OrderRepository,
    OrderRouteRepository,
)
from store.session import create_session_factory, create_store_engine

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
GOOD_OUTCOMES = ("created", "already_in_sfcc", "canceled", "canceled_before_push", "already_canceled")


class PushOneError(Exception):
    """The command cannot run as asked (no such order, no SFCC connection); exit code 2."""


def push_order_command(
    config: ShopwrightConfig,
    order_id: str,
    *,
    dry_run: bool,
    connection: str | None = None,
    out: TextIO,
    clock: Clock | None = None,
) -> int:
    """Run the command; returns the exit code (0 pushed, 1 refused by SFCC or a setting, 2 misuse)."""
    try:
        target = _sfcc_connection(config, connection)
    except PushOneError as error:
        out.write(f"shopwright: {error}\n")
        return EXIT_USAGE
    engine = create_store_engine(config.database_url)
    try:
        require_migrated(engine)
        factory = create_session_factory(engine)
        sync_connections(config, factory)
        with httpx.Client(timeout=HTTP_TIMEOUT) as http:
            runtime = ConnectionRuntime(target.name, target.settings, http, clock or SystemClock(), factory)
            return _run(runtime, order_id, dry_run=dry_run, out=out)
    except PushOneError as error:
        out.write(f"shopwright: {error}\n")
        return EXIT_USAGE
    finally:
        engine.dispose()


def _sfcc_connection(config: ShopwrightConfig, name: str | None) -> ConnectionConfig:
    sfcc = {n: c for n, c in config.connections.items() if c.type == "sfcc"}
    if name is not None:
        if name not in sfcc:
            raise PushOneError(f"no SFCC connection named {name}; configured: {', '.join(sfcc) or 'none'}")
        return sfcc[name]
    if len(sfcc) != 1:
        known = ", ".join(sfcc) or "none"
        raise PushOneError(f"choose the SFCC connection with --connection (configured: {known})")
    return next(iter(sfcc.values()))


def _run(runtime: ConnectionRuntime, order_id: str, *, dry_run: bool, out: TextIO) -> int:
    factory: sessionmaker[Session] = runtime.session_factory
    assert isinstance(runtime.settings, SfccSettings)
    client = SfccClient(runtime.http, runtime.settings, clock=runtime.clock)
    try:
        return _in_transaction(factory, runtime, client, order_id, dry_run=dry_run, out=out)
    except FlowError as error:  # the connection itself failed; nothing of the attempt is kept
        out.write(f"SFCC connection {runtime.name} failed ({error.code}): {error.message}\n")
        return EXIT_REJECTED


def _in_transaction(
    factory: sessionmaker[Session],
    runtime: ConnectionRuntime,
    client: SfccClient,
    order_id: str,
    *,
    dry_run: bool,
    out: TextIO,
) -> int:
    assert isinstance(runtime.settings, SfccSettings)
    with factory.begin() as session:
        connection = ConnectionRepository(session).get_by_name(runtime.name)
        assert connection is not None  # sync_connections just wrote it
        order = _order(session, order_id, connection)
        settings = effective_settings(session, runtime.settings, connection.id)
        pusher = BasketPusher(client, settings)
        if dry_run:
            return _dry_run(session, pusher, order, connection, out)
        now = runtime.clock.now()
        route = OrderRouteRepository(session).ensure(order, connection.id, now=now)
        tracker = ExceptionTracker(ExceptionRepository(session), "push_orders", connection.id, now)
        ctx = FlowContext(
            client=client,
            session=session,
            cursor=None,
            settings=settings,
            clock=runtime.clock,
            now=now,
            connection=connection,
            exceptions=tracker,
        )
        outcome = push_route(ctx, pusher, settings, order, route)
        tracker.finish()
        if outcome in GOOD_OUTCOMES:
            return _report(outcome, order, route.external_id, runtime.name, out)
        records = ExceptionRepository(session).list_open(
            entity_type="order", entity_id=order.external_id, connection_id=connection.id, limit=1
        )
        why = f"({records[0].code}): {records[0].message}" if records else f"({outcome})"
        out.write(f"Order {order.external_id} was not pushed to {runtime.name} {why}\n")
        return EXIT_REJECTED


def _order(session: Session, order_id: str, sfcc: Connection) -> Order:
    found = [o for o in OrderRepository(session).find_by_external_id(order_id) if o.connection_id != sfcc.id]
    if not found:
        raise PushOneError(
            f"no order {order_id} in the store; pull it from TikTok first (`sync_daemon.py once`)"
        )
    if len(found) > 1:
        raise PushOneError(f"order id {order_id} exists on {len(found)} connections; it is ambiguous")
    return found[0]


def _dry_run(session: Session, pusher: BasketPusher, order: Order, sfcc: Connection, out: TextIO) -> int:
    lines = OrderRepository(session).lines(order)
    try:
        if order.status == "canceled":
            planned: Sequence[PlannedRequest] = [pusher.cancel_request(order.external_id)]
        else:
            order_input = build_order_input(session, order, lines, sfcc.id, require_products=False)
            planned = pusher.plan_requests(order_input)
    except OrderInputError as error:
        out.write(f"Order {order.external_id} cannot be pushed ({error.code}): {error.message}\n")
        return EXIT_REJECTED
    except SfccError as error:
        out.write(f"Order {order.external_id} cannot be pushed ({error.code}): {error.message}\n")
        return EXIT_REJECTED
    host = urlsplit(planned[0].url)
    out.write(
        f"Dry run for order {order.external_id} ({order.status}) to {sfcc.name} at "
        f"{host.scheme}://{host.netloc}: {len(planned)} request(s), nothing sent. Each carries a bearer "
        "token of its API client (not shown).\n"
    )
    for number, request in enumerate(planned, start=1):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        note = f"  ({request.note})" if request.note else ""
        out.write(f"{number}. [{request.step}] {request.method} {path}{note}\n")
        if request.json is not None:
            out.write(f"   {jsonwire.dumps(request.json)}\n")
    return EXIT_OK


def _report(outcome: str, order: Order, order_no: str | None, connection: str, out: TextIO) -> int:
    messages = {
        "created": f"created in SFCC as order {order_no}",
        "already_in_sfcc": f"already in SFCC as order {order_no}; nothing sent twice",
        "canceled": f"cancelled SFCC order {order_no}",
        "canceled_before_push": "canceled before it reached SFCC; nothing to cancel there",
        "already_canceled": f"SFCC order {order_no} was already cancelled",
    }
    out.write(f"Order {order.external_id} ({connection}): {messages[outcome]}.\n")
    return EXIT_OK
