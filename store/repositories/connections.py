"""Connections: configured connector instances and their health."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Connection, ConnectionToken


class ConnectionRepository:
    """Connection rows, kept in step with the configuration file."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_name(self, name: str) -> Connection | None:
        return self.session.scalar(select(Connection).where(Connection.name == name))

    def get_by_id(self, connection_id: int) -> Connection | None:
        return self.session.get(Connection, connection_id)

    def all(self) -> Sequence[Connection]:
        return self.session.scalars(select(Connection).order_by(Connection.name)).all()

    def upsert(self, name: str, type_name: str, settings: dict[str, Any]) -> Connection:
        """Create or update the row for a configured connection (settings without secrets)."""
        connection = self.get_by_name(name)
        if connection is None:
            connection = Connection(name=name, type=type_name, settings=settings, enabled=True)
            self.session.add(connection)
        else:
            connection.type = type_name
            connection.settings = settings
        self.session.flush()
        return connection

    def mark_success(self, connection: Connection, now: datetime) -> None:
        connection.last_success_at = now
        self.session.flush()

    def mark_auth_error(self, connection: Connection, message: str, now: datetime) -> None:
        connection.last_auth_error = message
        connection.last_auth_error_at = now
        self.session.flush()

    def get_token(self, connection_id: int, kind: str) -> ConnectionToken | None:
        return self.session.scalar(
            select(ConnectionToken).where(
                ConnectionToken.connection_id == connection_id, ConnectionToken.kind == kind
            )
        )

    def get_token_by_connection_name(
        self, connection_name: str, kind: str, *, for_update: bool = False
    ) -> ConnectionToken | None:
        """The token row of a connection found by name, in one query.

        ``for_update`` locks the row until the transaction ends (PostgreSQL; SQLite ignores it),
        so that two processes renewing the same token take turns.
        """
        query = (
            select(ConnectionToken)
            .join(Connection, Connection.id == ConnectionToken.connection_id)
            .where(Connection.name == connection_name, ConnectionToken.kind == kind)
        )
        if for_update:
            query = query.with_for_update(of=ConnectionToken)
        return self.session.scalar(query)

    def save_token(
        self,
        connection_id: int,
        kind: str,
        data: dict[str, Any],
        *,
        expires_at: datetime | None,
        now: datetime,
    ) -> ConnectionToken:
        token = self.get_token(connection_id, kind)
        if token is None:
            token = ConnectionToken(
                connection_id=connection_id, kind=kind, data=data, expires_at=expires_at, updated_at=now
            )
            self.session.add(token)
        else:
            token.data = data
            token.expires_at = expires_at
            token.updated_at = now
        self.session.flush()
        return token
