"""A ``--approved-by`` write from ``python -m tools call``, recorded like a Slack approval.

The person at the terminal approves in the same breath as they ask, so the Approval row is born
``approved`` (decided by them, source ``cli``) and moves to ``applied`` or ``failed`` with the
write. The AuditLog holds ``approval.approved`` and then the write itself, as for a card.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.engine.clock import Clock
from store.models import Approval as ApprovalRow
from store.repositories import AuditRepository
from tools.registry import Approval, Change
from tools.transactions import begin_write


def record_cli_approval(
    sessions: sessionmaker[Session],
    clock: Clock,
    *,
    tool: str,
    arguments: dict[str, Any],
    user: str,
    change: Change,
) -> Approval:
    """Store an approved Approval row for this one call; returns the approval to run it with."""
    now = clock.now()
    with sessions.begin() as session:
        begin_write(session)
        row = ApprovalRow(
            token=secrets.token_urlsafe(24),
            tool=tool,
            arguments=arguments,
            change=change.model_dump(mode="json"),
            thread_id="cli",
            requested_by=user,
            status="approved",
            decided_by=user,
            decided_at=now,
            # Used at once; the expiry only has to outlive this process.
            expires_at=now + timedelta(minutes=5),
            created_at=now,
        )
        session.add(row)
        session.flush()
        _audit(session, row, now, before="pending", after="approved", action="approval.approved")
        return Approval(approved_by=user, source="cli", approval_id=str(row.id))


def close_cli_approval(
    sessions: sessionmaker[Session], clock: Clock, approval: Approval, *, ok: bool, note: str = ""
) -> None:
    """``applied`` after the write, or ``failed`` with what went wrong."""
    status = "applied" if ok else "failed"
    with sessions.begin() as session:
        begin_write(session)
        row = session.scalar(select(ApprovalRow).where(ApprovalRow.id == int(str(approval.approval_id))))
        if row is None:
            return
        row.status = status
        row.note = note or None
        if not ok:
            _audit(session, row, clock.now(), before="approved", after=status, action="approval.failed")


def _audit(session: Session, row: ApprovalRow, now: Any, *, before: str, after: str, action: str) -> None:
    AuditRepository(session).append(
        actor=str(row.decided_by),
        action=action,
        entity_type="approval",
        entity_id=str(row.id),
        before={"status": before},
        after={"status": after},
        at=now,
        source="cli",
        approval_id=str(row.id),
        details={"tool": row.tool, "arguments": row.arguments, "reason": None},
    )
