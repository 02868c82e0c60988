"""Shared fixtures for the SFCC connector tests: a running sandbox and a client on it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

# The test modules import builders from sfcc_helpers.py next to this file; the tests tree has no
# packages, so put this directory on the path explicitly rather than rely on the import mode.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import httpx  # noqa: E402
import pytest  # noqa: E402
from sfcc_helpers import T0, make_settings  # noqa: E402

from connectors.engine.clock import FrozenClock, SystemClock  # noqa: E402
from connectors.sandbox_runner import running_sandbox  # noqa: E402
from connectors.sfcc.client import SfccClient  # noqa: E402
from connectors.sfcc.retry import RetryPolicy  # noqa: E402
from connectors.sfcc.sandbox.app import create_app, default_seed  # noqa: E402


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with running_sandbox(create_app(default_seed())) as url:
        yield url


@pytest.fixture
def admin(sandbox_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox_url) as client:
        yield client


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def client(sandbox_url: str, http: httpx.Client, sleeps: list[float]) -> SfccClient:
    return SfccClient(
        http, make_settings(sandbox_url), clock=SystemClock(), sleep=sleeps.append, retry=RetryPolicy()
    )


@pytest.fixture
def frozen() -> FrozenClock:
    return FrozenClock(T0)
