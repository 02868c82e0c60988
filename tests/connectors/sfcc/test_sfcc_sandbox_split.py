"""The SFCC sandbox's partial shipment: units move into a new shipment, the order is part_shipped."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from connectors.sfcc.sandbox.app import default_seed
from connectors.sfcc.sandbox.shipment_split import SplitError, shipping_status, split_shipment
from connectors.sfcc.sandbox.state import SandboxState


def _order() -> dict[str, Any]:
    item = {"item_id": "it1", "product_id": "SHIRT-M", "quantity": Decimal(2), "base_price": Decimal("24.50")}
    return {
        "order_no": "TT1",
        "shipments": [{"shipment_id": "me", "shipping_method": {"id": "001"}, "tracking_number": "OLD"}],
        "product_items": [
            {**item, "price": Decimal("49.00"), "shipment_id": "me"},
            {
                "item_id": "it2",
                "product_id": "TOTE",
                "quantity": Decimal(1),
                "base_price": Decimal(12),
                "shipment_id": "me",
            },
        ],
    }


def test_split_moves_units_and_keeps_the_rest_behind() -> None:
    state, order = SandboxState.from_seed(default_seed()), _order()
    shipment = split_shipment(state, order, "me", "part-1", [{"product_id": "SHIRT-M", "quantity": 1}])
    assert shipment == {
        "shipment_id": "part-1",
        "shipping_method": {"id": "001"},
        "shipping_status": "not_shipped",
    }
    by_shipment = sorted(
        (i["shipment_id"], i["product_id"], i["quantity"], i.get("price")) for i in order["product_items"]
    )
    assert by_shipment == [
        ("me", "SHIRT-M", Decimal(1), Decimal("24.50")),
        ("me", "TOTE", Decimal(1), None),
        ("part-1", "SHIRT-M", Decimal(1), Decimal("24.50")),
    ]
    assert len({i["item_id"] for i in order["product_items"]}) == 3
    shipment["shipping_status"] = "shipped"
    assert shipping_status(order) == "part_shipped"
    order["shipments"][0]["shipping_status"] = "shipped"
    assert shipping_status(order) == "shipped"


def test_split_refuses_units_the_shipment_does_not_hold() -> None:
    state, order = SandboxState.from_seed(default_seed()), _order()
    with pytest.raises(SplitError, match="holds 2 of 'SHIRT-M'"):
        split_shipment(state, order, "me", "part-1", [{"product_id": "SHIRT-M", "quantity": 3}])
    with pytest.raises(SplitError, match="already has a shipment 'me'"):
        split_shipment(state, order, "me", "me", [{"product_id": "TOTE", "quantity": 1}])
    assert len(order["product_items"]) == 2 and len(order["shipments"]) == 1  # nothing half done
