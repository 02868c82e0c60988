"""What the system did and what went wrong: exceptions, proposals, flow state, alerts, audit."""

from __future__ import annotations

from sqlalchemy import Float, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base
from store.models._columns import (
    IdPk,
    Json,
    Name,
    OptionalJson,
    OptionalName,
    OptionalText,
    OptionalTimestamp,
    Text,
    Timestamp,
    fk_id,
    utcnow,
)

EXCEPTION_CATEGORIES = ("ingestion", "routing", "fulfillment", "inventory", "catalog", "connector", "state")
EXCEPTION_STATUSES = ("open", "resolved", "dismissed")
PROPOSAL_STATUSES = ("pending", "approved", "rejected", "applied")
RUN_OUTCOMES = ("success", "partial", "retry", "failed")


class ExceptionRecord(Base):
    """A typed failure with a stable code, kept open until its cause is gone.

    At most one open record exists per (entity, code): seeing it again bumps ``count`` and
    ``last_seen_at`` instead of adding a row.
    """

    __tablename__ = "exception"

    id: Mapped[IdPk]
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    code: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    entity_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[Name]
    connection_id: Mapped[int | None] = fk_id("connection.id", nullable=True, ondelete="SET NULL")
    flow: Mapped[OptionalName]
    message: Mapped[Text]
    fault: Mapped[OptionalJson]
    first_seen_at: Mapped[Timestamp]
    last_seen_at: Mapped[Timestamp]
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open", index=True)
    resolved_at: Mapped[OptionalTimestamp]
    resolved_by: Mapped[OptionalName]
    last_run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (
        Index(
            "uq_exception_open_entity_code",
            "entity_type",
            "entity_id",
            "code",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_exception_entity", "entity_type", "entity_id"),
    )


class AttributeProposal(Base):
    """A proposed value for a missing TikTok category attribute, waiting for a person."""

    __tablename__ = "attribute_proposal"

    id: Mapped[IdPk]
    product_id: Mapped[int] = fk_id("product.id", ondelete="CASCADE")
    connection_id: Mapped[int | None] = fk_id("connection.id", nullable=True, ondelete="CASCADE")
    category_id: Mapped[Name]
    attribute_id: Mapped[Name]
    attribute_name: Mapped[Name]
    values: Mapped[Json]
    confidence: Mapped[float] = mapped_column(Float, nullable=False)
    rationale: Mapped[Text]
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending", index=True)
    decided_by: Mapped[OptionalName]
    decided_at: Mapped[OptionalTimestamp]
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)


class FlowCursor(Base):
    """How far a flow of a connection has read; moves forward only, with the records."""

    __tablename__ = "flow_cursor"

    id: Mapped[IdPk]
    connection_name: Mapped[str] = mapped_column(String(100), nullable=False)
    flow_name: Mapped[str] = mapped_column(String(100), nullable=False)
    value: Mapped[OptionalJson]
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("connection_name", "flow_name"),)


class FlowRun(Base):
    """One run of one flow of one connection: what it did and how it ended."""

    __tablename__ = "flow_run"

    id: Mapped[IdPk]
    connection_name: Mapped[str] = mapped_column(String(100), nullable=False)
    flow_name: Mapped[str] = mapped_column(String(100), nullable=False)
    holder: Mapped[Name]
    attempt: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    started_at: Mapped[Timestamp]
    finished_at: Mapped[OptionalTimestamp]
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[OptionalName]
    counts: Mapped[Json] = mapped_column(default=dict)
    error: Mapped[OptionalText]

    __table_args__ = (Index("ix_flow_run_flow", "connection_name", "flow_name", "started_at"),)


class Lease(Base):
    """The schedule and lock row of one flow of one connection, shared by every daemon.

    A daemon runs a flow only while it holds this row: on PostgreSQL a row lock taken with
    ``FOR UPDATE SKIP LOCKED`` inside the run's transaction (released by commit, rollback or a
    dead connection); on SQLite a time-limited claim of ``holder``/``expires_at``.
    """

    __tablename__ = "lease"

    id: Mapped[IdPk]
    connection_name: Mapped[str] = mapped_column(String(100), nullable=False)
    flow_name: Mapped[str] = mapped_column(String(100), nullable=False)
    holder: Mapped[OptionalName]
    acquired_at: Mapped[OptionalTimestamp]
    expires_at: Mapped[OptionalTimestamp]
    next_due_at: Mapped[OptionalTimestamp]
    attempt: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_outcome: Mapped[OptionalName]
    last_run_at: Mapped[OptionalTimestamp]

    __table_args__ = (UniqueConstraint("connection_name", "flow_name"),)


class AlertMessage(Base):
    """The on-call alert message of one exception code in one Slack channel, shared by every bot.

    ``ts`` is None from the moment a replica starts posting until Slack's answer is recorded:
    such a row means "maybe posted", and no replica posts that code again while it stands.
    ``exception_ids`` are the open exceptions the message shows.
    """

    __tablename__ = "alert_message"

    id: Mapped[IdPk]
    channel: Mapped[str] = mapped_column(String(100), nullable=False)
    code: Mapped[str] = mapped_column(String(80), nullable=False)
    ts: Mapped[str | None] = mapped_column(String(40), nullable=True)
    exception_ids: Mapped[Json]
    posted_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]

    __table_args__ = (UniqueConstraint("channel", "code"),)


class AuditLog(Base):
    """Append-only record of every write made by a person or the agent."""

    __tablename__ = "audit_log"

    id: Mapped[IdPk]
    at: Mapped[Timestamp] = mapped_column(default=utcnow)
    actor: Mapped[Name]
    action: Mapped[Name]
    entity_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[Name]
    before: Mapped[OptionalJson]
    after: Mapped[OptionalJson]
    source: Mapped[OptionalText]
    approval_id: Mapped[OptionalName]
    details: Mapped[OptionalJson]


class Approval(Base):
    """A one-time, expiring permission for one exact write, bound to the change it shows."""

    __tablename__ = "approval"

    id: Mapped[IdPk]
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    tool: Mapped[Name]
    arguments: Mapped[Json]
    change: Mapped[Json]
    thread_id: Mapped[OptionalName]
    requested_by: Mapped[OptionalName]
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    decided_by: Mapped[OptionalName]
    decided_at: Mapped[OptionalTimestamp]
    expires_at: Mapped[Timestamp]
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    note: Mapped[OptionalText]


__all__ = [
    "EXCEPTION_CATEGORIES",
    "EXCEPTION_STATUSES",
    "PROPOSAL_STATUSES",
    "RUN_OUTCOMES",
    "AlertMessage",
    "Approval",
    "AttributeProposal",
    "AuditLog",
    "ExceptionRecord",
    "FlowCursor",
    "FlowRun",
    "Lease",
]
