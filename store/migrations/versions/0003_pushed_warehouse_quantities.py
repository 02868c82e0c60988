"""pushed warehouse quantities: what TikTok last accepted per warehouse for a listing

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:10:04.118204
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel_listing", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "pushed_warehouse_quantities",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("channel_listing", schema=None) as batch_op:
        batch_op.drop_column("pushed_warehouse_quantities")
