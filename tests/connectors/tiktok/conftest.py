"""Shared fixtures for the TikTok connector tests: sandboxes, clients, and authorised daemon apps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from connectors.config import load_config
from connectors.engine.app import DaemonApp, create_daemon
from connectors.engine.clock import FrozenClock
from connectors.sandbox_runner import running_sandbox
from connectors.tiktok.client import TikTokClient, build_client
from connectors.tiktok.sandbox import Sandbox, create_app
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from connectors.tiktok.tokens import InMemoryTokenStore

APP_KEY = "test_app_key"
APP_SECRET = "test_app_secret_not_real"
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class FakeTime:
    """Monotonic time and sleep for clients: sleeping advances time (and the wall clock) instantly."""

    def __init__(self, wall: FrozenClock | None = None) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.wall = wall

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.wall is not None:
            self.wall.advance(timedelta(seconds=seconds))


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def sandbox_app(clock: FrozenClock) -> Any:
    return create_app(APP_KEY, APP_SECRET, clock=clock)


@pytest.fixture
def sandbox(sandbox_app: Any) -> Sandbox:
    result: Sandbox = sandbox_app.state.sandbox
    return result


@pytest.fixture
def sandbox_url(sandbox_app: Any) -> Iterator[str]:
    with running_sandbox(sandbox_app) as url:
        yield url


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def make_settings(url: str, **changes: Any) -> TikTokSettings:
    return TikTokSettings(
        app_key=APP_KEY, app_secret=SecretStr(APP_SECRET), api_base_url=url, auth_base_url=url, **changes
    )


@pytest.fixture
def fake_time(sandbox: Sandbox) -> FakeTime:
    # Sleeping in the client moves the sandbox clock too, so timestamps stay inside the window.
    return FakeTime()


@pytest.fixture
def client(sandbox: Sandbox, sandbox_url: str, http: httpx.Client, fake_time: FakeTime) -> TikTokClient:
    """A client authorised against the running sandbox, bound to the default shop."""
    import random

    tiktok = build_client(
        make_settings(sandbox_url, rate_limit_qps=1000),
        http,
        InMemoryTokenStore(),
        sandbox.state.clock,
        sleep=fake_time.sleep,
        monotonic=fake_time.monotonic,
        rng=random.Random(7),
    )
    tiktok.exchange_auth_code(DEFAULT_AUTH_CODE)
    tiktok.bind_shop()
    return tiktok


@pytest.fixture
def authorized_app(
    database_url: str, sandbox_url: str, clock: FrozenClock, tmp_path: Path
) -> Iterator[Callable[[str], DaemonApp]]:
    """Build a daemon app with one TikTok connection `tt` (plus ``extra`` TOML), already authorised.

    The seller authorises once; the tokens land in the store for every daemon to share.
    """
    apps: list[DaemonApp] = []

    def make(extra: str = "") -> DaemonApp:
        config_path = tmp_path / f"shopwright-{len(apps)}.toml"
        config_path.write_text(
            f'database_url = "{database_url}"\n[connections.tt]\ntype = "tiktok"\napp_key = "{APP_KEY}"\n'
            f'api_base_url = "{sandbox_url}"\nauth_base_url = "{sandbox_url}"\nrate_limit_qps = 1000\n{extra}'
        )
        config = load_config(config_path, environ={"SHOPWRIGHT_TT_APP_SECRET": APP_SECRET})
        daemon_app = create_daemon(config, clock=clock, holder="test:1")
        apps.append(daemon_app)
        with httpx.Client() as http:
            settings = config.connections["tt"].settings
            assert isinstance(settings, TikTokSettings)
            client = build_client(settings, http, StoreTokenStore(daemon_app.session_factory, "tt"), clock)
            client.exchange_auth_code(DEFAULT_AUTH_CODE)
            client.bind_shop()
        return daemon_app

    yield make
    for daemon_app in apps:
        daemon_app.close()
