"""Configured connector instances, their health and their persisted OAuth tokens."""

from __future__ import annotations

from sqlalchemy import Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base
from store.models._columns import (
    IdPk,
    Json,
    Name,
    OptionalText,
    OptionalTimestamp,
    Timestamp,
    fk_id,
    utcnow,
)


class Connection(Base):
    """A configured connector instance such as ``tiktok-us`` or ``sfcc-main``.

    ``settings`` holds the validated, non-secret settings as last loaded from the configuration;
    secrets never reach this table.
    """

    __tablename__ = "connection"

    id: Mapped[IdPk]
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    type: Mapped[str] = mapped_column(String(30), nullable=False)
    settings: Mapped[Json]
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_success_at: Mapped[OptionalTimestamp]
    last_auth_error: Mapped[OptionalText]
    last_auth_error_at: Mapped[OptionalTimestamp]
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)


class ConnectionToken(Base):
    """OAuth tokens obtained at run time for one connection and token kind.

    Kept in the store so every daemon replica shares one refreshed token instead of each
    refreshing (and invalidating) the others'. Never logged: repr hides the document.
    """

    __tablename__ = "connection_token"

    id: Mapped[IdPk]
    connection_id: Mapped[int] = fk_id("connection.id", ondelete="CASCADE")
    kind: Mapped[Name]
    data: Mapped[Json]
    expires_at: Mapped[OptionalTimestamp]
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("connection_id", "kind"),)

    def __repr__(self) -> str:
        return f"ConnectionToken(connection_id={self.connection_id}, kind={self.kind!r}, data=<redacted>)"
