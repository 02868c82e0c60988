"""A TokenStore kept in the store, shared by every daemon replica of a connection.

Each save commits at once in its own transaction: a refreshed token must outlive the flow run
that refreshed it, even if that run rolls back.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from connectors.tiktok.tokens import TokenRecord
from store.repositories import ConnectionRepository

TOKEN_KIND = "tiktok_oauth"  # noqa: S105 (a row kind, not a secret)


class StoreTokenStore:
    """TokenStore over the ConnectionToken row of one connection."""

    def __init__(self, session_factory: sessionmaker[Session], connection_name: str) -> None:
        self.session_factory = session_factory
        self.connection_name = connection_name

    def load(self) -> TokenRecord | None:
        with self.session_factory() as session:
            repository = ConnectionRepository(session)
            connection = repository.get_by_name(self.connection_name)
            if connection is None:
                return None
            token = repository.get_token(connection.id, TOKEN_KIND)
            return None if token is None else TokenRecord(**token.data)

    def save(self, record: TokenRecord) -> None:
        with self.session_factory.begin() as session:
            repository = ConnectionRepository(session)
            connection = repository.get_by_name(self.connection_name)
            if connection is None:
                raise LookupError(f"connection {self.connection_name} is not in the store")
            repository.save_token(
                connection.id,
                TOKEN_KIND,
                dataclasses.asdict(record),
                expires_at=datetime.fromtimestamp(record.access_token_expire_in, UTC),
                now=datetime.now(UTC),
            )
