"""The flows the daemon runs for an SFCC connection."""

from __future__ import annotations

from datetime import timedelta

from connectors.engine.registry import FlowSpec
from connectors.sfcc.flows.failures import reports_sfcc_errors
from connectors.sfcc.flows.pull_fulfillments import pull_fulfillments
from connectors.sfcc.flows.pull_inventory import pull_inventory
from connectors.sfcc.flows.pull_products import pull_products
from connectors.sfcc.flows.pull_shipping_requests import pull_shipping_requests
from connectors.sfcc.flows.push_orders import push_orders

FLOWS = (
    FlowSpec(
        "push_orders",
        "push",
        timedelta(seconds=30),
        reports_sfcc_errors(push_orders),
        enabled_setting="push_orders",
        description="TikTok orders -> SFCC orders (and cancellations)",
    ),
    FlowSpec(
        "pull_fulfillments",
        "pull",
        timedelta(minutes=2),
        reports_sfcc_errors(pull_fulfillments),
        enabled_setting="pull_fulfillments",
        description="SFCC shipments -> fulfillments for TikTok",
    ),
    FlowSpec(
        "pull_inventory",
        "pull",
        timedelta(minutes=10),
        reports_sfcc_errors(pull_inventory),
        enabled_setting="pull_inventory",
        description="SFCC inventory lists -> locations and inventory levels",
    ),
    FlowSpec(
        "pull_products",
        "pull",
        timedelta(minutes=15),
        reports_sfcc_errors(pull_products),
        enabled_setting="pull_product_catalog",
        description="SFCC catalog (masters and variants) -> products, matched by master SKU",
    ),
    FlowSpec(
        "pull_shipping_requests",
        "pull",
        timedelta(minutes=5),
        reports_sfcc_errors(pull_shipping_requests),
        enabled_setting="pull_shipping_requests",
        description="SFCC orders waiting to ship -> shipping requests",
    ),
)
