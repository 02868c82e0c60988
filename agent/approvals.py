"""Approvals: one random token per proposed write, bound to its exact arguments, used once, expiring.

Only users on ``[bot] approvers`` (user ids, or members of the user groups listed there) may
decide; every decision (and every refused attempt) is written to the AuditLog. The graph checks
the row again before running the write, so a decision that did not go through
:meth:`ApprovalService.decide` cannot apply anything.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from agent.approvers import Approvers
from connectors.engine.clock import Clock
from store.models import Approval
from store.repositories import AuditRepository
from tools.transactions import begin_write, retry_when_locked

DecisionKind = Literal["approve", "reject"]


class ApprovalRefusedError(Exception):
    """A decision was not accepted; ``message`` says why and what to do next."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Decision:
    """An accepted decision on one approval."""

    approval_id: int
    token: str
    tool: str
    decision: DecisionKind
    decided_by: str
    thread_id: str | None
    change: dict[str, Any]


class ApprovalService:
    """Creates, decides, claims and closes Approval rows."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        approvers: Approvers | Sequence[str],
        ttl_minutes: int,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self.policy = approvers if isinstance(approvers, Approvers) else Approvers(approvers, clock=clock)
        self._ttl = timedelta(minutes=ttl_minutes)

    @property
    def approvers(self) -> tuple[str, ...]:
        """The configured entries: user ids and user group ids."""
        return self.policy.entries

    def may_decide(self, user: str) -> bool:
        """Whether ``user`` is an approver (directly or through a user group)."""
        return self.policy.allows(user)

    def who_may_approve(self) -> str:
        """The approvers as Slack mentions, or how to configure them."""
        return self.policy.describe()

    def request(
        self,
        *,
        tool: str,
        arguments: dict[str, Any],
        change: dict[str, Any],
        thread_id: str,
        requested_by: str,
    ) -> tuple[str, int, datetime]:
        """Store a pending approval for one exact call; returns (token, id, expires_at)."""
        now = self._clock.now()
        token = secrets.token_urlsafe(24)
        with self._sessions.begin() as session:
            begin_write(session)
            row = Approval(
                token=token,
                tool=tool,
                arguments=arguments,
                change=change,
                thread_id=thread_id,
                requested_by=requested_by,
                status="pending",
                expires_at=now + self._ttl,
                created_at=now,
            )
            session.add(row)
            session.flush()
            self._audit(
                session, row, actor=requested_by, action="approval.requested", before=None, after="pending"
            )
            return token, row.id, row.expires_at

    def decide(self, token: str, user: str, decision: DecisionKind, *, source: str) -> Decision:
        """Record ``user``'s decision, or raise :class:`ApprovalRefusedError` (audited either way)."""
        return retry_when_locked(
            lambda: self._decide(token, user, decision, source=source), what="an approval decision"
        )

    def _decide(self, token: str, user: str, decision: DecisionKind, *, source: str) -> Decision:
        now = self._clock.now()
        with self._sessions.begin() as session:
            begin_write(session)
            row = session.scalar(select(Approval).where(Approval.token == token))
            if row is None:
                raise ApprovalRefusedError(
                    "This approval card is not known to Shopwright (it may come from another installation). "
                    "Ask the bot again to get a new card.",
                    reason="unknown",
                )
            refusal = self._refusal(row, user, now)
            if refusal is not None:
                message, reason = refusal
                if reason == "expired" and row.status == "pending":
                    row.status = "expired"
                self._audit(
                    session,
                    row,
                    actor=user,
                    action="approval.refused",
                    before=row.status,
                    after=row.status,
                    source=source,
                    reason=reason,
                )
                refused = ApprovalRefusedError(message, reason=reason)
            else:
                new_status = "approved" if decision == "approve" else "rejected"
                # A conditional update, so two simultaneous clicks cannot both decide.
                changed = session.execute(
                    update(Approval)
                    .where(Approval.id == row.id, Approval.status == "pending")
                    .values(status=new_status, decided_by=user, decided_at=now)
                    .execution_options(synchronize_session=False)
                )
                if getattr(changed, "rowcount", 0) != 1:
                    raise ApprovalRefusedError(
                        f"Approval {row.id} for {row.tool} was decided by someone else a moment ago; nothing "
                        "more was changed.",
                        reason="already_decided",
                    )
                self._audit(
                    session,
                    row,
                    actor=user,
                    action=f"approval.{new_status}",
                    before="pending",
                    after=new_status,
                    source=source,
                )
                return Decision(row.id, token, row.tool, decision, user, row.thread_id, dict(row.change))
        raise refused

    def refuse_non_approver(self, token: str, user: str, *, source: str) -> str:
        """Audit a click by someone not on the approvers list; returns the message to show them."""
        message = f"Only {self.who_may_approve()} may approve or reject changes. Nothing was changed."
        retry_when_locked(lambda: self._audit_refusal(token, user, source), what="an approval refusal")
        return message

    def _audit_refusal(self, token: str, user: str, source: str) -> None:
        with self._sessions.begin() as session:
            begin_write(session)
            row = session.scalar(select(Approval).where(Approval.token == token))
            if row is not None:
                self._audit(
                    session,
                    row,
                    actor=user,
                    action="approval.refused",
                    before=row.status,
                    after=row.status,
                    source=source,
                    reason="not_approver",
                )

    def claim(self, token: str, user: str) -> bool:
        """Move an approved row to ``applied`` exactly once; False if it was not approved by ``user``."""
        return retry_when_locked(lambda: self._claim(token, user), what="an approval claim")

    def _claim(self, token: str, user: str) -> bool:
        with self._sessions.begin() as session:
            begin_write(session)
            changed = session.execute(
                update(Approval)
                .where(Approval.token == token, Approval.status == "approved", Approval.decided_by == user)
                .values(status="applied")
                .execution_options(synchronize_session=False)
            )
            return getattr(changed, "rowcount", 0) == 1

    def status(self, token: str) -> tuple[str, str | None] | None:
        """(status, decided_by) of an approval, or None when unknown."""
        with self._sessions() as session:
            row = session.scalar(select(Approval).where(Approval.token == token))
            return None if row is None else (row.status, row.decided_by)

    def close(self, token: str, *, status: str, note: str) -> None:
        """Mark an approval failed or superseded, with a note for people reading it later."""
        retry_when_locked(lambda: self._close(token, status, note), what="closing an approval")

    def _close(self, token: str, status: str, note: str) -> None:
        with self._sessions.begin() as session:
            begin_write(session)
            row = session.scalar(select(Approval).where(Approval.token == token))
            if row is not None and row.status in ("pending", "approved", "applied"):
                before = row.status
                row.status = status
                row.note = note
                self._audit(
                    session, row, actor="agent", action=f"approval.{status}", before=before, after=status
                )

    def _refusal(self, row: Approval, user: str, now: datetime) -> tuple[str, str] | None:
        if not self.policy.allows(user):
            return (
                f"Only {self.who_may_approve()} may approve or reject changes. Nothing was changed "
                f"({row.tool}, approval {row.id}).",
                "not_approver",
            )
        if row.status != "pending":
            by = f" by <@{row.decided_by}>" if row.decided_by else ""
            return (
                f"Approval {row.id} for {row.tool} is already {row.status}{by}; a decision can be used once. "
                "Ask the bot again if the change is still needed.",
                "already_decided",
            )
        if now >= row.expires_at:
            return (
                f"Approval {row.id} for {row.tool} expired at {row.expires_at:%Y-%m-%d %H:%M} UTC; "
                "nothing was changed. Ask the bot again to get a fresh card.",
                "expired",
            )
        return None

    def _audit(
        self,
        session: Session,
        row: Approval,
        *,
        actor: str,
        action: str,
        before: str | None,
        after: str,
        source: str | None = None,
        reason: str | None = None,
    ) -> None:
        AuditRepository(session).append(
            actor=actor,
            action=action,
            entity_type="approval",
            entity_id=str(row.id),
            before=None if before is None else {"status": before},
            after={"status": after},
            at=self._clock.now(),
            source=source or row.thread_id,
            approval_id=str(row.id),
            details={"tool": row.tool, "arguments": row.arguments, "reason": reason},
        )
