"""flow_status and connection_health."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from store.models import FlowRun, Lease
from store.repositories.alert_messages import ALERTS_LEASE
from tests.tools.seeding import NOW, Seed
from tools import run_tool
from tools.health import ConnectionHealthOutput, FlowStatusOutput
from tools.registry import ToolContext


def test_flow_status_lists_flows_the_daemon_ran(seed: Seed, ctx: ToolContext, session: Session) -> None:
    session.add(Lease(connection_name="sfcc-main", flow_name="push_orders", next_due_at=NOW, attempt=0))
    session.add(
        FlowRun(
            connection_name="sfcc-main",
            flow_name="push_orders",
            holder="h",
            started_at=NOW,
            outcome="success",
            counts={},
        )
    )
    session.flush()
    result = run_tool("flow_status", ctx, {"connection": "sfcc-main"})
    assert isinstance(result, FlowStatusOutput)
    assert [(f.flow, f.outcome, f.enabled) for f in result.flows] == [("push_orders", "success", None)]


def test_flow_status_leaves_out_the_bots_alerts_lease(seed: Seed, ctx: ToolContext, session: Session) -> None:
    connection_name, flow_name = ALERTS_LEASE
    session.add(Lease(connection_name=connection_name, flow_name=flow_name, next_due_at=NOW, attempt=0))
    session.add(Lease(connection_name="sfcc-main", flow_name="push_orders", next_due_at=NOW, attempt=0))
    session.flush()
    result = run_tool("flow_status", ctx, {})
    assert isinstance(result, FlowStatusOutput)
    assert [(f.connection, f.flow) for f in result.flows] == [("sfcc-main", "push_orders")]


def test_connection_health_flags_auth_errors_and_counts(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    sfcc.last_success_at = NOW - timedelta(hours=1)
    sfcc.last_auth_error = "invalid_client"
    sfcc.last_auth_error_at = NOW - timedelta(minutes=5)
    seed.route(seed.order(tiktok), sfcc, "failed")
    seed.exception("sfcc.auth_failed", entity_type="connection", entity_id="sfcc-main", connection=sfcc)
    result = run_tool("connection_health", ctx, {})
    assert isinstance(result, ConnectionHealthOutput)
    health = {c.name: c for c in result.connections}
    assert health["sfcc-main"].healthy is False
    assert health["sfcc-main"].open_exceptions_by_code == {"sfcc.auth_failed": 1}
    assert health["sfcc-main"].routes_by_state == {"failed": 1}
    assert health["tiktok-us"].healthy is True
