"""Two bot replicas in HTTP mode on one PostgreSQL store and checkpointer.

A card posted by one replica is decided through the other, as happens behind a load balancer:
the second replica has never seen the conversation in memory, only in the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from slack_app.blocks import APPROVE
from store.models import Approval, AuditLog, Mapping
from store.session import create_session_factory, create_store_engine
from tests.slackbot.bot_processes import BotProcess, start_bot, wait_until_serving
from tests.slackbot.mock_slack import MockSlack
from tests.slackbot.signed import (
    THREAD_TS,
    card_token,
    click_body,
    mention_body,
    signed_headers,
    thread_reply_body,
)
from tests.tools.seeding import ORDER_ID, seed_order_missing_a_shipping_mapping

APPROVER = "U0APPROVER"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def bots(postgres_url: str, tmp_path: Path) -> Iterator[tuple[BotProcess, BotProcess, MockSlack]]:
    seed_order_missing_a_shipping_mapping(postgres_url)
    config = tmp_path / "shopwright.toml"
    config.write_text(
        f'database_url = "{postgres_url}"\n\n[bot]\napprovers = ["{APPROVER}"]\n', encoding="utf-8"
    )
    slack = MockSlack().start()
    first = start_bot("bot-a", config, slack.base_url, tmp_path)
    second = start_bot("bot-b", config, slack.base_url, tmp_path)
    try:
        wait_until_serving(first, second)
        yield first, second, slack
    finally:
        first.stop()
        second.stop()
        slack.stop()


def test_card_posted_by_one_replica_is_decided_through_the_other(
    bots: tuple[BotProcess, BotProcess, MockSlack], postgres_url: str
) -> None:
    bot_a, bot_b, slack = bots
    challenge = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"})
    answered = bot_b.post(challenge)
    assert answered.status_code == 200 and "c-123" in answered.text
    forged = httpx.post(
        f"{bot_a.url}/slack/events",
        content=mention_body("map sku TS-RED-M to EVIL on sfcc-main", "EvForged"),
        headers=signed_headers("{}", content_type="application/json"),  # signed for another body
        timeout=10.0,
    )
    assert forged.status_code == 401
    assert bot_a.post(mention_body(f"why did order {ORDER_ID} fail?", "EvTwo1")).status_code == 200
    [diagnosis] = slack.wait_for("chat.postMessage", 1, timeout=60)
    assert "mapping.shipping_method_missing" in diagnosis["text"], bot_a.output()

    reply = thread_reply_body("apply the fix with shipping_method_id 001", "EvTwo2", "1700000000.000300")
    assert bot_a.post(reply).status_code == 200
    card = slack.wait_for("chat.postMessage", 2, timeout=60)[1]
    assert card.get("blocks") and card["thread_ts"] == THREAD_TS, bot_a.output()

    engine = create_store_engine(postgres_url)
    sessions = create_session_factory(engine)
    try:
        with sessions() as session:
            assert session.scalars(select(Mapping)).all() == [], "nothing is written before the decision"

        click = click_body(APPROVE, card_token(card), APPROVER, card)
        assert bot_b.post(click, content_type=FORM).status_code == 200
        [updated] = slack.wait_for("chat.update", 1, timeout=60)
        assert updated["ts"] == card["ts"] and f"Approved by <@{APPROVER}>" in updated["text"], bot_b.output()
        assert not any(block["type"] == "actions" for block in updated["blocks"])
        done = slack.wait_for("chat.postMessage", 3, timeout=60)[2]
        assert done["thread_ts"] == THREAD_TS and "Done" in done["text"], bot_b.output()

        # The same click replayed through the first replica: refused, nothing more written.
        assert bot_a.post(click, content_type=FORM).status_code == 200
        [refusal] = slack.wait_for("chat.postEphemeral", 1, timeout=60)
        assert refusal["user"] == APPROVER and "already applied" in refusal["text"]

        with sessions() as session:
            [mapping] = session.scalars(select(Mapping)).all()
            assert (mapping.source, mapping.target, mapping.created_by) == (
                "Express Delivery",
                "001",
                APPROVER,
            )
            [approval] = session.scalars(select(Approval)).all()
            assert (approval.status, approval.decided_by) == ("applied", APPROVER)
            actions = session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
            assert actions == [
                "approval.requested",
                "approval.approved",
                "map_shipping_method",
                "approval.refused",
            ]
    finally:
        engine.dispose()
