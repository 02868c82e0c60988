"""Signed Slack requests for the real Bolt app, built the way Slack builds them."""

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
from slack_app.settings import BotSettings
from tests.agent.conftest import APPROVER, Harness
from tests.slackbot.mock_slack import MockSlack

SECRET = "test-signing-secret"
THREAD_TS = "1700000000.000100"


class InlineExecutor(Executor):
    """Runs lazy listeners inside dispatch, so a test can assert that one never ran."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def make_app(
    h: Harness,
    slack: MockSlack,
    executor: Executor | None = None,
    *,
    approvers: tuple[str, ...] = (APPROVER,),
) -> App:
    settings = BotSettings(
        bot_token="xoxb-test",
        signing_secret=SECRET,
        approvers=approvers,
        web_api_base_url=slack.base_url,
        clock=h.clock,
    )
    return create_app(settings, h.graph, h.sessions, listener_executor=executor)


def signed_headers(
    body: str, *, content_type: str, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"content-type": content_type, "x-slack-signature": signature, "x-slack-request-timestamp": ts}


def signed_request(
    body: str,
    *,
    content_type: str = "application/json",
    secret: str = SECRET,
    timestamp: int | None = None,
    extra: dict[str, str] | None = None,
) -> BoltRequest:
    headers = signed_headers(body, content_type=content_type, secret=secret, timestamp=timestamp)
    return BoltRequest(body=body, headers={**headers, **(extra or {})})


def event_body(event: dict[str, Any], event_id: str) -> str:
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


def mention_body(text: str, event_id: str, ts: str = THREAD_TS, user: str = "USELLER") -> str:
    return event_body(
        {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "channel": "C1", "ts": ts},
        event_id,
    )


def thread_reply_body(text: str, event_id: str, ts: str, user: str = "USELLER") -> str:
    return event_body(
        {
            "type": "message",
            "channel_type": "channel",
            "user": user,
            "text": text,
            "channel": "C1",
            "ts": ts,
            "thread_ts": THREAD_TS,
        },
        event_id,
    )


def click_body(action_id: str, token: str, user: str, card: dict[str, Any]) -> str:
    """The form body of a ``block_actions`` click on ``card`` (a posted chat.postMessage payload)."""
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "channel": {"id": "C1"},
        "container": {"type": "message", "message_ts": card["ts"], "channel_id": "C1"},
        "message": {"ts": card["ts"], "thread_ts": card.get("thread_ts"), "blocks": card["blocks"]},
        "response_url": "http://127.0.0.1:9/none",
        "trigger_id": "1.2.3",
        "actions": [
            {"action_id": action_id, "block_id": "shopwright_decision", "value": token, "type": "button"}
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def click_request(action_id: str, token: str, user: str, card: dict[str, Any]) -> BoltRequest:
    return signed_request(
        click_body(action_id, token, user, card), content_type="application/x-www-form-urlencoded"
    )


def card_token(card: dict[str, Any]) -> str:
    """The one-time token an approval card's Approve button carries."""
    buttons = next(block for block in card["blocks"] if block["type"] == "actions")["elements"]
    return str(buttons[0]["value"])
