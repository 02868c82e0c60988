"""Approval cards over the real tools and store, through the real Bolt app and a mock Slack."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from agent.toolset import ToolSet
from slack_app.blocks import APPROVE, REJECT
from store.models import Approval, AuditLog, ChannelListing
from tests.agent.conftest import APPROVER, OTHER, Harness
from tests.agent.shop import real_config, seed_shop
from tests.slackbot.mock_slack import MockSlack
from tests.slackbot.signed import card_token, click_request, make_app, mention_body, signed_request

Build = Callable[..., Harness]
GROUP = "S0APPROVE1"
MEMBER = "U0MEMBER77"


def _real(make_harness: Build) -> Harness:
    h = make_harness(toolset=ToolSet.from_registry(), config=real_config([APPROVER]))
    seed_shop(h.sessions)
    return h


def _map_sku_card(h: Harness, app: object, slack: MockSlack) -> dict[str, object]:
    request = signed_request(mention_body("map sku TS-RED-M to 100245 on sfcc-main", "EvMap"))
    assert app.dispatch(request).status == 200  # type: ignore[attr-defined]
    [card] = slack.wait_for("chat.postMessage")
    assert "blocks" in card, f"expected an approval card, got {card.get('text')!r}"
    return card


def _channel_skus(h: Harness) -> list[str | None]:
    with h.sessions() as session:
        return list(session.scalars(select(ChannelListing.channel_sku)))


def test_map_sku_card_from_the_offline_backend_applies_once(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = _real(make_harness)
    app = make_app(h, mock_slack)
    card = _map_sku_card(h, app, mock_slack)
    shown = json.dumps(card["blocks"])
    assert "map_sku" in shown and "channel_listing:sfcc-main:TS-RED-M" in shown and "100245" in shown
    assert _channel_skus(h) == []

    assert app.dispatch(click_request(APPROVE, card_token(card), APPROVER, card)).status == 200
    [updated] = mock_slack.wait_for("chat.update")
    assert updated["ts"] == card["ts"] and f"Approved by <@{APPROVER}>" in updated["text"]
    assert not any(block["type"] == "actions" for block in updated["blocks"])
    done = mock_slack.wait_for("chat.postMessage", 2)[1]
    assert "Done" in done["text"] and "100245" in done["text"]
    assert _channel_skus(h) == ["100245"]

    # The same card clicked again: refused, and nothing more is written.
    assert app.dispatch(click_request(APPROVE, card_token(card), APPROVER, card)).status == 200
    [again] = mock_slack.wait_for("chat.postEphemeral")
    assert "already applied" in again["text"]
    with h.sessions() as session:
        writes = session.scalars(select(AuditLog).where(AuditLog.action == "map_sku")).all()
        assert [w.details["approved_by"] for w in writes] == [APPROVER]


def test_rejected_card_changes_nothing_and_says_who_rejected(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = _real(make_harness)
    app = make_app(h, mock_slack)
    card = _map_sku_card(h, app, mock_slack)
    app.dispatch(click_request(REJECT, card_token(card), APPROVER, card))
    [updated] = mock_slack.wait_for("chat.update")
    assert f"Rejected by <@{APPROVER}>" in updated["text"]
    assert _channel_skus(h) == []
    with h.sessions() as session:
        assert session.scalars(select(Approval.status)).all() == ["rejected"]


def test_member_of_an_approver_group_may_decide(make_harness: Build) -> None:
    slack = MockSlack({"usergroups.users.list": {"users": [MEMBER]}}).start()
    try:
        h = _real(make_harness)
        app = make_app(h, slack, approvers=(GROUP,))
        card = _map_sku_card(h, app, slack)
        assert f"<!subteam^{GROUP}>" in json.dumps(card["blocks"])

        app.dispatch(click_request(APPROVE, card_token(card), OTHER, card))
        [refusal] = slack.wait_for("chat.postEphemeral")
        assert refusal["user"] == OTHER and _channel_skus(h) == []

        app.dispatch(click_request(APPROVE, card_token(card), MEMBER, card))
        [updated] = slack.wait_for("chat.update")
        assert f"Approved by <@{MEMBER}>" in updated["text"]
        assert _channel_skus(h) == ["100245"]
        asked = slack.calls_to("usergroups.users.list")
        assert asked and all(call["usergroup"] == GROUP for call in asked)
    finally:
        slack.stop()


def test_expired_card_is_refused_and_marked_expired(make_harness: Build, mock_slack: MockSlack) -> None:
    h = _real(make_harness)
    app = make_app(h, mock_slack)
    card = _map_sku_card(h, app, mock_slack)
    h.clock.advance(timedelta(minutes=61))  # the harness's approvals expire after 60 minutes
    app.dispatch(click_request(APPROVE, card_token(card), APPROVER, card))
    [ephemeral] = mock_slack.wait_for("chat.postEphemeral")
    assert "expired" in ephemeral["text"]
    [updated] = mock_slack.wait_for("chat.update")
    assert "expired" in updated["text"] and not any(b["type"] == "actions" for b in updated["blocks"])
    assert _channel_skus(h) == []
    with h.sessions() as session:
        assert session.scalars(select(Approval.status)).all() == ["expired"]
