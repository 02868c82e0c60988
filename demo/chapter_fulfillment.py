"""The afternoon: the warehouse ships, fulfillments and stock flow back to TikTok, and a status check."""

from __future__ import annotations

from sqlalchemy import func, select

from demo.capabilities import first_flow, flows_of
from demo.checks import fulfillment_codes, sfcc_number
from demo.commands import run_cli
from demo.configuration import SFCC, TIKTOK
from demo.context import DemoRun
from demo.orders import UNSUPPORTED_CARRIER
from demo.sfcc_wire import SITE_LIST
from store.models import Fulfillment, InventoryLevel, Location

FULFILLMENT_PUSH = ("push_fulfillments",)
INVENTORY_PUSH = ("push_inventory",)


def tracking_number(order_id: str, carrier: str) -> str:
    """A tracking number in the carrier's own format."""
    digits = order_id[-10:]
    return {
        "USPS": f"9400111{digits}{order_id[-5:]}",
        "UPS": f"1Z999AA1{digits}",
        "FedEx": f"7{digits}9",
    }.get(carrier, f"GM{digits}{order_id[-6:]}")


def _once(run: DemoRun, flow: str) -> None:
    """Run one flow now and again while it has work left (``sync_daemon.py once --flow`` each time)."""
    run.reporter.say(f"daemon: once --flow {flow}")
    run.the_daemon().run_until_settled(run.reporter, only=[flow])


def warehouse_ships(run: DemoRun) -> None:
    """SFCC marks orders shipped; the fulfillment pull brings them into the store, then to TikTok."""
    world = run.the_world()
    shipped = [order for order in world.orders if order.ship_with]
    for order in shipped:
        assert order.ship_with is not None
        run.sfcc.ship(sfcc_number(order), tracking_number(order.order_id, order.ship_with), order.ship_with)
    carriers = sorted({order.ship_with or "" for order in shipped})
    run.reporter.say(f"The warehouse ships {len(shipped)} orders in SFCC ({', '.join(carriers)}).")
    _once(run, f"{SFCC}:pull_fulfillments")
    sessions = run.the_daemon().app.session_factory
    with sessions() as session:
        pulled = session.scalar(select(func.count(Fulfillment.id))) or 0
    run.reporter.check(
        "shipments pulled from SFCC into the store", pulled == len(shipped), f"{pulled} fulfillments"
    )
    push = first_flow("tiktok", FULFILLMENT_PUSH)
    if push is None:
        run.reporter.missing(
            "fulfillments pushed to TikTok",
            f"the TikTok connector has no fulfillment push flow (its flows: {', '.join(flows_of('tiktok'))})",
        )
        return
    _once(run, f"{TIKTOK}:{push}")
    state = run.tiktok.state()
    shipped_ids = {str(entry.get("order_id")) for entry in state.get("shipments", [])}
    supported = [o for o in shipped if o.ship_with != UNSUPPORTED_CARRIER]
    absent = [o.order_id for o in supported if o.order_id not in shipped_ids]
    run.reporter.check(
        "tracking reached TikTok for every supported carrier", not absent, ", ".join(absent[:3])
    )
    codes = fulfillment_codes(sessions)
    unsupported = [o for o in shipped if o.ship_with == UNSUPPORTED_CARRIER]
    code = "tiktok.carrier_unsupported"
    wrong = [o.order_id for o in unsupported if code not in codes.get(o.order_id, set())]
    run.reporter.check(f"{UNSUPPORTED_CARRIER} shipments held back as {code}", not wrong, ", ".join(wrong))


def stock_flows_back(run: DemoRun) -> None:
    """SFCC's inventory lists become locations and levels; the inventory push updates TikTok."""
    world = run.the_world()
    _once(run, f"{SFCC}:pull_inventory")
    sessions = run.the_daemon().app.session_factory
    with sessions() as session:
        levels = {
            sku: available
            for sku, available in session.execute(
                select(InventoryLevel.sku, InventoryLevel.available)
                .join(Location, Location.id == InventoryLevel.location_id)
                .where(Location.external_id == SITE_LIST)
            )
        }
    run.reporter.check(
        "SFCC web-store stock in the store for every product",
        len(levels) == len(world.catalog.products),
        f"{len(levels)} levels at {SITE_LIST}",
    )
    zero = [p.sku for p in world.catalog.products if p.stock == 0 and levels.get(p.sku) != 0]
    run.reporter.check("sold-out products show 0 available", not zero, ", ".join(zero))
    push = first_flow("tiktok", INVENTORY_PUSH)
    if push is None:
        run.reporter.missing(
            "inventory pushed to TikTok",
            f"the TikTok connector has no inventory push flow (its flows: {', '.join(flows_of('tiktok'))})",
        )
        return
    _once(run, f"{TIKTOK}:{push}")
    state = run.tiktok.state()
    updates = state.get("inventory_updates") or []
    run.reporter.check("TikTok received inventory updates", bool(updates), f"{len(updates)} SKU updates")


def status_and_doctor(run: DemoRun) -> None:
    """``sync_daemon.py status`` and ``doctor``, the two commands an operator looks at first."""
    code, output = run_cli(run.reporter, ["status"], run.environment)
    names = [f"{TIKTOK}", f"{SFCC}"]
    run.reporter.check("status lists both connections' flows", code == 0 and all(n in output for n in names))
    code, output = run_cli(run.reporter, ["doctor"], run.environment)
    run.reporter.check("doctor passes", code == 0, output.splitlines()[-1] if output else "no output")
