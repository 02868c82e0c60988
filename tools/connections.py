"""Connections as tools see them: the store row plus its settings with every default filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.sfcc.settings import SfccSettings
from connectors.tiktok.settings import TikTokSettings
from store.models import Connection
from tools.registry import ToolContext, ToolError

_SETTINGS_MODELS: dict[str, type[BaseModel]] = {"sfcc": SfccSettings, "tiktok": TikTokSettings}


@dataclass(frozen=True)
class ConnectionView:
    """One connection with its effective, non-secret settings."""

    id: int
    name: str
    type: str
    enabled: bool
    settings: dict[str, Any]
    last_success_at: datetime | None
    last_auth_error: str | None
    last_auth_error_at: datetime | None

    def setting(self, key: str) -> Any:
        """The value in force: the stored setting, else the connector's documented default."""
        if key in self.settings:
            return self.settings[key]
        model = _SETTINGS_MODELS.get(self.type)
        if model is None or key not in model.model_fields:
            return None
        default = model.model_fields[key].get_default(call_default_factory=True)
        if isinstance(default, BaseModel):
            return default.model_dump(mode="json")
        if isinstance(default, list):
            return [item.model_dump(mode="json") if isinstance(item, BaseModel) else item for item in default]
        return default


def effective_settings(ctx: ToolContext, connection: Connection) -> dict[str, Any]:
    """Settings of a connection: the configuration's when it names the connection, else the store's.

    The configuration is what the daemon runs with now; the store row is what it last wrote, so
    the configuration wins when both exist.
    """
    configured = getattr(ctx.config, "connections", {}) if ctx.config is not None else {}
    if connection.name in configured:
        public: dict[str, Any] = configured[connection.name].public_settings()
        return public
    return dict(connection.settings or {})


def view_of(ctx: ToolContext, connection: Connection) -> ConnectionView:
    """A ConnectionView of one store row."""
    return ConnectionView(
        id=connection.id,
        name=connection.name,
        type=connection.type,
        enabled=connection.enabled,
        settings=effective_settings(ctx, connection),
        last_success_at=connection.last_success_at,
        last_auth_error=connection.last_auth_error,
        last_auth_error_at=connection.last_auth_error_at,
    )


def connection_named(session: Session, name: str | None, *, type_name: str) -> Connection:
    """The connection called ``name``; with no name, the only connection of ``type_name``."""
    if name is not None:
        connection = session.scalar(select(Connection).where(Connection.name == name))
        if connection is None:
            known = ", ".join(c.name for c in session.scalars(select(Connection).order_by(Connection.name)))
            raise ToolError(
                f"No connection is called '{name}' (known: {known or 'none'}); pass one of those names.",
                code="tool.not_found",
            )
        if connection.type != type_name:
            raise ToolError(
                f"Connection '{name}' is a {connection.type} connection, not {type_name}; "
                f"pass the {type_name} connection instead.",
                code="tool.invalid_input",
            )
        return connection
    candidates = list(
        session.scalars(select(Connection).where(Connection.type == type_name).order_by(Connection.name))
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ToolError(
            f"No {type_name} connection exists in the store; add one to the configuration and start "
            f"the daemon.",
            code="tool.not_found",
        )
    names = ", ".join(c.name for c in candidates)
    raise ToolError(
        f"There are several {type_name} connections ({names}); pass `connection` to say which one.",
        code="tool.invalid_input",
    )
