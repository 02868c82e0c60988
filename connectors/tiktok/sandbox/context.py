"""What an Open API route receives, and how routes are declared."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectors.tiktok.sandbox.checks import Caller
from connectors.tiktok.sandbox.state import SandboxState


@dataclass
class ApiContext:
    """One verified call: the caller, decoded query, JSON body and path parameters."""

    state: SandboxState
    caller: Caller
    method: str
    query: dict[str, str]
    body: dict[str, Any]
    path_params: dict[str, str]

    @property
    def shop_id(self) -> str | None:
        return self.caller.shop["id"] if self.caller.shop else None


Handler = Callable[[ApiContext], Any]


@dataclass(frozen=True)
class Route:
    """An Open API endpoint: method, Starlette path template, and a sync handler returning ``data``."""

    method: str
    path: str
    handler: Handler
