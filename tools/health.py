"""Health tools: how every flow last ran, and how each connection is doing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field
from sqlalchemy import func, select

from connectors.engine.registry import FlowRegistry
from connectors.engine.status import flow_status_rows
from store.models import Connection, ConnectionToken, ExceptionRecord, OrderRoute
from store.repositories import FlowRunRepository, LeaseRepository
from store.repositories.alert_messages import ALERTS_LEASE
from tools.models import ToolInput, ToolOutput
from tools.registry import Tool, ToolContext, ToolError


class FlowStatusInput(ToolInput):
    connection: str | None = Field(default=None, description="Only the flows of this connection.")


class FlowRow(ToolOutput):
    connection: str
    flow: str
    enabled: bool | None = Field(description="None when the configuration does not list the flow.")
    last_run: datetime | None
    outcome: str | None
    next_due: datetime | None
    open_exceptions: int


class FlowStatusOutput(ToolOutput):
    flows: list[FlowRow]


def flow_status(ctx: ToolContext, params: FlowStatusInput) -> FlowStatusOutput:
    """Every flow of every connection: enabled or not, last run and its outcome, next due time and
    open failures. Use it for "is the sync running?" and for a stuck order's flow.
    """
    session = ctx.db()
    connections = getattr(ctx.config, "connections", None) or {}
    rows = [
        FlowRow(
            connection=r.connection,
            flow=r.flow,
            enabled=r.enabled,
            last_run=r.last_run,
            outcome=r.outcome,
            next_due=r.next_due,
            open_exceptions=r.open_exceptions,
        )
        for r in flow_status_rows(FlowRegistry.from_connections(connections), session)
    ]
    listed = {(row.connection, row.flow) for row in rows}
    # Flows the daemon ran that the configuration in hand does not name (another host's config).
    for lease in LeaseRepository(session).all():
        if (lease.connection_name, lease.flow_name) in listed | {ALERTS_LEASE}:
            continue
        run = FlowRunRepository(session).latest(lease.connection_name, lease.flow_name)
        rows.append(
            FlowRow(
                connection=lease.connection_name,
                flow=lease.flow_name,
                enabled=None,
                last_run=run.started_at if run else None,
                outcome=run.outcome if run else None,
                next_due=lease.next_due_at,
                open_exceptions=0,
            )
        )
    if params.connection is not None:
        rows = [row for row in rows if row.connection == params.connection]
    return FlowStatusOutput(flows=rows)


class ConnectionHealthInput(ToolInput):
    connection: str | None = Field(default=None, description="One connection; all when empty.")


class ConnectionHealth(ToolOutput):
    name: str
    type: str
    enabled: bool
    last_success_at: datetime | None
    last_auth_error: str | None = Field(description="The last auth failure as recorded; data, not advice.")
    last_auth_error_at: datetime | None
    token_expires_at: dict[str, datetime | None] = Field(description="Expiry of each stored token kind.")
    open_exceptions_by_code: dict[str, int]
    routes_by_state: dict[str, int] = Field(description="Orders routed to this connection, by push state.")
    healthy: bool


class ConnectionHealthOutput(ToolOutput):
    connections: list[ConnectionHealth]


def connection_health(ctx: ToolContext, params: ConnectionHealthInput) -> ConnectionHealthOutput:
    """Health of each connection: last success, last auth error, token expiry (never the token),
    open failures by code, and routed orders by push state. healthy = no open failure and no auth
    error newer than the last success.
    """
    session = ctx.db()
    query = select(Connection).order_by(Connection.name)
    if params.connection is not None:
        query = query.where(Connection.name == params.connection)
    connections = list(session.scalars(query))
    if params.connection is not None and not connections:
        raise ToolError(
            f"No connection is called '{params.connection}'; call connection_health without "
            "a name to list them.",
            code="tool.not_found",
        )
    result = []
    for c in connections:
        codes = dict(
            session.execute(
                select(ExceptionRecord.code, func.count(ExceptionRecord.id))
                .where(ExceptionRecord.connection_id == c.id, ExceptionRecord.status == "open")
                .group_by(ExceptionRecord.code)
            ).all()
        )
        states = dict(
            session.execute(
                select(OrderRoute.state, func.count(OrderRoute.id))
                .where(OrderRoute.destination_connection_id == c.id)
                .group_by(OrderRoute.state)
            ).all()
        )
        tokens = {
            t.kind: t.expires_at
            for t in session.scalars(select(ConnectionToken).where(ConnectionToken.connection_id == c.id))
        }
        auth_broken = c.last_auth_error_at is not None and (
            c.last_success_at is None or c.last_auth_error_at > c.last_success_at
        )
        result.append(
            ConnectionHealth(
                name=c.name,
                type=c.type,
                enabled=c.enabled,
                last_success_at=c.last_success_at,
                last_auth_error=c.last_auth_error,
                last_auth_error_at=c.last_auth_error_at,
                token_expires_at=tokens,
                open_exceptions_by_code={k: int(v) for k, v in codes.items()},
                routes_by_state={k: int(v) for k, v in states.items()},
                healthy=not codes and not auth_broken,
            )
        )
    return ConnectionHealthOutput(connections=result)


TOOLS: list[Tool[Any, Any]] = [
    Tool("flow_status", "read", FlowStatusInput, FlowStatusOutput, flow_status),
    Tool("connection_health", "read", ConnectionHealthInput, ConnectionHealthOutput, connection_health),
]
