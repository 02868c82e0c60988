"""The flow registry: which flows exist, for which connection, how often, and when enabled."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel
from sqlalchemy.orm import Session

from connectors.engine.clock import Clock

if TYPE_CHECKING:
    from store.models import Connection
    from store.repositories import ExceptionTracker

Direction = Literal["pull", "push", "internal"]


@dataclass
class FlowContext:
    """What one run of a flow gets: (client, session, cursor, settings, clock) and its bookkeeping.

    ``session`` is inside the run's transaction: everything the flow writes, and the cursor it
    returns, commit together or not at all. ``now`` is the run's start time on ``clock``.
    """

    client: Any
    session: Session
    cursor: Any
    settings: BaseModel
    clock: Clock
    now: datetime
    connection: Connection
    exceptions: ExceptionTracker
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, amount: int = 1) -> None:
        """Add to the run's record counts (shown in status, FlowRun and metrics)."""
        self.counts[key] = self.counts.get(key, 0) + amount


@dataclass(frozen=True)
class FlowResult:
    """What a run hands back: the new cursor, and whether more work is waiting right now."""

    cursor: Any = None
    more: bool = False


class FlowFunction(Protocol):
    def __call__(self, ctx: FlowContext) -> FlowResult: ...


@dataclass(frozen=True)
class FlowSpec:
    """The declaration of one flow of a connector type."""

    name: str
    direction: Direction
    interval: timedelta
    run: FlowFunction
    # Name of a boolean field of the connection's settings that switches the flow on; None = always.
    enabled_setting: str | None = None
    description: str = ""

    def is_enabled(self, settings: BaseModel) -> bool:
        if self.enabled_setting is None:
            return True
        return bool(getattr(settings, self.enabled_setting))


@dataclass(frozen=True)
class ScheduledFlow:
    """A flow bound to one configured connection."""

    connection_name: str
    spec: FlowSpec
    settings: BaseModel
    client_factory: Callable[[], Any] | None = None

    @property
    def key(self) -> str:
        return f"{self.connection_name}:{self.spec.name}"

    @property
    def enabled(self) -> bool:
        return self.spec.is_enabled(self.settings)


class FlowRegistry:
    """Every flow of every configured connection, in a stable order."""

    def __init__(self, flows: Iterable[ScheduledFlow] = ()) -> None:
        self._flows: dict[str, ScheduledFlow] = {}
        for flow in flows:
            self.add(flow)

    def add(self, flow: ScheduledFlow) -> None:
        if flow.key in self._flows:
            raise ValueError(f"flow {flow.key} is registered twice")
        self._flows[flow.key] = flow

    def __iter__(self) -> Any:
        return iter(self._flows.values())

    def __len__(self) -> int:
        return len(self._flows)

    def get(self, key: str) -> ScheduledFlow | None:
        return self._flows.get(key)

    def select(self, name: str) -> list[ScheduledFlow]:
        """Flows matching ``connection:flow``, or a bare flow name across connections."""
        if ":" in name:
            flow = self._flows.get(name)
            return [flow] if flow else []
        return [flow for flow in self._flows.values() if flow.spec.name == name]

    @classmethod
    def from_connections(
        cls, connections: Mapping[str, Any], client_factories: Mapping[str, Callable[[], Any]] | None = None
    ) -> FlowRegistry:
        """Build from validated ``ConnectionConfig`` objects (config.connections)."""
        factories = client_factories or {}
        registry = cls()
        for name, connection in connections.items():
            for spec in connection.connector.flows:
                registry.add(ScheduledFlow(name, spec, connection.settings, factories.get(name)))
        return registry
