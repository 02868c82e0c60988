"""The flows the daemon runs for a TikTok Shop connection."""

from __future__ import annotations

from datetime import timedelta

from connectors.engine.registry import FlowSpec
from connectors.tiktok.flows.pull_orders import pull_orders

FLOWS = (
    FlowSpec(
        "pull_orders",
        "pull",
        timedelta(minutes=1),
        pull_orders,
        description="TikTok orders (by update_time) -> store, and hold releases",
    ),
)
