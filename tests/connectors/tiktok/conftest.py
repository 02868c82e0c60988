"""Make the repository root importable when pytest runs from a plain test directory.

Remove once pyproject.toml sets ``pythonpath = ["."]`` under ``[tool.pytest.ini_options]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

# Shared fixtures for the TikTok connector tests. (Imports sit below the path fix on purpose.)
from collections.abc import Iterator  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from connectors.engine.clock import FrozenClock  # noqa: E402
from connectors.sandbox_runner import running_sandbox  # noqa: E402
from connectors.tiktok.client import TikTokClient, build_client  # noqa: E402
from connectors.tiktok.sandbox import Sandbox, create_app  # noqa: E402
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE  # noqa: E402
from connectors.tiktok.settings import TikTokSettings  # noqa: E402
from connectors.tiktok.tokens import InMemoryTokenStore  # noqa: E402

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
