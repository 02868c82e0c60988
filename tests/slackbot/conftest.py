"""Bot fixtures: the agent harness from tests/agent and a local mock Slack Web API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.agent.conftest import make_harness, store_sessions
from tests.slackbot.mock_slack import MockSlack

__all__ = ["make_harness", "mock_slack", "store_sessions"]


@pytest.fixture
def mock_slack() -> Iterator[MockSlack]:
    server = MockSlack().start()
    yield server
    server.stop()
