"""Listener functions, the console and alerts, called directly with fakes or the mock Slack."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_sdk import WebClient

from slack_app.alerts import AlertPoster
from slack_app.console import run_console
from slack_app.listeners import Listeners
from store.repositories import ExceptionRepository
from tests.agent.conftest import APPROVER, Harness
from tests.agent.fakes import ORDER_ID
from tests.slackbot.mock_slack import MockSlack

Build = Callable[..., Harness]


class FakeClient:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def chat_postMessage(self, **kwargs: Any) -> None:
        self.calls.append(("chat.postMessage", kwargs))


def test_dm_is_answered_and_bot_messages_are_ignored(make_harness: Build) -> None:
    h = make_harness()
    listeners, client = Listeners(h.runner, (APPROVER,)), FakeClient()
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "U1",
        "ts": "1.1",
        "text": "flow status",
    }
    listeners.on_message({"event": dm}, client)
    listeners.on_message({"event": {**dm, "bot_id": "B1"}}, client)
    assert len(client.calls) == 1 and client.calls[0][1]["thread_ts"] == "1.1"


def test_channel_message_outside_a_known_thread_is_ignored(make_harness: Build) -> None:
    listeners, client = Listeners(make_harness().runner, (APPROVER,)), FakeClient()
    event = {
        "type": "message",
        "channel_type": "channel",
        "channel": "C1",
        "user": "U1",
        "ts": "2.2",
        "thread_ts": "2.0",
        "text": "anyone?",
    }
    listeners.on_message({"event": event}, client)
    assert client.calls == []


def test_console_diagnoses_and_applies_after_approve(make_harness: Build) -> None:
    h = make_harness()
    script = io.StringIO(f"why did order {ORDER_ID} fail?\napply the fix\napprove\nquit\n")
    out = io.StringIO()
    assert run_console(h.runner, APPROVER, script, out, thread_id="console:test") == 0
    text = out.getvalue()
    assert "sfcc.invalid_shipping_method" in text and "Approval needed: map_shipping_method" in text
    assert "Done" in text and len(h.world.writes) == 1


def test_console_refuses_a_non_approver(make_harness: Build) -> None:
    h = make_harness()
    out = io.StringIO()
    run_console(
        h.runner,
        "someone",
        io.StringIO(f"why did order {ORDER_ID} fail?\napply the fix\napprove\n"),
        out,
        thread_id="console:test2",
    )
    assert "may approve" in out.getvalue() and h.world.writes == []


def test_alerts_post_new_exceptions_once_grouped_by_code(
    make_harness: Build, mock_slack: MockSlack, tmp_path: Path
) -> None:
    h = make_harness()
    now = h.clock.now()
    with h.sessions.begin() as session:
        repo = ExceptionRepository(session)
        for order in (ORDER_ID, "576653688135258179"):
            repo.observe(
                code="sfcc.invalid_shipping_method",
                category="routing",
                entity_type="order",
                entity_id=order,
                message="shipping method EXP is not valid",
                now=now,
            )
        repo.observe(
            code="sku.unmapped",
            category="ingestion",
            entity_type="sku",
            entity_id="TS-RED-M",
            message="no master SKU TS-RED-M",
            now=now,
        )
    client = WebClient(token="xoxb-test", base_url=mock_slack.base_url)
    poster = AlertPoster(client, h.sessions, "CALERTS", tmp_path / "watermark.json")
    assert poster.post_new() == 2
    posts = mock_slack.wait_for("chat.postMessage", 2)
    first = posts[0]
    assert first["channel"] == "CALERTS" and "sfcc.invalid_shipping_method" in first["text"]
    assert any(
        el["action_id"] == "shopwright_diagnose"
        for b in first["blocks"]
        if b["type"] == "actions"
        for el in b["elements"]
    )
    assert poster.post_new() == 0
