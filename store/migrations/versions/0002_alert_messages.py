"""alert messages: the Slack alert of each exception code, shared by every bot replica

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:23:21.457338
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import store.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_message",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("ts", sa.String(length=40), nullable=True),
        sa.Column(
            "exception_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("posted_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_message")),
        sa.UniqueConstraint("channel", "code", name=op.f("uq_alert_message_channel_code")),
    )


def downgrade() -> None:
    op.drop_table("alert_message")
