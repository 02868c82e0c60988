"""What this build of Shopwright can do, read from its own registries rather than assumed.

The demo tells a part of the story only when the code for it exists: a flow registered by a
connector type, a command of ``sync_daemon.py``, a tool of the agent. Anything else is reported
as missing. The command lines are read from their own argument parsers (private to those scripts,
which have no other way to list what they accept).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import sync_daemon
from connectors.types import load_connector_type
from tools import TOOLS


def flows_of(connector_type: str) -> list[str]:
    """Names of the flows a connector type registers."""
    return [spec.name for spec in load_connector_type(connector_type).flows]


def first_flow(connector_type: str, candidates: Sequence[str]) -> str | None:
    """The first of ``candidates`` that the connector type registers."""
    names = set(flows_of(connector_type))
    return next((name for name in candidates if name in names), None)


def cli_commands() -> set[str]:
    """Subcommands of ``sync_daemon.py``."""
    parser = sync_daemon._parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def console_flags() -> set[str]:
    """Option strings ``bot.py`` accepts (its console's ``--strict`` came later than the rest)."""
    import bot

    return {flag for action in bot._parser()._actions for flag in action.option_strings}


def has_tool(name: str) -> bool:
    """True when the agent can call tool ``name``."""
    return name in TOOLS
