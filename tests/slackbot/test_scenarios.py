"""Signed requests dispatched through the real Bolt app; outgoing calls seen on a local mock Slack."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from slack_app.blocks import APPROVE
from tests.agent.conftest import APPROVER, OTHER, Harness
from tests.agent.fakes import ORDER_ID
from tests.slackbot.mock_slack import MockSlack
from tests.slackbot.signed import (
    THREAD_TS,
    InlineExecutor,
    card_token,
    click_request,
    make_app,
    mention_body,
    signed_request,
    thread_reply_body,
)

Build = Callable[..., Harness]


def test_mention_is_answered_in_its_thread(make_harness: Build, mock_slack: MockSlack) -> None:
    app = make_app(make_harness(), mock_slack)
    response = app.dispatch(signed_request(mention_body(f"why did order {ORDER_ID} fail?", "Ev1")))
    assert response.status == 200
    [posted] = mock_slack.wait_for("chat.postMessage")
    assert posted["channel"] == "C1" and posted["thread_ts"] == THREAD_TS
    assert "sfcc.invalid_shipping_method" in posted["text"]


def test_bad_or_stale_signature_is_rejected(make_harness: Build, mock_slack: MockSlack) -> None:
    app = make_app(make_harness(), mock_slack)
    assert app.dispatch(signed_request(mention_body("hi", "Ev2"), secret="wrong")).status == 401
    stale = int(time.time()) - 6 * 60
    assert app.dispatch(signed_request(mention_body("hi", "Ev3"), timestamp=stale)).status == 401
    assert mock_slack.calls == []


def test_url_verification_is_answered(make_harness: Build, mock_slack: MockSlack) -> None:
    app = make_app(make_harness(), mock_slack)
    response = app.dispatch(
        signed_request(json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}))
    )
    assert response.status == 200 and "abc123" in response.body


def test_retried_event_is_processed_once(make_harness: Build, mock_slack: MockSlack) -> None:
    app = make_app(make_harness(), mock_slack, InlineExecutor())
    body = mention_body("flow status", "Ev4")
    assert app.dispatch(signed_request(body)).status == 200
    retry = signed_request(body, extra={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
    assert app.dispatch(retry).status == 200
    assert len(mock_slack.calls_to("chat.postMessage")) == 1


def test_approval_card_refuses_a_stranger_and_applies_for_an_approver(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = make_harness()
    app = make_app(h, mock_slack)
    app.dispatch(signed_request(mention_body(f"why did order {ORDER_ID} fail?", "Ev5")))
    mock_slack.wait_for("chat.postMessage", 1)
    app.dispatch(signed_request(thread_reply_body("apply the fix", "Ev6", "1700000000.000200")))
    card = mock_slack.wait_for("chat.postMessage", 2)[1]
    token = card_token(card)
    buttons = next(b for b in card["blocks"] if b["type"] == "actions")["elements"]
    assert buttons[0]["action_id"] == APPROVE and "Standard Shipping" in json.dumps(card["blocks"])

    assert app.dispatch(click_request(APPROVE, token, OTHER, card)).status == 200
    [ephemeral] = mock_slack.wait_for("chat.postEphemeral")
    assert ephemeral["user"] == OTHER and f"<@{APPROVER}>" in ephemeral["text"]
    assert h.world.writes == []

    assert app.dispatch(click_request(APPROVE, token, APPROVER, card)).status == 200
    [updated] = mock_slack.wait_for("chat.update")
    assert f"Approved by <@{APPROVER}>" in updated["text"] and updated["ts"] == card["ts"]
    assert not any(b["type"] == "actions" for b in updated["blocks"])
    done = mock_slack.wait_for("chat.postMessage", 3)[2]
    assert "Done" in done["text"] and len(h.world.writes) == 1


def test_retry_reaching_another_replica_is_not_answered_twice(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = make_harness()
    first, second = (make_app(h, mock_slack, InlineExecutor()) for _ in range(2))
    body = mention_body(f"why did order {ORDER_ID} fail?", "EvReplica")
    assert first.dispatch(signed_request(body)).status == 200
    retry = signed_request(body, extra={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
    assert second.dispatch(retry).status == 200
    assert len(mock_slack.calls_to("chat.postMessage")) == 1
    state = h.graph.get_state({"configurable": {"thread_id": f"C1:{THREAD_TS}"}}).values
    assert state["events"] == ["EvReplica"]
