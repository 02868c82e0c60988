"""What the graph's nodes need: the model backend, the tools, the store, the clock and limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from agent.backends.base import ModelBackend
from agent.toolset import ToolSet
from connectors.engine.clock import Clock


@dataclass(frozen=True)
class Limits:
    """Bounds on one turn (from a person's message to the answer), so a loop cannot run away.

    ``max_writes_per_turn`` caps how many write proposals one turn may raise: a request (or
    injected text) asking to change "every SKU" yields at most this many approval cards.
    """

    max_steps: int = 8
    max_tokens: int = 24_000
    max_writes_per_turn: int = 3
    max_tool_output_chars: int = 12_000


@dataclass(frozen=True)
class AgentContext:
    """Everything the nodes use; built once by the entry point and passed to ``build_graph``."""

    backend: ModelBackend
    toolset: ToolSet
    session_factory: sessionmaker[Session]
    clock: Clock
    approvers: tuple[str, ...] = ()
    approval_ttl_minutes: int = 24 * 60
    limits: Limits = field(default_factory=Limits)
    config: Any = None  # connectors.config.ShopwrightConfig, handed to tools as-is
