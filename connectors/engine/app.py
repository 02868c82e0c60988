"""Wires configuration, store, connectors and engine into a ready Daemon (the daemon's factory)."""

from __future__ import annotations

import os
import socket
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from connectors.config import ShopwrightConfig
from connectors.engine.clock import Clock, SystemClock
from connectors.engine.daemon import Daemon
from connectors.engine.hooks import FlowTrigger, SideService
from connectors.engine.metrics import DaemonMetrics
from connectors.engine.registry import FlowRegistry
from connectors.engine.runner import FlowRunner, RetryPolicy
from connectors.runtime import ConnectionRuntime
from store.migrate import require_migrated
from store.repositories import ConnectionRepository
from store.session import create_session_factory, create_store_engine

HTTP_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@dataclass
class DaemonApp:
    """A daemon and what it owns; ``close()`` releases HTTP clients and the engine."""

    daemon: Daemon
    engine: Engine
    session_factory: sessionmaker[Session]
    registry: FlowRegistry
    resources: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        self.resources.close()
        self.engine.dispose()


def default_holder() -> str:
    """A name that tells which process holds a lease: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


_SYNC_ATTEMPTS = 3


def sync_connections(config: ShopwrightConfig, session_factory: sessionmaker[Session]) -> None:
    """Make the store's Connection rows match the configuration (settings without secrets).

    Replicas starting together race to create the same rows: the loser's insert hits the unique
    name, and its second attempt finds the rows and updates them instead.
    """
    for attempt in range(_SYNC_ATTEMPTS):
        try:
            with session_factory.begin() as session:
                repository = ConnectionRepository(session)
                for connection in config.connections.values():
                    repository.upsert(connection.name, connection.type, connection.public_settings())
            return
        except IntegrityError:
            if attempt == _SYNC_ATTEMPTS - 1:
                raise


def build_registry(
    config: ShopwrightConfig,
    session_factory: sessionmaker[Session],
    clock: Clock,
    resources: ExitStack,
) -> FlowRegistry:
    """Every flow of every connection, each with a lazily built client over one HTTP pool."""
    http = resources.enter_context(httpx.Client(timeout=HTTP_TIMEOUT))
    factories: dict[str, Any] = {}
    for name, connection in config.connections.items():
        build = connection.connector.build_client
        if build is None:
            continue
        runtime = ConnectionRuntime(name, connection.settings, http, clock, session_factory)
        factories[name] = _bind(build, runtime)
    return FlowRegistry.from_connections(config.connections, factories)


def _bind(build: Any, runtime: ConnectionRuntime) -> Any:
    return lambda: build(runtime)


def create_daemon(
    config: ShopwrightConfig,
    *,
    clock: Clock | None = None,
    holder: str | None = None,
    metrics: DaemonMetrics | None = None,
) -> DaemonApp:
    """Build the daemon for ``config``; refuses an unmigrated database."""
    clock = clock or SystemClock()
    engine = create_store_engine(config.database_url)
    try:
        require_migrated(engine)
    except Exception:
        engine.dispose()
        raise
    session_factory = create_session_factory(engine)
    sync_connections(config, session_factory)
    resources = ExitStack()
    registry = build_registry(config, session_factory, clock, resources)
    settings = config.daemon
    runner = FlowRunner(
        session_factory,
        clock,
        holder=holder or default_holder(),
        policy=RetryPolicy(
            settings.max_attempts, settings.backoff_base_seconds, settings.backoff_max_seconds
        ),
        lease_ttl=timedelta(seconds=settings.lease_ttl_seconds),
    )
    daemon = Daemon(
        registry, runner, session_factory, clock, tick_seconds=settings.tick_seconds, metrics=metrics
    )
    daemon.services.extend(build_services(config, daemon, session_factory, clock, resources))
    return DaemonApp(daemon, engine, session_factory, registry, resources)


def build_services(
    config: ShopwrightConfig,
    daemon: Daemon,
    session_factory: sessionmaker[Session],
    clock: Clock,
    resources: ExitStack,
) -> list[SideService]:
    """The side services every connection declares, each able to bring its own flows forward.

    Built here, started only by ``Daemon.run()``: ``once`` and the tests that drive flows by hand
    open no ports.
    """
    services: list[SideService] = []
    http: httpx.Client | None = None
    for name, connection in config.connections.items():
        factory = connection.connector.services
        if factory is None:
            continue
        if http is None:
            http = resources.enter_context(httpx.Client(timeout=HTTP_TIMEOUT))
        runtime = ConnectionRuntime(name, connection.settings, http, clock, session_factory)
        services.extend(factory(runtime, _trigger_for(daemon, name)))
    return services


def _trigger_for(daemon: Daemon, connection_name: str) -> FlowTrigger:
    def trigger(flow_name: str, reason: str) -> bool:
        return daemon.request_run(f"{connection_name}:{flow_name}", reason)

    return trigger
