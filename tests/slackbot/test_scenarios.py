"""Signed requests dispatched through the real Bolt app; outgoing calls seen on a local mock Slack."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot import create_app
from slack_app.blocks import APPROVE
from slack_app.settings import BotSettings
from tests.agent.conftest import APPROVER, OTHER, Harness
from tests.agent.fakes import ORDER_ID
from tests.slackbot.mock_slack import MockSlack

SECRET = "test-signing-secret"
Build = Callable[..., Harness]


class InlineExecutor(Executor):
    """Runs lazy listeners inside dispatch, so a test can assert that one never ran."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _app(h: Harness, slack: MockSlack, executor: Executor | None = None) -> App:
    settings = BotSettings(
        bot_token="xoxb-test",
        signing_secret=SECRET,
        approvers=(APPROVER,),
        web_api_base_url=slack.base_url,
        clock=h.clock,
    )
    return create_app(settings, h.graph, h.sessions, listener_executor=executor)


def _request(
    body: str,
    *,
    content_type: str = "application/json",
    secret: str = SECRET,
    timestamp: int | None = None,
    extra: dict[str, str] | None = None,
) -> BoltRequest:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    headers = {
        "content-type": content_type,
        "x-slack-signature": signature,
        "x-slack-request-timestamp": ts,
        **(extra or {}),
    }
    return BoltRequest(body=body, headers=headers)


def _event(event: dict[str, Any], event_id: str) -> str:
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": event_id,
            "event_time": 1700000000,
            "event": event,
        }
    )


def _mention(text: str, event_id: str, ts: str = "1700000000.000100") -> str:
    return _event(
        {"type": "app_mention", "user": "USELLER", "text": f"<@UBOT> {text}", "channel": "C1", "ts": ts},
        event_id,
    )


def _click(action_id: str, token: str, user: str, card: dict[str, Any]) -> BoltRequest:
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "channel": {"id": "C1"},
        "container": {"type": "message", "message_ts": card["ts"]},
        "message": {"ts": "1700000001.000009", "thread_ts": "1700000000.000100", "blocks": card["blocks"]},
        "response_url": "http://127.0.0.1:9/none",
        "trigger_id": "1.2.3",
        "actions": [
            {"action_id": action_id, "block_id": "shopwright_decision", "value": token, "type": "button"}
        ],
    }
    return _request(
        urlencode({"payload": json.dumps(payload)}), content_type="application/x-www-form-urlencoded"
    )


def test_mention_is_answered_in_its_thread(make_harness: Build, mock_slack: MockSlack) -> None:
    app = _app(make_harness(), mock_slack)
    response = app.dispatch(_request(_mention(f"why did order {ORDER_ID} fail?", "Ev1")))
    assert response.status == 200
    [posted] = mock_slack.wait_for("chat.postMessage")
    assert posted["channel"] == "C1" and posted["thread_ts"] == "1700000000.000100"
    assert "sfcc.invalid_shipping_method" in posted["text"]


def test_bad_or_stale_signature_is_rejected(make_harness: Build, mock_slack: MockSlack) -> None:
    app = _app(make_harness(), mock_slack)
    assert app.dispatch(_request(_mention("hi", "Ev2"), secret="wrong")).status == 401
    stale = int(time.time()) - 6 * 60
    assert app.dispatch(_request(_mention("hi", "Ev3"), timestamp=stale)).status == 401
    assert mock_slack.calls == []


def test_url_verification_is_answered(make_harness: Build, mock_slack: MockSlack) -> None:
    app = _app(make_harness(), mock_slack)
    response = app.dispatch(
        _request(json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}))
    )
    assert response.status == 200 and "abc123" in response.body


def test_retried_event_is_processed_once(make_harness: Build, mock_slack: MockSlack) -> None:
    app = _app(make_harness(), mock_slack, InlineExecutor())
    body = _mention("flow status", "Ev4")
    assert app.dispatch(_request(body)).status == 200
    retry = _request(body, extra={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
    assert app.dispatch(retry).status == 200
    assert len(mock_slack.calls_to("chat.postMessage")) == 1


def test_approval_card_refuses_a_stranger_and_applies_for_an_approver(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = make_harness()
    app = _app(h, mock_slack)
    app.dispatch(_request(_mention(f"why did order {ORDER_ID} fail?", "Ev5")))
    mock_slack.wait_for("chat.postMessage", 1)
    reply = _event(
        {
            "type": "message",
            "channel_type": "channel",
            "user": "USELLER",
            "text": "apply the fix",
            "channel": "C1",
            "ts": "1700000000.000200",
            "thread_ts": "1700000000.000100",
        },
        "Ev6",
    )
    app.dispatch(_request(reply))
    card = mock_slack.wait_for("chat.postMessage", 2)[1]
    buttons = next(b for b in card["blocks"] if b["type"] == "actions")["elements"]
    token = buttons[0]["value"]
    assert buttons[0]["action_id"] == APPROVE and "Standard Shipping" in json.dumps(card["blocks"])
    card["ts"] = "1700000001.000009"

    assert app.dispatch(_click(APPROVE, token, OTHER, card)).status == 200
    [ephemeral] = mock_slack.wait_for("chat.postEphemeral")
    assert ephemeral["user"] == OTHER and f"<@{APPROVER}>" in ephemeral["text"]
    assert h.world.writes == []

    assert app.dispatch(_click(APPROVE, token, APPROVER, card)).status == 200
    [updated] = mock_slack.wait_for("chat.update")
    assert f"Approved by <@{APPROVER}>" in updated["text"]
    assert not any(b["type"] == "actions" for b in updated["blocks"])
    done = mock_slack.wait_for("chat.postMessage", 3)[2]
    assert "Done" in done["text"] and len(h.world.writes) == 1
