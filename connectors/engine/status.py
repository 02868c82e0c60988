"""The rows of ``sync_daemon.py status``: every flow, whether it runs, and how it last went."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from connectors.engine.registry import FlowRegistry
from store.models import Connection, ExceptionRecord
from store.repositories import FlowRunRepository, LeaseRepository


@dataclass(frozen=True)
class FlowStatusRow:
    connection: str
    flow: str
    enabled: bool
    last_run: datetime | None
    outcome: str | None
    next_due: datetime | None
    open_exceptions: int


def flow_status_rows(registry: FlowRegistry, session: Session | None) -> list[FlowStatusRow]:
    """One row per registered flow; ``session`` None means the store is not usable yet."""
    open_by_flow: dict[tuple[str, str | None], int] = {}
    if session is not None:
        counts = session.execute(
            select(Connection.name, ExceptionRecord.flow, func.count(ExceptionRecord.id))
            .join(Connection, Connection.id == ExceptionRecord.connection_id)
            .where(ExceptionRecord.status == "open")
            .group_by(Connection.name, ExceptionRecord.flow)
        ).all()
        open_by_flow = {(name, flow): int(count) for name, flow, count in counts}
    rows = []
    for flow in registry:
        last_run = outcome = next_due = None
        if session is not None:
            run = FlowRunRepository(session).latest(flow.connection_name, flow.spec.name)
            lease = LeaseRepository(session).get(flow.connection_name, flow.spec.name)
            if run is not None:
                last_run, outcome = run.started_at, run.outcome
            if lease is not None:
                next_due = lease.next_due_at
        rows.append(
            FlowStatusRow(
                flow.connection_name,
                flow.spec.name,
                flow.enabled,
                last_run,
                outcome,
                next_due,
                open_by_flow.get((flow.connection_name, flow.spec.name), 0),
            )
        )
    return rows


def render_table(rows: Sequence[FlowStatusRow], now: datetime) -> str:
    """A fixed-width text table for terminals and logs."""
    header = ("CONNECTION", "FLOW", "ENABLED", "LAST RUN", "OUTCOME", "NEXT DUE", "OPEN EXCEPTIONS")
    body = [
        (
            row.connection,
            row.flow,
            "yes" if row.enabled else "no",
            _ago(row.last_run, now),
            row.outcome or "-",
            _due(row.next_due, now) if row.enabled else "-",
            str(row.open_exceptions),
        )
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *body, strict=False)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in (header, *body)
    ]
    if not body:
        lines.append("(no flows: add a [connections.<name>] table to the configuration)")
    return "\n".join(lines)


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    return f"{_span((now - when).total_seconds())} ago"


def _due(when: datetime | None, now: datetime) -> str:
    if when is None or when <= now:
        return "now"
    return f"in {_span((when - now).total_seconds())}"


def _span(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
