"""The flows the daemon runs for a TikTok Shop connection."""

from __future__ import annotations

from datetime import timedelta

from connectors.engine.registry import FlowSpec
from connectors.tiktok.flows.catalog_flows import CATALOG_FLOWS
from connectors.tiktok.flows.propose_attributes import PROPOSE_ATTRIBUTES
from connectors.tiktok.flows.pull_after_sales import pull_after_sales
from connectors.tiktok.flows.pull_locations import pull_locations
from connectors.tiktok.flows.pull_orders import pull_orders
from connectors.tiktok.flows.pull_statements import pull_statements
from connectors.tiktok.flows.push_fulfillments import push_fulfillments
from connectors.tiktok.flows.push_inventory import push_inventory

FLOWS = (
    FlowSpec(
        "pull_orders",
        "pull",
        timedelta(minutes=1),
        pull_orders,
        description="TikTok orders (by update_time) -> store, and hold releases",
    ),
    FlowSpec(
        "pull_locations",
        "pull",
        timedelta(hours=1),
        pull_locations,
        description="TikTok warehouses (sales and return) -> locations, default marked",
    ),
    FlowSpec(
        "push_inventory",
        "push",
        timedelta(minutes=5),
        push_inventory,
        enabled_setting="push_inventory",
        description="store stock (on hand - committed - buffer) -> TikTok quantities that changed",
    ),
    FlowSpec(
        "push_fulfillments",
        "push",
        timedelta(minutes=1),
        push_fulfillments,
        enabled_setting="push_fulfillments",
        description="fulfillments (SFCC shipments) -> TikTok packages with tracking, each once",
    ),
    FlowSpec(
        "pull_after_sales",
        "pull",
        timedelta(minutes=5),
        pull_after_sales,
        enabled_setting="pull_after_sales",
        description="TikTok cancellations, returns and refunds (by update_time) -> store",
    ),
    FlowSpec(
        "pull_statements",
        "pull",
        timedelta(hours=6),
        pull_statements,
        enabled_setting="pull_statements",
        description="TikTok settlement statements (by statement_time) -> store",
    ),
    *CATALOG_FLOWS,
    PROPOSE_ATTRIBUTES,
)
