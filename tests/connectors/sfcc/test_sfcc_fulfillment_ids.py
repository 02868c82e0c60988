"""Every SFCC shipment becomes its own fulfillment, though each order's first shipment is "me".

SFCC names the default shipment of every basket, and so of every order, ``me``: a shipment id is
unique only within its order. Keyed by the shipment id alone, the second order's shipment would be
taken for the first order's and never reach TikTok.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from sfcc_helpers import add_store_order, create_app_for, run_flow
from sqlalchemy import select

from connectors.sfcc.order_mapping import order_number_for
from store.models import Fulfillment, Order


def test_shipments_of_two_orders_become_two_fulfillments(
    database_url: str, sandbox_url: str, admin: httpx.Client, tmp_path: Path
) -> None:
    app = create_app_for(tmp_path, database_url, sandbox_url)
    try:
        with app.session_factory.begin() as session:
            add_store_order(session, "1101")
            add_store_order(session, "1102")
        run_flow(app, "push_orders")
        for tiktok_id, tracking in (("1101", "1Z0000000000001101"), ("1102", "1Z0000000000001102")):
            shipped = admin.post(
                f"/_sandbox/orders/{order_number_for(tiktok_id)}/ship",
                json={"tracking_number": tracking, "c_carrier": "UPS"},
            )
            assert shipped.status_code == 200, shipped.text
        run_flow(app, "pull_fulfillments")
        run_flow(app, "pull_fulfillments")  # re-reading the same shipments adds nothing
        with app.session_factory() as session:
            rows = session.execute(
                select(Order.external_id, Fulfillment.tracking_number, Fulfillment.external_id).join(
                    Order, Order.id == Fulfillment.order_id
                )
            ).all()
    finally:
        app.close()
    assert sorted((order, tracking) for order, tracking, _ in rows) == [
        ("1101", "1Z0000000000001101"),
        ("1102", "1Z0000000000001102"),
    ]
    assert len({external_id for _, _, external_id in rows}) == 2
