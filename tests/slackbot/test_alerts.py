"""On-call alerts and proposal cards, posted to a mock Slack and decided through the real app."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from slack_sdk import WebClient
from sqlalchemy import select

from agent.standalone import StandaloneCards
from agent.toolset import ToolSet
from bot import create_app
from slack_app.alerts import AlertPoster
from slack_app.blocks import APPROVE, DIAGNOSE, REJECT
from slack_app.settings import BotSettings
from store.models import AttributeProposal, AuditLog, ExceptionRecord, Product
from store.repositories import ExceptionRepository
from tests.agent.conftest import APPROVER, OTHER, Harness
from tests.agent.shop import real_config, seed_shop
from tests.slackbot.mock_slack import MockSlack
from tests.slackbot.signed import SECRET, card_token, click_request

Build = Callable[..., Harness]


def _observe(h: Harness, code: str, entity_id: str, message: str = "failed") -> int:
    with h.sessions.begin() as session:
        record = ExceptionRepository(session).observe(
            code=code,
            category="routing",
            entity_type="order",
            entity_id=entity_id,
            message=message,
            now=h.clock.now(),
        )
        return record.id


def _resolve(h: Harness, *ids: int) -> None:
    with h.sessions.begin() as session:
        for record_id in ids:
            record = session.get(ExceptionRecord, record_id)
            assert record is not None
            ExceptionRepository(session).resolve(record, now=h.clock.now(), by="daemon", status="resolved")


def _poster(h: Harness, slack: MockSlack, state: Path, **options: object) -> AlertPoster:
    client = WebClient(token="xoxb-test", base_url=slack.base_url)
    return AlertPoster(client, h.sessions, "CALERTS", state, **options)  # type: ignore[arg-type]


def test_alerts_are_grouped_by_code_updated_in_place_and_marked_resolved(
    make_harness: Build, mock_slack: MockSlack, tmp_path: Path
) -> None:
    h = make_harness()
    first = _observe(h, "sfcc.invalid_shipping_method", "576653688135258101", "<!channel> EXP is invalid")
    second = _observe(h, "sfcc.invalid_shipping_method", "576653688135258102")
    _observe(h, "sku.unmapped", "576653688135258103")
    poster = _poster(h, mock_slack, tmp_path / "alerts.json")

    assert poster.post_new() == 2
    posts = mock_slack.wait_for("chat.postMessage", 2)
    shipping = next(p for p in posts if p["text"].startswith("sfcc.invalid_shipping_method"))
    assert shipping["channel"] == "CALERTS" and "2 open" in shipping["text"]
    shown = json.dumps(shipping["blocks"])
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown, "store text is quoted, never markup"
    assert DIAGNOSE in shown
    assert poster.post_new() == 0 and mock_slack.calls_to("chat.update") == []

    third = _observe(h, "sfcc.invalid_shipping_method", "576653688135258104")
    assert poster.post_new() == 0, "a new failure of a posted code updates its message"
    [grown] = mock_slack.wait_for("chat.update", 1)
    assert grown["ts"] == shipping["ts"] and "3 open" in grown["text"]

    _resolve(h, first, second, third)
    assert poster.post_new() == 0
    resolved = mock_slack.wait_for("chat.update", 2)[1]
    assert resolved["ts"] == shipping["ts"] and "resolved" in resolved["text"]
    assert "actions" not in json.dumps(resolved["blocks"])

    _observe(h, "sfcc.invalid_shipping_method", "576653688135258105")
    assert poster.post_new() == 1, "after its group was resolved, a code starts a new message"
    assert len(mock_slack.calls_to("chat.postMessage")) == 3


def test_a_burst_of_codes_is_posted_a_few_at_a_time(
    make_harness: Build, mock_slack: MockSlack, tmp_path: Path
) -> None:
    h = make_harness()
    for number in range(7):
        _observe(h, f"code.number_{number}", f"57665368813525810{number}")
    poster = _poster(h, mock_slack, tmp_path / "alerts.json", max_new_posts=5)
    assert poster.post_new() == 5
    assert poster.post_new() == 2
    assert poster.post_new() == 0
    texts = sorted(p["text"].split(":")[0] for p in mock_slack.calls_to("chat.postMessage"))
    assert texts == [f"code.number_{n}" for n in range(7)], "every code is posted exactly once"


def test_proposal_cards_are_posted_once_and_decided_by_approvers(
    make_harness: Build, mock_slack: MockSlack, tmp_path: Path
) -> None:
    h = make_harness(toolset=ToolSet.from_registry(), config=real_config([APPROVER]))
    seed_shop(h.sessions)
    with h.sessions.begin() as session:
        products = {p.sku: p.id for p in session.scalars(select(Product))}
        for sku in ("TS-RED-M", "TS-BLUE-L"):
            session.add(
                AttributeProposal(
                    product_id=products[sku],
                    category_id="601226",
                    attribute_id="100347",
                    attribute_name="Material",
                    values=["Cotton"],
                    confidence=0.8,
                    rationale="The description says cotton.",
                    source="llm",
                    status="pending",
                )
            )
    settings = BotSettings(
        bot_token="xoxb-test",
        signing_secret=SECRET,
        approvers=(APPROVER,),
        web_api_base_url=mock_slack.base_url,
        clock=h.clock,
    )
    app = create_app(settings, h.graph, h.sessions, toolset=h.context.toolset, config=h.context.config)
    cards = StandaloneCards(h.approvals, h.context.toolset, h.sessions, h.clock, h.context.config)
    poster = _poster(h, mock_slack, tmp_path / "alerts.json", cards=cards)
    assert poster.post_new() == 3, "the shop's open failure, then one card per pending proposal"
    assert poster.post_new() == 0, "a proposal gets one card while it is alive"
    posted = mock_slack.wait_for("chat.postMessage", 3)
    apply_card, reject_card = [p for p in posted if APPROVE in json.dumps(p.get("blocks"))]
    shown = json.dumps(apply_card["blocks"])
    assert "Material" in shown and "TS-RED-M" in shown and "The description says cotton." in shown

    app.dispatch(click_request(APPROVE, card_token(apply_card), OTHER, apply_card))
    [refusal] = mock_slack.wait_for("chat.postEphemeral")
    assert refusal["user"] == OTHER

    app.dispatch(click_request(APPROVE, card_token(apply_card), APPROVER, apply_card))
    app.dispatch(click_request(REJECT, card_token(reject_card), APPROVER, reject_card))
    updates = mock_slack.wait_for("chat.update", 2)
    assert {u["ts"] for u in updates} == {apply_card["ts"], reject_card["ts"]}
    replies = mock_slack.wait_for("chat.postMessage", 5)[3:]
    assert all(r["thread_ts"] in (apply_card["ts"], reject_card["ts"]) for r in replies)
    with h.sessions() as session:
        statuses = dict(session.execute(select(AttributeProposal.product_id, AttributeProposal.status)).all())
        assert statuses == {products["TS-RED-M"]: "applied", products["TS-BLUE-L"]: "rejected"}
        red = session.get(Product, products["TS-RED-M"])
        assert red is not None and red.attributes["Material"] == ["Cotton"]
        writes = session.scalars(
            select(AuditLog.action).where(AuditLog.entity_type != "approval").order_by(AuditLog.id)
        ).all()
        assert sorted(writes) == ["apply_attribute_proposal", "reject_attribute_proposal"]
