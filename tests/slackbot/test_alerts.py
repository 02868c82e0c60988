"""On-call alerts and proposal cards, posted to a mock Slack and decided through the real app.

What was posted lives in the store, so replicas share it, a restart carries on, and a post whose
answer was lost is found again instead of posted twice.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent.standalone import StandaloneCards
from agent.toolset import ToolSet
from bot import create_app
from connectors.engine.clock import Clock, FrozenClock
from slack_app.alerts import ALERT_EVENT, AlertPoster
from slack_app.blocks import APPROVE, DIAGNOSE, REJECT
from slack_app.settings import BotSettings
from store.models import AlertMessage, AttributeProposal, AuditLog, ExceptionRecord, Product
from store.repositories import ExceptionRepository, LeaseRepository
from store.repositories.alert_messages import ALERTS_LEASE
from store.session import create_session_factory, create_store_engine
from tests.agent.conftest import APPROVER, OTHER, Harness
from tests.agent.shop import real_config, seed_shop
from tests.conftest import FIXED_NOW
from tests.slackbot.mock_slack import MockSlack
from tests.slackbot.signed import SECRET, card_token, click_request

Build = Callable[..., Harness]
Sessions = sessionmaker[Session]


def _observe(h: Harness, code: str, entity_id: str, message: str = "failed") -> int:
    return _observe_in(h.sessions, h.clock, code, entity_id, message)


def _observe_in(sessions: Sessions, clock: Clock, code: str, entity_id: str, message: str = "failed") -> int:
    with sessions.begin() as session:
        record = ExceptionRepository(session).observe(
            code=code,
            category="routing",
            entity_type="order",
            entity_id=entity_id,
            message=message,
            now=clock.now(),
        )
        return record.id


def _resolve(h: Harness, *ids: int) -> None:
    with h.sessions.begin() as session:
        for record_id in ids:
            record = session.get(ExceptionRecord, record_id)
            assert record is not None
            ExceptionRepository(session).resolve(record, now=h.clock.now(), by="daemon", status="resolved")


def _client(slack: MockSlack, cls: type[WebClient] = WebClient) -> WebClient:
    return cls(token="xoxb-test", base_url=slack.base_url)


def _poster(h: Harness, slack: MockSlack, client: WebClient | None = None, **options: Any) -> AlertPoster:
    """One bot replica's poster: its own Slack client and lease holder, the shared store."""
    return AlertPoster(client or _client(slack), h.sessions, "CALERTS", clock=h.clock, **options)


def _stored(sessions: Sessions) -> dict[str, tuple[str | None, list[int]]]:
    with sessions() as session:
        return {row.code: (row.ts, row.exception_ids) for row in session.scalars(select(AlertMessage))}


def _posted_at(sessions: Sessions, code: str) -> datetime:
    with sessions() as session:
        row = session.scalars(select(AlertMessage).where(AlertMessage.code == code)).one()
        return row.posted_at


def _codes_posted(slack: MockSlack) -> list[str]:
    return sorted(p["text"].split(":")[0] for p in slack.calls_to("chat.postMessage"))


def _channel_history(slack: MockSlack) -> None:
    """Let ``conversations.history`` answer with every message posted so far, metadata included."""
    posts = slack.calls_to("chat.postMessage")
    slack.answers["conversations.history"] = {
        "messages": [{"ts": p["ts"], "text": p["text"], "metadata": p.get("metadata")} for p in posts],
        "has_more": False,
    }


class _Died(Exception):
    """The bot process died here."""


class _DiesAfterPosting(WebClient):
    """Slack takes the post; the bot dies before it hears Slack's answer."""

    def chat_postMessage(self, **kwargs: Any) -> Any:
        super().chat_postMessage(**kwargs)
        raise _Died


class _TimesOutBeforeSending(WebClient):
    """The post never reaches Slack, but the bot cannot know that: its request timed out."""

    def chat_postMessage(self, **kwargs: Any) -> Any:
        raise TimeoutError("The read operation timed out")


