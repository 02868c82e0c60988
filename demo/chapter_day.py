"""The day: the first sync, buyers changing their minds, and the hour after which holds end."""

from __future__ import annotations

from demo.capabilities import first_flow
from demo.chapter_setup import BACKDATE_SECONDS
from demo.checks import describe, mismatches, planned_quantities, sfcc_number, sfcc_quantities, stored_orders
from demo.commands import run_daemon_until_settled
from demo.configuration import SFCC, TIKTOK
from demo.context import DemoRun
from demo.orders import PlannedOrder
from demo.scenarios import SCENARIOS
from demo.tiktok_orders import address_changed, cancellation, unit_removed

CATALOG_PULL = ("pull_products", "pull_catalog", "pull_product_catalog")
HELD_AT_FIRST = (
    "ready_recent",
    "address_changed",
    "on_hold",
    "on_hold_modified",
    "on_hold_cancelled",
    "unpaid",
)
NEVER_PUSHED = (
    "cancelled",
    "partially_shipping",
    "awaiting_collection",
    "in_transit",
    "delivered",
    "completed",
    "fbt",
)


def _expect(run: DemoRun, label: str, orders: list[PlannedOrder], want: str) -> None:
    stored = stored_orders(run.the_daemon().app.session_factory)
    wrong = mismatches(orders, stored, want)
    run.reporter.check(label, not wrong, describe(wrong, stored) if wrong else f"{len(orders)} orders")


def first_sync(run: DemoRun) -> None:
    """Every flow runs until nothing is due: orders in, ready orders out to SFCC, failures recorded."""
    world = run.the_world()
    daemon = run.the_daemon()
    catalog_pull = first_flow("sfcc", CATALOG_PULL)
    if catalog_pull is not None:
        run.reporter.say("A new seller's first run starts with the catalog, then every flow runs.")
        daemon.run_until_settled(run.reporter, only=[f"{SFCC}:{catalog_pull}"])
    daemon.run_until_settled(run.reporter)
    stored = stored_orders(daemon.app.session_factory)
    run.reporter.check(
        "every TikTok order is in the store", len(stored) == len(world.orders), f"{len(stored)} orders"
    )
    _expect(
        run,
        "ready orders created in SFCC",
        world.scenario("ready") + world.scenario("cancel_after_push"),
        "created",
    )
    held = [order for name in HELD_AT_FIRST for order in world.scenario(name)]
    _expect(run, "unpaid, on-hold and just-paid orders held", held, "held")
    never = [order for name in NEVER_PUSHED for order in world.scenario(name)]
    _expect(run, "canceled, shipped and Fulfilled-by-TikTok orders not pushed", never, "not_pushed")
    catalog_in_store = first_flow("sfcc", CATALOG_PULL) is not None
    for scenario in SCENARIOS:
        if not scenario.exception_code:
            continue
        orders = world.scenario(scenario.name)
        code = scenario.exception_code
        if code == "sku.unmapped" and not catalog_in_store:
            run.reporter.missing(
                f"{scenario.name}: {code}",
                "master products reach the store only through an SFCC catalog pull, which this build lacks; "
                "SFCC rejects these orders instead (sfcc.product_unavailable)",
            )
            code = "sfcc.product_unavailable"
        _expect(run, f"{scenario.name}: {code} open on each order", orders, code)
    in_sfcc = {document["order_no"] for document in run.sfcc.orders()}
    leaked = [o.order_id for o in held + never if sfcc_number(o) in in_sfcc]
    run.reporter.check("SFCC has none of the held or never-pushed orders", not leaked, ", ".join(leaked[:3]))


def buyers_change_their_minds(run: DemoRun) -> None:
    """Cancellations and edits on TikTok, picked up by the next pull and propagated to SFCC."""
    world = run.the_world()
    tiktok = run.tiktok
    now = tiktok.now()
    for order in world.scenario("cancel_after_push") + world.scenario("on_hold_cancelled"):
        tiktok.edit_order(order.order_id, cancellation(now))
    for order in world.scenario("on_hold_modified"):
        tiktok.edit_order(order.order_id, unit_removed(tiktok.order(order.order_id), now))
    for order in world.scenario("address_changed"):
        assert order.new_buyer is not None
        tiktok.edit_order(order.order_id, address_changed(order.new_buyer, now))
    run.reporter.say(
        f"On TikTok: {len(world.scenario('cancel_after_push'))} orders already in SFCC and "
        f"{len(world.scenario('on_hold_cancelled'))} on hold are canceled; "
        f"{len(world.scenario('on_hold_modified'))} buyers remove a unit; "
        f"{len(world.scenario('address_changed'))} change the address."
    )
    run.the_daemon().run_until_settled(run.reporter, only=[f"{TIKTOK}:pull_orders", f"{SFCC}:push_orders"])
    _expect(run, "cancellations reached SFCC", world.scenario("cancel_after_push"), "canceled")
    canceled = [run.sfcc.order(sfcc_number(o)) or {} for o in world.scenario("cancel_after_push")]
    run.reporter.check(
        "SFCC orders of canceled TikTok orders are cancelled",
        all(document.get("status") == "cancelled" for document in canceled),
        ", ".join(str(document.get("status")) for document in canceled[:3]),
    )


def hold_window_passes(run: DemoRun) -> None:
    """Both clocks move an hour forward, to the present; ``sync_daemon.py once`` takes over."""
    world = run.the_world()
    run.tiktok.advance_clock(BACKDATE_SECONDS)
    run.clock.advance(BACKDATE_SECONDS)
    run.reporter.say(
        "An hour later, in the present: TikTok releases its ON_HOLD orders and Shopwright's own hold "
        "ends. From here the daemon runs as its own process."
    )
    run_daemon_until_settled(run.reporter, run.environment, run.the_daemon())
    released = [
        o
        for name in ("ready_recent", "address_changed", "on_hold", "on_hold_modified")
        for o in world.scenario(name)
    ]
    _expect(run, "held orders released and created in SFCC", released, "created")
    _expect(run, "unpaid orders still held", world.scenario("unpaid"), "held")
    gone = [o.order_id for o in world.scenario("on_hold_cancelled") if run.sfcc.order(sfcc_number(o))]
    run.reporter.check("orders canceled during the hold never reached SFCC", not gone, ", ".join(gone))
    modified = world.scenario("on_hold_modified")
    wrong = [
        o.order_id
        for o in modified
        if sfcc_quantities(run.sfcc.order(sfcc_number(o)) or {}) != planned_quantities(o, removed_units=1)
    ]
    run.reporter.check(
        "modified orders reached SFCC as modified (one unit less)", not wrong, ", ".join(wrong)
    )
    moved = []
    for order in world.scenario("address_changed"):
        document = run.sfcc.order(sfcc_number(order)) or {}
        shipments = document.get("shipments") or [{}]
        address = shipments[0].get("shipping_address") or {}
        if order.new_buyer is None or address.get("address1") != order.new_buyer.street:
            moved.append(order.order_id)
    run.reporter.check("changed addresses reached SFCC", not moved, ", ".join(moved))
