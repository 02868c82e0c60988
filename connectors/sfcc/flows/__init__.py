"""The flows the daemon runs for an SFCC connection."""

from __future__ import annotations

from datetime import timedelta

from connectors.engine.registry import FlowSpec
from connectors.sfcc.flows.pull_fulfillments import pull_fulfillments
from connectors.sfcc.flows.pull_inventory import pull_inventory
from connectors.sfcc.flows.push_orders import push_orders

FLOWS = (
    FlowSpec(
        "push_orders",
        "push",
        timedelta(seconds=30),
        push_orders,
        enabled_setting="push_orders",
        description="TikTok orders -> SFCC orders (and cancellations)",
    ),
    FlowSpec(
        "pull_fulfillments",
        "pull",
        timedelta(minutes=2),
        pull_fulfillments,
        enabled_setting="pull_fulfillments",
        description="SFCC shipments -> fulfillments for TikTok",
    ),
    FlowSpec(
        "pull_inventory",
        "pull",
        timedelta(minutes=10),
        pull_inventory,
        enabled_setting="pull_inventory",
        description="SFCC inventory lists -> locations and inventory levels",
    ),
)
