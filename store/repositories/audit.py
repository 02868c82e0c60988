"""The append-only audit log of writes made by people and the agent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AuditLog


class AuditRepository:
    """Appends and reads AuditLog rows; never updates or deletes them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def append(
        self,
        *,
        actor: str,
        action: str,
        entity_type: str,
        entity_id: str,
        before: Any,
        after: Any,
        at: datetime,
        source: str | None = None,
        approval_id: str | None = None,
        details: Any = None,
    ) -> AuditLog:
        entry = AuditLog(
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            before=before,
            after=after,
            at=at,
            source=source,
            approval_id=approval_id,
            details=details,
        )
        self.session.add(entry)
        self.session.flush()
        return entry

    def for_entity(self, entity_type: str, entity_id: str) -> Sequence[AuditLog]:
        return self.session.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == entity_id)
            .order_by(AuditLog.at, AuditLog.id)
        ).all()
