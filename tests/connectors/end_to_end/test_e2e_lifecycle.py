"""Issue 3's lifecycle through to SFCC, for what tests/connectors/tiktok/test_tiktok_flows.py leaves
out: the shipping statuses, TikTok's own ON_HOLD window ending, a modification inside the hold, a
cancellation inside the hold, an FBT order and a multi-unit line; only ready orders reach SFCC."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.engine.clock import FrozenClock
from connectors.tiktok.sandbox import Sandbox
from store.models import Order, OrderLine
from tests.connectors.end_to_end.world import run, sfcc_orders, tiktok_order


def _store(app: DaemonApp) -> dict[str, tuple[str, dict[str, tuple[int, int]]]]:
    """TikTok id -> (status, {sku: (quantity, TikTok line ids)})."""
    with app.session_factory() as session:
        result = {}
        for order in session.scalars(select(Order)):
            lines = session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
            result[order.external_id] = (
                order.status,
                {line.sku: (line.quantity, len(line.external_line_ids)) for line in lines},
            )
        return result


def test_orders_in_every_status_land_with_their_lifecycle_and_only_ready_ones_reach_sfcc(
    order_goods: DaemonApp, sandbox: Sandbox, sfcc_url: str, clock: FrozenClock
) -> None:
    app = order_goods
    now = int(clock.now().timestamp())
    earlier, recent = now - 7200, now - 600
    state = sandbox.state
    for order_id, status in [
        ("301", "PARTIALLY_SHIPPING"),
        ("302", "AWAITING_COLLECTION"),
        ("303", "IN_TRANSIT"),
        ("304", "COMPLETED"),
    ]:
        state.put_order(tiktok_order(order_id, status=status, create_time=earlier, units=[1, 1, 0]))
    state.put_order(tiktok_order("305", status="ON_HOLD", create_time=recent, units=[0, 1, 0]))
    state.put_order(tiktok_order("306", status="AWAITING_SHIPMENT", create_time=recent, units=[1, 0, 0]))
    state.put_order(
        tiktok_order(
            "307",
            status="AWAITING_COLLECTION",
            create_time=earlier,
            units=[0, 0, 3],
            fulfillment_type="FULFILLMENT_BY_TIKTOK",
        )
    )
    state.put_order(tiktok_order("308", status="AWAITING_SHIPMENT", create_time=earlier, units=[3, 0, 0]))
    state.put_order(tiktok_order("309", status="AWAITING_SHIPMENT", create_time=recent, units=[0, 1, 0]))
    run(app, "tt:pull_orders")
    stored = _store(app)
    assert {k: v[0] for k, v in stored.items()} == {
        "301": "partialFulfillment",
        "302": "fulfilled",
        "303": "fulfilled",
        "304": "fulfilled",
        "305": "onHold",  # TikTok's ON_HOLD
        "306": "onHold",  # inside Shopwright's 60-minute edit window
        "307": "fulfilled",  # fulfilled by TikTok
        "308": "readyForFulfillment",
        "309": "onHold",
    }
    assert stored["308"][1] == {"SHIRT-M": (3, 3)}  # three one-unit TikTok lines, one store line
    assert stored["307"][1] == {"TOTE": (3, 3)}
    assert run(app, "sf:push_orders")["created"] == 1
    assert set(sfcc_orders(sfcc_url)) == {"TT308"}
    assert [(i["product_id"], i["quantity"]) for i in sfcc_orders(sfcc_url)["TT308"]["product_items"]] == [
        ("SHIRT-M", 3)
    ]

    # Inside the hold, the buyer of 306 adds a large shirt and moves the delivery to Texas, and the
    # buyer of 309 cancels.
    clock.advance(timedelta(minutes=5))
    modified = tiktok_order(
        "306", status="AWAITING_SHIPMENT", create_time=recent, units=[1, 1, 0], state="Texas"
    )
    modified["update_time"] = int(clock.now().timestamp())
    state.put_order(modified)
    cancelled = tiktok_order("309", status="CANCELLED", create_time=recent, units=[0, 1, 0])
    cancelled["update_time"] = int(clock.now().timestamp())
    state.put_order(cancelled)
    run(app, "tt:pull_orders")
    stored = _store(app)
    assert stored["306"] == ("onHold", {"SHIRT-M": (1, 1), "SHIRT-L": (1, 1)})
    assert stored["309"][0] == "canceled"

    # An hour after payment TikTok releases 305 and Shopwright's own hold ends: both go to SFCC,
    # 306 as modified; the cancelled 309 never goes.
    clock.advance(timedelta(minutes=56))
    run(app, "tt:pull_orders")
    assert {k: v[0] for k, v in _store(app).items() if k in ("305", "306", "309")} == {
        "305": "readyForFulfillment",
        "306": "readyForFulfillment",
        "309": "canceled",
    }
    with app.session_factory() as session:
        released = session.scalars(select(Order).where(Order.external_id == "305")).one()
        assert released.channel_status == "AWAITING_SHIPMENT" and released.shipping_address is not None
    run(app, "sf:push_orders")
    orders = sfcc_orders(sfcc_url)
    assert set(orders) == {"TT305", "TT306", "TT308"}
    assert sorted((i["product_id"], i["quantity"]) for i in orders["TT306"]["product_items"]) == [
        ("SHIRT-L", 1),
        ("SHIRT-M", 1),
    ]
    assert orders["TT306"]["shipments"][0]["shipping_address"]["state_code"] == "TX"
