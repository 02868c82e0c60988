"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 07:05:27.768443
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import store.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approval",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("tool", sa.String(length=200), nullable=False),
        sa.Column(
            "arguments",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "change",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("thread_id", sa.String(length=200), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval")),
        sa.UniqueConstraint("token", name=op.f("uq_approval_token")),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=200), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column(
            "before",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "after",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("approval_id", sa.String(length=200), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "connection",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column(
            "settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("last_success_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_auth_error", sa.String(), nullable=True),
        sa.Column("last_auth_error_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection")),
        sa.UniqueConstraint("name", name=op.f("uq_connection_name")),
    )
    op.create_table(
        "flow_cursor",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_name", sa.String(length=100), nullable=False),
        sa.Column("flow_name", sa.String(length=100), nullable=False),
        sa.Column(
            "value",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_cursor")),
        sa.UniqueConstraint(
            "connection_name", "flow_name", name=op.f("uq_flow_cursor_connection_name_flow_name")
        ),
    )
    op.create_table(
        "flow_run",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_name", sa.String(length=100), nullable=False),
        sa.Column("flow_name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("started_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column(
            "counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("error", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_run")),
    )
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.create_index(
            "ix_flow_run_flow", ["connection_name", "flow_name", "started_at"], unique=False
        )

    op.create_table(
        "lease",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_name", sa.String(length=100), nullable=False),
        sa.Column("flow_name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("acquired_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("next_due_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("last_outcome", sa.String(length=200), nullable=True),
        sa.Column("last_run_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lease")),
        sa.UniqueConstraint("connection_name", "flow_name", name=op.f("uq_lease_connection_name_flow_name")),
    )
    op.create_table(
        "connection_token",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=200), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("expires_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_connection_token_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection_token")),
        sa.UniqueConstraint("connection_id", "kind", name=op.f("uq_connection_token_connection_id_kind")),
    )
    with op.batch_alter_table("connection_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_connection_token_connection_id"), ["connection_id"], unique=False
        )

    op.create_table(
        "exception",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("flow", sa.String(length=200), nullable=True),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column(
            "fault",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("first_seen_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolved_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_exception_connection_id_connection"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exception")),
    )
    with op.batch_alter_table("exception", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exception_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_exception_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index("ix_exception_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exception_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_exception_open_entity_code",
            ["entity_type", "entity_id", "code"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "location",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_location_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
        sa.UniqueConstraint(
            "connection_id", "external_id", name=op.f("uq_location_connection_id_external_id")
        ),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_location_connection_id"), ["connection_id"], unique=False)

    op.create_table(
        "mapping",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_mapping_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mapping")),
        sa.UniqueConstraint(
            "kind", "connection_id", "source", name=op.f("uq_mapping_kind_connection_id_source")
        ),
    )
    with op.batch_alter_table("mapping", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mapping_connection_id"), ["connection_id"], unique=False)

    op.create_table(
        "order",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("channel_status", sa.String(length=200), nullable=True),
        sa.Column("hold_until", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("fulfillment_type", sa.String(length=20), nullable=False),
        sa.Column("source_channel", sa.String(length=200), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("shipping_fee", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tax", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("discount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("shipping_option", sa.String(length=200), nullable=True),
        sa.Column(
            "shipping_address",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "payments",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("placed_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("channel_updated_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["connection.id"], name=op.f("fk_order_connection_id_connection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order")),
        sa.UniqueConstraint("connection_id", "external_id", name=op.f("uq_order_connection_id_external_id")),
    )
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_channel_updated_at"), ["channel_updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_status"), ["status"], unique=False)

    op.create_table(
        "product",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("sku", sa.String(length=200), nullable=False),
        sa.Column("parent_sku", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("compare_at_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("weight", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("weight_unit", sa.String(length=20), nullable=True),
        sa.Column("length", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("width", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("height", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("dimension_unit", sa.String(length=20), nullable=True),
        sa.Column(
            "images",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "identifiers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("condition", sa.String(length=20), nullable=False),
        sa.Column(
            "attributes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("category_id", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "source_connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_connection_id"],
            ["connection.id"],
            name=op.f("fk_product_source_connection_id_connection"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
        sa.UniqueConstraint("sku", name=op.f("uq_product_sku")),
    )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_parent_sku"), ["parent_sku"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_product_source_connection_id"), ["source_connection_id"], unique=False
        )

    op.create_table(
        "refund",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("order_external_id", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=200), nullable=True),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["connection.id"], name=op.f("fk_refund_connection_id_connection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund")),
        sa.UniqueConstraint("connection_id", "external_id", name=op.f("uq_refund_connection_id_external_id")),
    )
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refund_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_refund_order_external_id"), ["order_external_id"], unique=False)

    op.create_table(
        "return_request",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("order_external_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=200), nullable=False),
        sa.Column("refund_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("channel_updated_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["connection.id"], name=op.f("fk_return_request_connection_id_connection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_request")),
        sa.UniqueConstraint(
            "connection_id", "external_id", name=op.f("uq_return_request_connection_id_external_id")
        ),
    )
    with op.batch_alter_table("return_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_request_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_return_request_order_external_id"), ["order_external_id"], unique=False
        )

    op.create_table(
        "statement",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("statement_time", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("settlement_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("revenue_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("fee_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("status", sa.String(length=200), nullable=True),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["connection.id"], name=op.f("fk_statement_connection_id_connection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
        sa.UniqueConstraint(
            "connection_id", "external_id", name=op.f("uq_statement_connection_id_external_id")
        ),
    )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_connection_id"), ["connection_id"], unique=False)

    op.create_table(
        "attribute_proposal",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("category_id", sa.String(length=200), nullable=False),
        sa.Column("attribute_id", sa.String(length=200), nullable=False),
        sa.Column("attribute_name", sa.String(length=200), nullable=False),
        sa.Column(
            "values",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("rationale", sa.String(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_attribute_proposal_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_attribute_proposal_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute_proposal")),
    )
    with op.batch_alter_table("attribute_proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attribute_proposal_connection_id"), ["connection_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attribute_proposal_product_id"), ["product_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attribute_proposal_status"), ["status"], unique=False)

    op.create_table(
        "channel_listing",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_product_id", sa.String(length=200), nullable=True),
        sa.Column("external_sku_id", sa.String(length=200), nullable=True),
        sa.Column("channel_sku", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "missing_attributes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "validation_errors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(length=200), nullable=True),
        sa.Column("pushed_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("pushed_quantity", sa.Integer(), nullable=True),
        sa.Column("inventory_pushed_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_channel_listing_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_channel_listing_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_listing")),
        sa.UniqueConstraint(
            "connection_id", "channel_sku", name=op.f("uq_channel_listing_connection_id_channel_sku")
        ),
        sa.UniqueConstraint(
            "product_id", "connection_id", name=op.f("uq_channel_listing_product_id_connection_id")
        ),
    )
    with op.batch_alter_table("channel_listing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_listing_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_channel_listing_product_id"), ["product_id"], unique=False)

    op.create_table(
        "fulfillment",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "source_connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("carrier", sa.String(length=200), nullable=True),
        sa.Column("tracking_number", sa.String(length=200), nullable=True),
        sa.Column(
            "lines",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("shipped_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("push_state", sa.String(length=20), nullable=False),
        sa.Column("channel_package_id", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("pushed_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_fulfillment_order_id_order"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_connection_id"],
            ["connection.id"],
            name=op.f("fk_fulfillment_source_connection_id_connection"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfillment")),
        sa.UniqueConstraint(
            "source_connection_id",
            "external_id",
            name=op.f("uq_fulfillment_source_connection_id_external_id"),
        ),
    )
    with op.batch_alter_table("fulfillment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fulfillment_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fulfillment_push_state"), ["push_state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_fulfillment_source_connection_id"), ["source_connection_id"], unique=False
        )

    op.create_table(
        "inventory_level",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("sku", sa.String(length=200), nullable=False),
        sa.Column("location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("committed", sa.Integer(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_inventory_level_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_level")),
        sa.UniqueConstraint("sku", "location_id", name=op.f("uq_inventory_level_sku_location_id")),
    )
    with op.batch_alter_table("inventory_level", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inventory_level_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inventory_level_sku"), ["sku"], unique=False)

    op.create_table(
        "order_line",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sku", sa.String(length=200), nullable=False),
        sa.Column("product_name", sa.String(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("discount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column(
            "external_line_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_order_line_order_id_order"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_line")),
        sa.UniqueConstraint("order_id", "sku", name=op.f("uq_order_line_order_id_sku")),
    )
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_line_order_id"), ["order_id"], unique=False)

    op.create_table(
        "order_route",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "destination_connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "steps",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("next_attempt_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("pushable_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_downstream_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("canceled_downstream_at", store.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["destination_connection_id"],
            ["connection.id"],
            name=op.f("fk_order_route_destination_connection_id_connection"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_order_route_order_id_order"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_route")),
        sa.UniqueConstraint(
            "order_id",
            "destination_connection_id",
            name=op.f("uq_order_route_order_id_destination_connection_id"),
        ),
    )
    with op.batch_alter_table("order_route", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_route_destination_connection_id"),
            ["destination_connection_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_order_route_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_route_state"), ["state"], unique=False)

    op.create_table(
        "shipping_request",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("connection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("status", sa.String(length=200), nullable=False),
        sa.Column(
            "lines",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["connection.id"], name=op.f("fk_shipping_request_connection_id_connection")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_shipping_request_order_id_order"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_request")),
        sa.UniqueConstraint(
            "connection_id", "external_id", name=op.f("uq_shipping_request_connection_id_external_id")
        ),
    )
    with op.batch_alter_table("shipping_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shipping_request_connection_id"), ["connection_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_shipping_request_order_id"), ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shipping_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipping_request_order_id"))
        batch_op.drop_index(batch_op.f("ix_shipping_request_connection_id"))

    op.drop_table("shipping_request")
    with op.batch_alter_table("order_route", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_route_state"))
        batch_op.drop_index(batch_op.f("ix_order_route_order_id"))
        batch_op.drop_index(batch_op.f("ix_order_route_destination_connection_id"))

    op.drop_table("order_route")
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_line_order_id"))

    op.drop_table("order_line")
    with op.batch_alter_table("inventory_level", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inventory_level_sku"))
        batch_op.drop_index(batch_op.f("ix_inventory_level_location_id"))

    op.drop_table("inventory_level")
    with op.batch_alter_table("fulfillment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fulfillment_source_connection_id"))
        batch_op.drop_index(batch_op.f("ix_fulfillment_push_state"))
        batch_op.drop_index(batch_op.f("ix_fulfillment_order_id"))

    op.drop_table("fulfillment")
    with op.batch_alter_table("channel_listing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_listing_product_id"))
        batch_op.drop_index(batch_op.f("ix_channel_listing_connection_id"))

    op.drop_table("channel_listing")
    with op.batch_alter_table("attribute_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attribute_proposal_status"))
        batch_op.drop_index(batch_op.f("ix_attribute_proposal_product_id"))
        batch_op.drop_index(batch_op.f("ix_attribute_proposal_connection_id"))

    op.drop_table("attribute_proposal")
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_connection_id"))

    op.drop_table("statement")
    with op.batch_alter_table("return_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_request_order_external_id"))
        batch_op.drop_index(batch_op.f("ix_return_request_connection_id"))

    op.drop_table("return_request")
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_order_external_id"))
        batch_op.drop_index(batch_op.f("ix_refund_connection_id"))

    op.drop_table("refund")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_source_connection_id"))
        batch_op.drop_index(batch_op.f("ix_product_parent_sku"))

    op.drop_table("product")
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_status"))
        batch_op.drop_index(batch_op.f("ix_order_connection_id"))
        batch_op.drop_index(batch_op.f("ix_order_channel_updated_at"))

    op.drop_table("order")
    with op.batch_alter_table("mapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mapping_connection_id"))

    op.drop_table("mapping")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_connection_id"))

    op.drop_table("location")
    with op.batch_alter_table("exception", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_exception_open_entity_code",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_exception_status"))
        batch_op.drop_index("ix_exception_entity")
        batch_op.drop_index(batch_op.f("ix_exception_connection_id"))
        batch_op.drop_index(batch_op.f("ix_exception_code"))

    op.drop_table("exception")
    with op.batch_alter_table("connection_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connection_token_connection_id"))

    op.drop_table("connection_token")
    op.drop_table("lease")
    with op.batch_alter_table("flow_run", schema=None) as batch_op:
        batch_op.drop_index("ix_flow_run_flow")

    op.drop_table("flow_run")
    op.drop_table("flow_cursor")
    op.drop_table("connection")
    op.drop_table("audit_log")
    op.drop_table("approval")
