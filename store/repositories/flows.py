"""Flow cursors, flow runs and the lease rows that schedule and lock flows across daemons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models import FlowCursor, FlowRun, Lease


class FlowCursorRepository:
    """The bookmark of each (connection, flow)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, connection_name: str, flow_name: str) -> Any:
        row = self._row(connection_name, flow_name)
        return None if row is None else row.value

    def set(self, connection_name: str, flow_name: str, value: Any, *, now: datetime) -> None:
        """Write the cursor in the caller's transaction, together with the records it covers."""
        row = self._row(connection_name, flow_name)
        if row is None:
            self.session.add(
                FlowCursor(connection_name=connection_name, flow_name=flow_name, value=value, updated_at=now)
            )
        else:
            row.value = value
            row.updated_at = now
        self.session.flush()

    def _row(self, connection_name: str, flow_name: str) -> FlowCursor | None:
        return self.session.scalar(
            select(FlowCursor).where(
                FlowCursor.connection_name == connection_name, FlowCursor.flow_name == flow_name
            )
        )


class FlowRunRepository:
    """FlowRun records: one per run, with counts, duration and outcome."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, run: FlowRun) -> FlowRun:
        self.session.add(run)
        self.session.flush()
        return run

    def latest(self, connection_name: str, flow_name: str) -> FlowRun | None:
        return self.session.scalar(
            select(FlowRun)
            .where(FlowRun.connection_name == connection_name, FlowRun.flow_name == flow_name)
            .order_by(FlowRun.started_at.desc(), FlowRun.id.desc())
            .limit(1)
        )

    def list_for(self, connection_name: str, flow_name: str, limit: int = 1000) -> Sequence[FlowRun]:
        return self.session.scalars(
            select(FlowRun)
            .where(FlowRun.connection_name == connection_name, FlowRun.flow_name == flow_name)
            .order_by(FlowRun.started_at, FlowRun.id)
            .limit(limit)
        ).all()

    def count(self) -> int:
        return int(self.session.scalar(select(func.count(FlowRun.id))) or 0)


class LeaseRepository:
    """Schedule-and-lock rows. Which locking is used depends on the database (see Lease)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def _postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def ensure(self, connection_name: str, flow_name: str, *, due_at: datetime) -> None:
        """Create the row if it is missing (first start of a new flow), due at ``due_at``."""
        values = {
            "connection_name": connection_name,
            "flow_name": flow_name,
            "next_due_at": due_at,
            "attempt": 0,
        }
        insert = pg_insert if self._postgresql else sqlite_insert
        statement = (
            insert(Lease)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["connection_name", "flow_name"])
        )
        self.session.execute(statement)

    def get(self, connection_name: str, flow_name: str) -> Lease | None:
        return self.session.scalar(
            select(Lease).where(Lease.connection_name == connection_name, Lease.flow_name == flow_name)
        )

    def all(self) -> Sequence[Lease]:
        return self.session.scalars(select(Lease).order_by(Lease.connection_name, Lease.flow_name)).all()

    def lock_for_run(self, connection_name: str, flow_name: str) -> Lease | None:
        """PostgreSQL: lock the row until this transaction ends, or None if another daemon has it."""
        return self.session.scalar(
            select(Lease)
            .where(Lease.connection_name == connection_name, Lease.flow_name == flow_name)
            .with_for_update(skip_locked=True)
        )

    def claim(
        self, connection_name: str, flow_name: str, *, holder: str, now: datetime, ttl: timedelta
    ) -> bool:
        """SQLite: claim the row for ``ttl`` unless a live claim of someone else stands."""
        result = self.session.execute(
            update(Lease)
            .where(
                Lease.connection_name == connection_name,
                Lease.flow_name == flow_name,
                or_(Lease.holder.is_(None), Lease.holder == holder, Lease.expires_at < now),
            )
            .values(holder=holder, acquired_at=now, expires_at=now + ttl)
        )
        return bool(getattr(result, "rowcount", 0))

    def release(self, connection_name: str, flow_name: str, *, holder: str) -> None:
        """Drop a SQLite claim (no-op if someone else holds it)."""
        self.session.execute(
            update(Lease)
            .where(
                Lease.connection_name == connection_name, Lease.flow_name == flow_name, Lease.holder == holder
            )
            .values(holder=None, expires_at=None)
        )
