"""Listener functions, the console and alerts, called directly with fakes or the mock Slack."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from slack_app.console import run_console
from slack_app.listeners import Listeners
from tests.agent.conftest import APPROVER, Harness
from tests.agent.fakes import ORDER_ID

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
    assert (
        "sfcc.invalid_shipping_method" in text and "Approval needed (approval 1): map_shipping_method" in text
    )
    assert f"bot> Approved by @{APPROVER}: approval 1 for map_shipping_method." in text
    assert f"applied after approval by @{APPROVER}" in text and len(h.world.writes) == 1


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


def test_console_strict_exit_status_reports_a_failed_step(make_harness: Build) -> None:
    h = make_harness()
    ok = run_console(
        h.runner, APPROVER, io.StringIO("flow status\n"), io.StringIO(), thread_id="c:1", strict=True
    )
    assert ok == 0
    refused = run_console(
        h.runner, APPROVER, io.StringIO("approve\n"), io.StringIO(), thread_id="c:2", strict=True
    )
    assert refused == 1
