"""``sync_daemon.py authorize CONNECTION [--code CODE]``: hand a seller's code to the connector."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from connectors.config import ShopwrightConfig
from connectors.engine.app import sync_connections
from connectors.engine.clock import Clock
from connectors.engine.hooks import AuthorizationError
from connectors.runtime import ConnectionRuntime
from store.migrate import require_migrated
from store.session import create_session_factory, create_store_engine

HTTP_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


def run_authorize(
    config: ShopwrightConfig, connection_name: str, code: str | None, clock: Clock
) -> Sequence[str]:
    """Run the connection's authorisation step; returns the lines to print.

    Raises `AuthorizationError` (what went wrong and what to do) and `UnmigratedDatabaseError`.
    """
    connection = config.connections.get(connection_name)
    if connection is None:
        known = ", ".join(sorted(config.connections)) or "none configured"
        raise AuthorizationError(f"no connection named {connection_name}; known connections: {known}")
    authorizer = connection.connector.authorizer
    if authorizer is None:
        raise AuthorizationError(
            f"{connection_name} (type {connection.type}) has no authorisation step: its credentials "
            "come from the configuration and the secrets file"
        )
    engine = create_store_engine(config.database_url)
    try:
        require_migrated(engine)
        session_factory = create_session_factory(engine)
        # The tokens hang off the connection's row: make sure it exists before they are saved.
        sync_connections(config, session_factory)
        with httpx.Client(timeout=HTTP_TIMEOUT) as http:
            runtime = ConnectionRuntime(connection_name, connection.settings, http, clock, session_factory)
            return list(authorizer.authorize(runtime, code))
    finally:
        engine.dispose()
