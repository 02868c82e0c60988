"""A warehouse shipping part of an order: some units move out of a shipment into a new one.

SFCC records a partial shipment as an order with several shipments, some shipped and some not
(order ``shipping_status`` ``part_shipped``); each product item belongs to one shipment. The
sandbox's ship call takes ``product_items`` to make such an order from one placed with a single
shipment, as an order management system or a warehouse integration would.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from connectors.sfcc.sandbox.state import SandboxState


class SplitError(ValueError):
    """The requested units are not in the source shipment; the message says which."""


def split_shipment(
    state: SandboxState,
    order: dict[str, Any],
    source_id: str,
    new_id: str,
    wanted: list[dict[str, Any]],
) -> dict[str, Any]:
    """Move ``wanted`` (``[{"product_id", "quantity"}]``) from shipment ``source_id`` into a new
    shipment ``new_id`` with the same address and method; returns the new shipment."""
    shipments: list[dict[str, Any]] = order["shipments"]
    if any(s["shipment_id"] == new_id for s in shipments):
        raise SplitError(f"order {order['order_no']} already has a shipment '{new_id}'")
    source = next((s for s in shipments if s["shipment_id"] == source_id), None)
    if source is None:
        raise SplitError(f"no shipment '{source_id}' in order {order['order_no']}")
    moves = [(str(w.get("product_id")), Decimal(str(w.get("quantity", 1)))) for w in wanted]
    for product_id, quantity in moves:
        held = sum(
            (
                Decimal(str(i["quantity"]))
                for i in order["product_items"]
                if i["product_id"] == product_id and i.get("shipment_id", "me") == source_id
            ),
            Decimal(0),
        )
        if quantity <= 0 or quantity > held:
            raise SplitError(
                f"shipment '{source_id}' of order {order['order_no']} holds {held} of '{product_id}', "
                f"so {quantity} cannot be shipped from it"
            )
    for product_id, quantity in moves:
        _move(state, order, source_id, new_id, product_id, quantity)
    shipment = {
        k: copy.deepcopy(v) for k, v in source.items() if k != "tracking_number" and not k.startswith("c_")
    }
    shipment.update(shipment_id=new_id, shipping_status="not_shipped")
    shipments.append(shipment)
    return shipment


def _move(
    state: SandboxState,
    order: dict[str, Any],
    source_id: str,
    new_id: str,
    product_id: str,
    quantity: Decimal,
) -> None:
    left = quantity
    for item in list(order["product_items"]):
        if left <= 0:
            return
        if item["product_id"] != product_id or item.get("shipment_id", "me") != source_id:
            continue
        have = Decimal(str(item["quantity"]))
        if have <= left:
            item["shipment_id"] = new_id
            left -= have
            continue
        # Part of this item ships: it splits into two items, as SFCC keeps one shipment per item.
        moved = copy.deepcopy(item)
        base = Decimal(str(item.get("base_price", 0)))
        moved.update(item_id=state.next_id("it"), quantity=left, shipment_id=new_id, price=base * left)
        item.update(quantity=have - left, price=base * (have - left))
        order["product_items"].append(moved)
        left = Decimal(0)


def shipping_status(order: dict[str, Any]) -> str:
    """The order's status from its shipments that carry items: shipped, part_shipped, not_shipped."""
    with_items = {i.get("shipment_id", "me") for i in order["product_items"]}
    statuses = [
        s.get("shipping_status") == "shipped" for s in order["shipments"] if s["shipment_id"] in with_items
    ]
    if statuses and all(statuses):
        return "shipped"
    return "part_shipped" if any(statuses) else "not_shipped"
