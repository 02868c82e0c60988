"""Agent fixtures: a migrated SQLite store, a frozen clock, fake tools and a file checkpointer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent.approvals import ApprovalService
from agent.backends.base import ModelBackend
from agent.backends.offline import OfflineBackend
from agent.checkpoint import open_checkpointer
from agent.context import AgentContext, Limits
from agent.graph import Graph, approval_service, build_graph
from agent.runner import AgentRunner
from agent.toolset import ToolSet
from connectors.engine.clock import FrozenClock
from store.models import Approval, AuditLog
from store.session import create_session_factory, create_store_engine
from tests.agent.fakes import World, make_toolset

APPROVER = "UAPPROVER1"
OTHER = "USTRANGER9"
THREAD = "C0123:1700000000.000100"


@dataclass
class Harness:
    """One agent over one store and one checkpoint file."""

    world: World
    clock: FrozenClock
    sessions: sessionmaker[Session]
    checkpoint_file: Path
    context: AgentContext
    graph: Graph
    runner: AgentRunner
    approvals: ApprovalService
    manager: Any = None

    def close(self) -> None:
        """Close the checkpointer, as a process exit would."""
        if self.manager is not None:
            self.manager.__exit__(None, None, None)
            self.manager = None

    def approvals_rows(self) -> list[Approval]:
        with self.sessions() as session:
            return list(session.scalars(select(Approval).order_by(Approval.id)))

    def audit_actions(self) -> list[str]:
        with self.sessions() as session:
            return [row.action for row in session.scalars(select(AuditLog).order_by(AuditLog.id))]


@pytest.fixture
def store_sessions(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_store_engine(sqlite_url)
    yield create_session_factory(engine)
    engine.dispose()


@pytest.fixture
def make_harness(store_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    """Build (and rebuild, for restart tests) an agent; checkpointers close at teardown."""
    built: list[Harness] = []
    world = World()
    clock = FrozenClock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))

    def build(
        backend: ModelBackend | None = None,
        toolset: ToolSet | None = None,
        limits: Limits | None = None,
        config: Any = None,
    ) -> Harness:
        manager = open_checkpointer("sqlite:///unused.db", sqlite_path=tmp_path / "checkpoints.sqlite")
        saver = manager.__enter__()
        context = AgentContext(
            backend=backend or OfflineBackend([APPROVER]),
            toolset=toolset or make_toolset(world),
            session_factory=store_sessions,
            clock=clock,
            approvers=(APPROVER,),
            approval_ttl_minutes=60,
            limits=limits or Limits(),
            config=config,
        )
        graph = build_graph(context, saver)
        approvals = approval_service(context)
        harness = Harness(
            world,
            clock,
            store_sessions,
            tmp_path / "checkpoints.sqlite",
            context,
            graph,
            AgentRunner(graph, approvals),
            approvals,
            manager,
        )
        built.append(harness)
        return harness

    yield build
    for harness in built:
        harness.close()
