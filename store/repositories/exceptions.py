"""The typed failure list: upsert by (entity, code), counts, auto-resolve."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ExceptionRecord

EntityKey = tuple[str, str]


class ExceptionRepository:
    """Reads and writes ExceptionRecord rows."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def observe(
        self,
        *,
        code: str,
        category: str,
        entity_type: str,
        entity_id: str,
        message: str,
        now: datetime,
        connection_id: int | None = None,
        flow: str | None = None,
        fault: Any = None,
        run_id: int | None = None,
    ) -> ExceptionRecord:
        """Record that ``code`` was seen on an entity: a new open record, or a bump of the open one."""
        record = self.get_open(entity_type, entity_id, code)
        if record is None:
            record = ExceptionRecord(
                code=code,
                category=category,
                entity_type=entity_type,
                entity_id=entity_id,
                message=message,
                connection_id=connection_id,
                flow=flow,
                fault=fault,
                first_seen_at=now,
                last_seen_at=now,
                count=1,
                status="open",
                last_run_id=run_id,
            )
            self.session.add(record)
        else:
            record.count += 1
            record.last_seen_at = now
            record.message = message
            record.fault = fault
            record.last_run_id = run_id
            if flow is not None:
                record.flow = flow
        self.session.flush()
        return record

    def get_open(self, entity_type: str, entity_id: str, code: str) -> ExceptionRecord | None:
        """The open record for (entity, code), if any."""
        return self.session.scalar(
            select(ExceptionRecord).where(
                ExceptionRecord.entity_type == entity_type,
                ExceptionRecord.entity_id == entity_id,
                ExceptionRecord.code == code,
                ExceptionRecord.status == "open",
            )
        )

    def get_by_id(self, exception_id: int) -> ExceptionRecord | None:
        return self.session.get(ExceptionRecord, exception_id)

    def list_open(
        self,
        *,
        entity_type: str | None = None,
        entity_id: str | None = None,
        code: str | None = None,
        connection_id: int | None = None,
        category: str | None = None,
        limit: int = 100,
    ) -> Sequence[ExceptionRecord]:
        """Open records, newest first, optionally filtered."""
        query = select(ExceptionRecord).where(ExceptionRecord.status == "open")
        if entity_type is not None:
            query = query.where(ExceptionRecord.entity_type == entity_type)
        if entity_id is not None:
            query = query.where(ExceptionRecord.entity_id == entity_id)
        if code is not None:
            query = query.where(ExceptionRecord.code == code)
        if connection_id is not None:
            query = query.where(ExceptionRecord.connection_id == connection_id)
        if category is not None:
            query = query.where(ExceptionRecord.category == category)
        query = query.order_by(ExceptionRecord.last_seen_at.desc(), ExceptionRecord.id.desc()).limit(limit)
        return self.session.scalars(query).all()

    def for_entity(self, entity_type: str, entity_id: str) -> Sequence[ExceptionRecord]:
        """Every record (open or not) of one entity, newest first."""
        return self.session.scalars(
            select(ExceptionRecord)
            .where(ExceptionRecord.entity_type == entity_type, ExceptionRecord.entity_id == entity_id)
            .order_by(ExceptionRecord.last_seen_at.desc(), ExceptionRecord.id.desc())
        ).all()

    def count_open(self, *, connection_id: int | None = None, flow: str | None = None) -> int:
        query = select(ExceptionRecord.id).where(ExceptionRecord.status == "open")
        if connection_id is not None:
            query = query.where(ExceptionRecord.connection_id == connection_id)
        if flow is not None:
            query = query.where(ExceptionRecord.flow == flow)
        return len(self.session.scalars(query).all())

    def resolve(self, record: ExceptionRecord, *, now: datetime, by: str, status: str = "resolved") -> None:
        """Close one record (``resolved`` when the cause is gone, ``dismissed`` by a person)."""
        record.status = status
        record.resolved_at = now
        record.resolved_by = by
        self.session.flush()

    def resolve_entity(
        self,
        entity_type: str,
        entity_id: str,
        *,
        now: datetime,
        by: str = "auto",
        codes: Iterable[str] | None = None,
        keep: Iterable[str] = (),
        flow: str | None = None,
    ) -> int:
        """Resolve the open records of an entity (only ``codes`` if given, never ``keep``).

        With ``flow``, only records raised by that flow: a flow clears what it can re-check.
        """
        wanted = set(codes) if codes is not None else None
        kept = set(keep)
        resolved = 0
        for record in self.list_open(entity_type=entity_type, entity_id=entity_id, limit=1000):
            if record.code in kept or (wanted is not None and record.code not in wanted):
                continue
            if flow is not None and record.flow != flow:
                continue
            self.resolve(record, now=now, by=by)
            resolved += 1
        return resolved


@dataclass
class ExceptionTracker:
    """Per-run bookkeeping so a flow's exceptions auto-resolve when a later run no longer sees them.

    A flow calls :meth:`observe` for each failure and :meth:`checked` for each entity it examined;
    :meth:`finish` resolves the flow's open records on checked entities that were not observed.
    """

    repository: ExceptionRepository
    flow: str
    connection_id: int | None
    now: datetime
    run_id: int | None = None
    _observed: set[tuple[str, str, str]] = field(default_factory=set)
    _checked: set[EntityKey] = field(default_factory=set)

    def observe(
        self, *, code: str, category: str, entity_type: str, entity_id: str, message: str, fault: Any = None
    ) -> ExceptionRecord:
        self._observed.add((entity_type, entity_id, code))
        self._checked.add((entity_type, entity_id))
        return self.repository.observe(
            code=code,
            category=category,
            entity_type=entity_type,
            entity_id=entity_id,
            message=message,
            now=self.now,
            connection_id=self.connection_id,
            flow=self.flow,
            fault=fault,
            run_id=self.run_id,
        )

    @property
    def observed_count(self) -> int:
        return len(self._observed)

    def checked(self, entity_type: str, entity_id: str) -> None:
        self._checked.add((entity_type, entity_id))

    def finish(self) -> int:
        """Resolve what this run re-checked and no longer saw; returns how many.

        One query for the whole run: the flow's open records (on its connection) of the entity
        types it checked, filtered here against the checked and observed sets.
        """
        if not self._checked:
            return 0
        query = select(ExceptionRecord).where(
            ExceptionRecord.status == "open",
            ExceptionRecord.flow == self.flow,
            ExceptionRecord.entity_type.in_(sorted({entity_type for entity_type, _ in self._checked})),
        )
        if self.connection_id is not None:
            query = query.where(ExceptionRecord.connection_id == self.connection_id)
        resolved = 0
        for record in self.repository.session.scalars(query.order_by(ExceptionRecord.id)).all():
            if (record.entity_type, record.entity_id) not in self._checked:
                continue
            if (record.entity_type, record.entity_id, record.code) in self._observed:
                continue
            record.status, record.resolved_at, record.resolved_by = "resolved", self.now, "auto"
            resolved += 1
        if resolved:
            self.repository.session.flush()
        return resolved
