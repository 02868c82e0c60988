"""Push shipments (Fulfillment rows) to TikTok as packages, each at most once.

Per run: the oldest pushable fulfillments (orders on hold wait), their TikTok orders read live in
one batch call, then one package per fulfillment covering exactly its lines (a partial shipment
names its line ids). Before each send the live order is checked (see `fulfillment_lines`): a
shipment already on TikTok is adopted, never sent twice. When the answer to a send is lost
(`AmbiguousWriteError`), the order is read back to learn whether the package was created before
the send is tried again. Fulfilled-by-TikTok orders are never pushed; a canceled or missing order,
an unsupported carrier, or lines TikTok no longer has open become exceptions on the fulfillment.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.errors import AmbiguousWriteError, TikTokError
from connectors.tiktok.flows.carriers import CarrierResolver
from connectors.tiktok.flows.failures import connection_failure, fault_of, is_record_failure
from connectors.tiktok.flows.fulfillment_journal import FulfillmentJournal
from connectors.tiktok.flows.fulfillment_lines import (
    fully_shipped,
    record_shipment,
    select_lines,
    shipped_package,
    waiting_package,
)
from connectors.tiktok.schemas import Order as TikTokOrder
from connectors.tiktok.schemas import is_fulfilled_by_tiktok
from connectors.tiktok.settings import TikTokSettings
from store.models import Fulfillment, Order
from store.repositories import ExceptionRepository, FulfillmentRepository

BATCH = 50  # one order-detail call covers a batch
SEND_ATTEMPTS = 3  # sends per fulfillment per run, each after a read-back showed nothing created
CARRIER_UNSUPPORTED = "tiktok.carrier_unsupported"
LiveOrders = dict[str, TikTokOrder]


def push_fulfillments(ctx: FlowContext) -> FlowResult:
    """Push the next batch of fulfillments; ``more`` when a full batch made progress."""
    settings = ctx.settings
    assert isinstance(settings, TikTokSettings)
    resolver = CarrierResolver(ctx, settings)
    repository = FulfillmentRepository(ctx.session)
    try:
        _requeue_fixed_carriers(ctx, resolver)
        batch = repository.pushable(ctx.connection.id, BATCH)
        orders = {
            o.id: o
            for o in ctx.session.scalars(select(Order).where(Order.id.in_({f.order_id for f in batch})))
        }
        live = _read_live(ctx, orders.values())
        progressed = 0
        for fulfillment in batch:
            before = fulfillment.push_state
            ctx.exceptions.checked("fulfillment", fulfillment.external_id)
            _push_one(ctx, resolver, fulfillment, orders[fulfillment.order_id], live)
            progressed += fulfillment.push_state != before or fulfillment.push_state == "pushed"
    except TikTokError as error:
        raise connection_failure(error, "Pushing fulfillments to TikTok failed") from error
    return FlowResult(cursor=None, more=len(batch) == BATCH and progressed > 0)


def _order(ctx: FlowContext, fulfillment: Fulfillment) -> Order:
    order = ctx.session.get(Order, fulfillment.order_id)
    assert order is not None  # the foreign key guarantees it
    return order


def _read_live(ctx: FlowContext, orders: Iterable[Order]) -> LiveOrders:
    ids = sorted({o.external_id for o in orders if o.fulfillment_type != "platform"})
    return {order.id: order for order in ctx.client.get_orders(ids)} if ids else {}


def _requeue_fixed_carriers(ctx: FlowContext, resolver: CarrierResolver) -> None:
    """Fulfillments refused for their carrier go again once a mapping or fallback now covers it."""
    records = ExceptionRepository(ctx.session).list_open(
        code=CARRIER_UNSUPPORTED, connection_id=ctx.connection.id, entity_type="fulfillment", limit=BATCH
    )
    waiting = FulfillmentRepository(ctx.session).failed_with_external_ids(
        ctx.connection.id, [r.entity_id for r in records]
    )
    for fulfillment in waiting:
        option = (_order(ctx, fulfillment).raw or {}).get("delivery_option_id")
        if resolver.resolve(fulfillment.carrier, option).provider_id is not None:
            FulfillmentJournal(fulfillment).requeue()
            ctx.count("requeued")


def _push_one(
    ctx: FlowContext, resolver: CarrierResolver, fulfillment: Fulfillment, order: Order, live: LiveOrders
) -> None:
    journal = FulfillmentJournal(fulfillment)
    tiktok_order = live.get(order.external_id)
    ref = f"shipment {fulfillment.external_id} of TikTok order {order.external_id}"
    if order.fulfillment_type == "platform" or (tiktok_order and is_fulfilled_by_tiktok(tiktok_order)):
        journal.skipped("Fulfilled by TikTok: TikTok ships this order, so nothing is pushed.")
        ctx.count("skipped_platform")
        return
    if not fulfillment.tracking_number:
        _fail(
            ctx,
            journal,
            "fulfillment.tracking_missing",
            f"{ref} has no tracking number, and TikTok takes no package without one. Enter the "
            "tracking number for these lines in TikTok Seller Center; this shipment is not sent again.",
        )
        return
    if tiktok_order is None:
        _fail(
            ctx,
            journal,
            "tiktok.order_not_found",
            f"TikTok does not return order {order.external_id} for this shop, so {ref} was not "
            "pushed. Check the order in Seller Center and the connection's shop.",
        )
        return
    if tiktok_order.status in ("UNPAID", "ON_HOLD"):
        ctx.count("on_hold")  # TikTok forbids shipping it yet; it is tried again on a later run
        return
    if tiktok_order.status == "CANCELLED":
        _fail(
            ctx,
            journal,
            "fulfillment.order_canceled",
            f"{ref} was not pushed: the order is canceled on TikTok. Stop the parcel if you still "
            "can, or arrange its return; check why SFCC shipped a canceled order.",
        )
        return
    package = shipped_package(fulfillment.lines, fulfillment.tracking_number, tiktok_order)
    if package is not None:
        _done(ctx, journal, order, tiktok_order, package, "already_on_tiktok")
        return
    choice = resolver.resolve(fulfillment.carrier, tiktok_order.delivery_option_id)
    if choice.provider_id is None:
        _fail(
            ctx,
            journal,
            CARRIER_UNSUPPORTED,
            f"TikTok would refuse the tracking of {ref}: {choice.problem}. "
            "Map the carrier to one of the offered providers, or enable the fallback carrier.",
            {"carrier": fulfillment.carrier, "delivery_option_id": tiktok_order.delivery_option_id},
        )
        return
    _send(ctx, journal, order, live, choice.provider_id)


def _send(
    ctx: FlowContext, journal: FulfillmentJournal, order: Order, live: LiveOrders, provider_id: str
) -> None:
    fulfillment = journal.fulfillment
    tracking = str(fulfillment.tracking_number)
    journal.sending()
    for _ in range(SEND_ATTEMPTS):
        tiktok_order = live[order.external_id]
        selection = select_lines(fulfillment.lines, tiktok_order)
        if not selection.complete:
            short = ", ".join(f"{units} x '{sku}'" for sku, units in sorted(selection.short.items()))
            _fail(
                ctx,
                journal,
                "tiktok.fulfillment_lines_unavailable",
                f"Shipment {fulfillment.external_id} of "
                f"TikTok order {order.external_id} was not pushed: TikTok has no open line left for "
                f"{short or 'its lines'} (already shipped or canceled there). Compare the order in Seller "
                "Center with the SFCC shipment.",
                {"short": selection.short},
            )
            return
        try:
            package_id = _ship(ctx, tiktok_order, selection.line_ids, tracking, provider_id)
        except AmbiguousWriteError:
            ctx.count("lost_answers")
            fresh = ctx.client.get_orders([order.external_id])
            if not fresh:
                break
            live[order.external_id] = fresh[0]
            package = shipped_package(fulfillment.lines, tracking, fresh[0])
            if package is not None:
                _done(ctx, journal, order, fresh[0], package, "confirmed_after_lost_answer")
                return
            continue  # nothing was created: sending again cannot duplicate it
        except TikTokError as error:
            if not is_record_failure(error):
                raise
            _fail(
                ctx,
                journal,
                "tiktok.fulfillment_rejected",
                f"TikTok refused shipment {fulfillment.external_id} of order {order.external_id}: "
                f"{error.message}. Fix the shipment or the order on TikTok; it is not sent again on "
                "its own.",
                fault_of(error),
            )
            return
        record_shipment(tiktok_order, selection.line_ids, package_id, tracking)
        _done(ctx, journal, order, tiktok_order, package_id, "pushed")
        return
    journal.unconfirmed(
        "TikTok's answer was lost and reading the order back did not settle it; checked again next run."
    )
    ctx.count("unconfirmed")


def _ship(ctx: FlowContext, order: TikTokOrder, line_ids: list[str], tracking: str, provider_id: str) -> str:
    """One package for ``line_ids``: ship TikTok's waiting package, or mark the lines shipped."""
    waiting = waiting_package(order, line_ids)
    if waiting is not None:
        ctx.client.ship_package(waiting, tracking_number=tracking, shipping_provider_id=provider_id)
        return waiting
    result = ctx.client.mark_package_shipped(
        order.id, tracking_number=tracking, shipping_provider_id=provider_id, order_line_item_ids=line_ids
    )
    return str(result.package_id)


def _done(
    ctx: FlowContext,
    journal: FulfillmentJournal,
    order: Order,
    tiktok_order: TikTokOrder,
    package_id: str,
    key: str,
) -> None:
    journal.pushed(package_id, ctx.now)
    if order.status != "canceled":
        order.status = "fulfilled" if fully_shipped(tiktok_order) else "partialFulfillment"
    ctx.count(key)


def _fail(
    ctx: FlowContext, journal: FulfillmentJournal, code: str, message: str, fault: object = None
) -> None:
    journal.failed(message)
    ctx.exceptions.observe(
        code=code,
        category="fulfillment",
        entity_type="fulfillment",
        entity_id=journal.fulfillment.external_id,
        message=message,
        fault=fault,
    )
    ctx.count("failed")