def test_alerts_are_grouped_by_code_updated_in_place_and_marked_resolved(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = make_harness()
    first = _observe(h, "sfcc.invalid_shipping_method", "576653688135258101", "<!channel> EXP is invalid")
    second = _observe(h, "sfcc.invalid_shipping_method", "576653688135258102")
    unmapped = _observe(h, "sku.unmapped", "576653688135258103")
    poster = _poster(h, mock_slack)

    assert poster.post_new() == 2
    posts = mock_slack.wait_for("chat.postMessage", 2)
    shipping = next(p for p in posts if p["text"].startswith("sfcc.invalid_shipping_method"))
    assert shipping["channel"] == "CALERTS" and "2 open" in shipping["text"]
    shown = json.dumps(shipping["blocks"])
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown, "store text is quoted, never markup"
    assert DIAGNOSE in shown
    assert shipping["metadata"]["event_type"] == ALERT_EVENT
    assert _stored(h.sessions) == {
        "sfcc.invalid_shipping_method": (shipping["ts"], [first, second]),
        "sku.unmapped": (next(p["ts"] for p in posts if p is not shipping), [unmapped]),
    }
    assert poster.post_new() == 0 and mock_slack.calls_to("chat.update") == []

    third = _observe(h, "sfcc.invalid_shipping_method", "576653688135258104")
    assert poster.post_new() == 0, "a new failure of a posted code updates its message"
    [grown] = mock_slack.wait_for("chat.update", 1)
    assert grown["ts"] == shipping["ts"] and "3 open" in grown["text"]
    assert _stored(h.sessions)["sfcc.invalid_shipping_method"] == (shipping["ts"], [first, second, third])

    _resolve(h, first, second, third)
    assert poster.post_new() == 0
    resolved = mock_slack.wait_for("chat.update", 2)[1]
    assert resolved["ts"] == shipping["ts"] and "resolved" in resolved["text"]
    assert "actions" not in json.dumps(resolved["blocks"])
    assert "sfcc.invalid_shipping_method" not in _stored(h.sessions)

    _observe(h, "sfcc.invalid_shipping_method", "576653688135258105")
    assert poster.post_new() == 1, "after its group was resolved, a code starts a new message"
    assert len(mock_slack.calls_to("chat.postMessage")) == 3


def test_a_burst_of_codes_is_posted_a_few_at_a_time(make_harness: Build, mock_slack: MockSlack) -> None:
    h = make_harness()
    for number in range(7):
        _observe(h, f"code.number_{number}", f"57665368813525810{number}")
    poster = _poster(h, mock_slack, max_new_posts=5)
    assert poster.post_new() == 5
    assert poster.post_new() == 2
    assert poster.post_new() == 0
    assert _codes_posted(mock_slack) == [f"code.number_{n}" for n in range(7)], "each code once"


def test_two_replicas_over_one_store_post_each_code_once(make_harness: Build, mock_slack: MockSlack) -> None:
    h = make_harness()
    first = _observe(h, "sfcc.invalid_shipping_method", "576653688135258101")
    _observe(h, "sku.unmapped", "576653688135258102")
    replica_a, replica_b = _poster(h, mock_slack), _poster(h, mock_slack)

    assert replica_a.post_new() == 2
    assert replica_b.post_new() == 0, "the other replica sees what the first posted"
    assert _codes_posted(mock_slack) == ["sfcc.invalid_shipping_method", "sku.unmapped"]
    shipping_ts = _stored(h.sessions)["sfcc.invalid_shipping_method"][0]

    second = _observe(h, "sfcc.invalid_shipping_method", "576653688135258103")
    assert replica_b.post_new() == 0
    assert replica_a.post_new() == 0
    [update] = mock_slack.calls_to("chat.update")
    assert update["ts"] == shipping_ts and "2 open" in update["text"], "one update, on the first message"

    _resolve(h, first, second)
    _observe(h, "catalog.not_pulled", "listing-1")
    assert replica_b.post_new() == 1
    assert replica_a.post_new() == 0
    updates = mock_slack.calls_to("chat.update")
    assert len(updates) == 2 and updates[1]["ts"] == shipping_ts and "resolved" in updates[1]["text"]
    assert _codes_posted(mock_slack) == ["catalog.not_pulled", "sfcc.invalid_shipping_method", "sku.unmapped"]


def test_a_restarted_replica_carries_on_without_posting_again(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = make_harness()
    _observe(h, "sfcc.invalid_shipping_method", "576653688135258101")
    assert _poster(h, mock_slack).post_new() == 1
    [post] = mock_slack.calls_to("chat.postMessage")

    restarted = _poster(h, mock_slack)  # a new process: a new client, nothing in memory
    assert restarted.post_new() == 0
    assert len(mock_slack.calls_to("chat.postMessage")) == 1 and mock_slack.calls_to("chat.update") == []
    _observe(h, "sfcc.invalid_shipping_method", "576653688135258102")
    assert restarted.post_new() == 0
    [update] = mock_slack.calls_to("chat.update")
    assert update["ts"] == post["ts"] and "2 open" in update["text"]


def test_a_post_whose_answer_was_lost_is_found_in_the_channel_not_posted_again(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = make_harness()
    _observe(h, "sfcc.invalid_shipping_method", "576653688135258101")
    with pytest.raises(_Died):
        _poster(h, mock_slack, _client(mock_slack, _DiesAfterPosting)).post_new()
    [post] = mock_slack.calls_to("chat.postMessage")
    assert _stored(h.sessions)["sfcc.invalid_shipping_method"][0] is None, "posted, ts never recorded"

    restarted = _poster(h, mock_slack)
    mock_slack.answers["conversations.history"] = {"messages": [], "has_more": False}
    assert restarted.post_new() == 0, "not in the history yet: it may still be on its way"
    h.clock.advance(timedelta(minutes=3))
    _channel_history(mock_slack)
    assert restarted.post_new() == 0
    assert len(mock_slack.calls_to("chat.postMessage")) == 1, "never a second message"
    lookup = mock_slack.calls_to("conversations.history")[-1]
    assert lookup["channel"] == "CALERTS" and lookup["include_all_metadata"] == "1"
    posted_at = _posted_at(h.sessions, "sfcc.invalid_shipping_method").timestamp()
    assert float(lookup["oldest"]) < posted_at < float(lookup["latest"]), "searched around the post"
    assert _stored(h.sessions)["sfcc.invalid_shipping_method"][0] == post["ts"], "the message was adopted"

    _observe(h, "sfcc.invalid_shipping_method", "576653688135258102")
    assert restarted.post_new() == 0
    [update] = mock_slack.calls_to("chat.update")
    assert update["ts"] == post["ts"] and "2 open" in update["text"]


def test_a_post_that_never_reached_slack_is_posted_once_its_grace_is_over(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = make_harness()
    _observe(h, "sfcc.invalid_shipping_method", "576653688135258101")
    with pytest.raises(TimeoutError):
        _poster(h, mock_slack, _client(mock_slack, _TimesOutBeforeSending)).post_new()
    poster = _poster(h, mock_slack, unconfirmed_grace=timedelta(minutes=10))
    _channel_history(mock_slack)  # an empty channel
    h.clock.advance(timedelta(minutes=9))
    assert poster.post_new() == 0 and mock_slack.calls_to("chat.postMessage") == []
    h.clock.advance(timedelta(minutes=2))
    assert poster.post_new() == 1
    [post] = mock_slack.calls_to("chat.postMessage")
    assert _stored(h.sessions)["sfcc.invalid_shipping_method"][0] == post["ts"]
    assert poster.post_new() == 0


def test_a_lost_post_is_not_posted_again_while_the_history_cannot_tell(
    make_harness: Build, mock_slack: MockSlack
) -> None:
    h = make_harness()
    record = _observe(h, "sfcc.invalid_shipping_method", "576653688135258101")
    with pytest.raises(TimeoutError):
        _poster(h, mock_slack, _client(mock_slack, _TimesOutBeforeSending)).post_new()
    mock_slack.answers["conversations.history"] = {"ok": False, "error": "missing_scope"}
    poster = _poster(h, mock_slack)
    h.clock.advance(timedelta(hours=2))
    assert poster.post_new() == 0 and mock_slack.calls_to("chat.postMessage") == []
    _resolve(h, record)
    assert poster.post_new() == 0 and _stored(h.sessions) == {}, "a resolved code drops the row"
    _observe(h, "sfcc.invalid_shipping_method", "576653688135258102")
    assert poster.post_new() == 1, "a later failure starts afresh"


def test_a_post_slack_refused_is_tried_again_next_round(make_harness: Build, mock_slack: MockSlack) -> None:
    h = make_harness()
    _observe(h, "sfcc.invalid_shipping_method", "576653688135258101")
    poster = _poster(h, mock_slack)
    mock_slack.answers["chat.postMessage"] = {"ok": False, "error": "not_in_channel"}
    with pytest.raises(SlackApiError):
        poster.post_new()
    assert _stored(h.sessions) == {}, "Slack said it posted nothing: the code is free again"
    del mock_slack.answers["chat.postMessage"]
    assert poster.post_new() == 1
    assert len(mock_slack.calls_to("chat.postMessage")) == 2


@pytest.fixture
def store(database_url: str) -> Iterator[Sessions]:
    engine = create_store_engine(database_url)
    yield create_session_factory(engine)
    engine.dispose()


def test_a_replica_without_the_lease_skips_the_round(store: Sessions, mock_slack: MockSlack) -> None:
    clock = FrozenClock(FIXED_NOW)
    _observe_in(store, clock, "sfcc.invalid_shipping_method", "576653688135258101")
    poster = AlertPoster(_client(mock_slack), store, "CALERTS", clock=clock, lease_ttl=timedelta(minutes=5))
    with store.begin() as session:
        LeaseRepository(session).ensure(*ALERTS_LEASE, due_at=clock.now())
    other = store()
    other.begin()
    if other.get_bind().dialect.name == "postgresql":
        assert LeaseRepository(other).lock_for_run(*ALERTS_LEASE) is not None  # another replica mid-round
    else:
        leases = LeaseRepository(other)
        assert leases.claim(
            *ALERTS_LEASE, holder="bot-b:4242:alerts", now=clock.now(), ttl=timedelta(minutes=5)
        )
        other.commit()
    try:
        assert poster.post_new() == 0
        assert mock_slack.calls == [] and _stored(store) == {}
    finally:
        other.rollback()
        other.close()
    if store.kw["bind"].dialect.name == "sqlite":
        assert poster.post_new() == 0, "the other replica's claim still stands"
        clock.advance(timedelta(minutes=6))  # it died: its claim runs out
    assert poster.post_new() == 1


def test_replicas_reconciling_at_once_on_postgresql_post_each_code_once(
    postgres_url: str, mock_slack: MockSlack
) -> None:
    clock = FrozenClock(FIXED_NOW)
    engines = [create_store_engine(postgres_url) for _ in range(3)]
    stores = [create_session_factory(engine) for engine in engines]
    try:
        posters = [
            AlertPoster(_client(mock_slack), s, "CALERTS", clock=clock, max_new_posts=20) for s in stores
        ]
        for number in range(8):
            _observe_in(stores[0], clock, f"code.number_{number}", f"5766536881352581{number:02d}")
        posted = _all_at_once(posters)
        _observe_in(stores[0], clock, "code.number_0", "576653688135258199")
        _observe_in(stores[0], clock, "code.late", "576653688135258198")
        posted += _all_at_once(posters)
        posted += _all_at_once(posters)
        stored = _stored(stores[0])
    finally:
        for engine in engines:
            engine.dispose()
    codes = [f"code.number_{n}" for n in range(8)]
    assert _codes_posted(mock_slack) == sorted([*codes, "code.late"]), "each code exactly once"
    assert posted == 9
    [update] = mock_slack.calls_to("chat.update")
    assert update["text"] == "code.number_0: 2 open", "one update for the one change"
    assert set(stored) == {*codes, "code.late"} and all(ts is not None for ts, _ in stored.values())


def _all_at_once(posters: list[AlertPoster]) -> int:
    """Run every poster's round at the same moment, each in its own thread; total posted."""
    start = threading.Barrier(len(posters), timeout=10)

    def round_of(poster: AlertPoster) -> int:
        start.wait()
        return poster.post_new()

    with ThreadPoolExecutor(len(posters)) as pool:
        return sum(pool.map(round_of, posters))


def test_proposal_cards_are_posted_once_and_decided_by_approvers(
    make_harness: Build, mock_slack: MockSlack
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
    poster = _poster(h, mock_slack, cards=cards)
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
