"""Returns, cancellations, refunds and settlement statements: upserts by (connection, external id)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Refund, Return, Statement

RowT = TypeVar("RowT", Return, Refund, Statement)


def _upsert(
    session: Session, model: type[RowT], connection_id: int, external_id: str, fields: dict[str, Any]
) -> tuple[RowT, bool]:
    row = session.scalar(
        select(model).where(model.connection_id == connection_id, model.external_id == external_id)
    )
    created = row is None
    if row is None:
        row = model(connection_id=connection_id, external_id=external_id, **fields)
        session.add(row)
    else:
        for key, value in fields.items():
            setattr(row, key, value)
    session.flush()
    return row, created


class ReturnRepository:
    """Return and cancellation requests from a sales channel."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, connection_id: int, external_id: str, fields: dict[str, Any]) -> tuple[Return, bool]:
        """Create or update one request; returns (row, created)."""
        return _upsert(self.session, Return, connection_id, external_id, fields)

    def for_order(self, connection_id: int, order_external_id: str) -> Sequence[Return]:
        return self.session.scalars(
            select(Return)
            .where(Return.connection_id == connection_id, Return.order_external_id == order_external_id)
            .order_by(Return.id)
        ).all()


class RefundRepository:
    """Money given back to buyers."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, connection_id: int, external_id: str, fields: dict[str, Any]) -> tuple[Refund, bool]:
        """Create or update one refund; returns (row, created)."""
        return _upsert(self.session, Refund, connection_id, external_id, fields)

    def for_order(self, connection_id: int, order_external_id: str) -> Sequence[Refund]:
        return self.session.scalars(
            select(Refund)
            .where(Refund.connection_id == connection_id, Refund.order_external_id == order_external_id)
            .order_by(Refund.id)
        ).all()


class StatementRepository:
    """Settlement statements of a sales channel."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, connection_id: int, external_id: str, fields: dict[str, Any]) -> tuple[Statement, bool]:
        """Create or update one statement; returns (row, created)."""
        return _upsert(self.session, Statement, connection_id, external_id, fields)

    def for_connection(self, connection_id: int) -> Sequence[Statement]:
        return self.session.scalars(
            select(Statement)
            .where(Statement.connection_id == connection_id)
            .order_by(Statement.statement_time, Statement.id)
        ).all()
