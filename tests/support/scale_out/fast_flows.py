"""Daemon plugin for the scale-out scenario: the built-in connector types on a compressed schedule.

Flow intervals are written for production (pull orders every minute, fulfillments every two), which
would make a scenario of a few minutes mostly waiting. This plugin re-exports the built-in
``tiktok`` and ``sfcc`` connector types unchanged except for the intervals of the four flows an
order travels through, which become ``SCALE_OUT_FLOW_SECONDS`` seconds (default 2). Plugins are
looked up before the built-ins, so a configuration with ``plugins = ["scale_out.fast_flows"]`` runs
the real flows, clients and settings on the shorter schedule.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta

from connectors.types import ConnectorType, load_connector_type

INTERVAL_ENV = "SCALE_OUT_FLOW_SECONDS"
COMPRESSED_TYPES = ("tiktok", "sfcc")
ORDER_PATH_FLOWS = frozenset({"pull_orders", "push_orders", "pull_fulfillments", "push_fulfillments"})


def compressed(type_name: str, seconds: float) -> ConnectorType:
    """The built-in connector type ``type_name`` with its order-path flows due every ``seconds``."""
    builtin = load_connector_type(type_name)
    interval = timedelta(seconds=seconds)
    flows = tuple(
        dataclasses.replace(flow, interval=interval) if flow.name in ORDER_PATH_FLOWS else flow
        for flow in builtin.flows
    )
    return dataclasses.replace(builtin, flows=flows)


def __getattr__(name: str) -> object:
    # Built on first access rather than at import, so importing this module has no side effects
    # and the built-in flow lists are read as they are when the daemon loads its configuration.
    if name == "CONNECTOR_TYPES":
        seconds = float(os.environ.get(INTERVAL_ENV, "2"))
        return tuple(compressed(type_name, seconds) for type_name in COMPRESSED_TYPES)
    raise AttributeError(name)
