"""On-call alerts: open exceptions posted to the alerts channel, one message per code.

Each call to :meth:`AlertPoster.post_new` reconciles the channel with the store:

- a code with open exceptions and no message gets one (at most ``max_new_posts`` per call, so a
  burst of failures cannot flood the channel; the rest follow on the next call);
- a code whose message is up gets that message updated when its exceptions change, never a
  second message;
- a code whose exceptions are all resolved gets its message updated to say so, and a later
  failure of that code starts a new message.

Pending AI attribute proposals get their approval cards in the same channel.

Every bot replica may run this. What was posted lives in the store (an ``AlertMessage`` row per
channel and code), so a restarted or new replica carries on where the others left off; and one
replica at a time reconciles, under the lease row ("bot", "alerts") that daemons use for flows: a
row lock on PostgreSQL, a time-limited claim on SQLite. A replica that finds it taken skips the
round. Posting is at most once per code: see :meth:`AlertPoster._post`.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent.standalone import StandaloneCards
from connectors.engine.clock import Clock, SystemClock
from slack_app.blocks import alert_group, approval_card, card_fallback, resolved_group
from store.models import AlertMessage, ExceptionRecord
from store.repositories import LeaseRepository
from store.repositories.alert_messages import ALERTS_LEASE, AlertMessageRepository
from store.session import is_postgresql

logger = logging.getLogger(__name__)

ALERT_EVENT = "shopwright_alert"  # Slack message metadata type: finds a post whose ts was lost
# Slack's clock and ours differ a little; the history search for a lost post looks this far around.
CLOCK_MARGIN = timedelta(minutes=5)


class _CannotTell(Exception):
    """The channel history cannot say whether a post landed."""


@dataclass(frozen=True)
class _Shown:
    """A copy of an AlertMessage row, usable after its session ended."""

    id: int
    code: str
    ts: str | None
    ids: list[int]
    posted_at: datetime

    @classmethod
    def of(cls, row: AlertMessage) -> _Shown:
        return cls(row.id, row.code, row.ts, sorted(row.exception_ids), row.posted_at)

    @property
    def payload(self) -> dict[str, Any]:
        """What the message carries as metadata: unique to this one attempt to post it."""
        return {"code": self.code, "alert_id": self.id, "posted_at": self.posted_at.isoformat()}


class AlertPoster:
    """Posts and updates alert groups, and posts proposal cards."""

    def __init__(
        self,
        client: Any,
        session_factory: sessionmaker[Session],
        channel: str,
        *,
        max_new_posts: int = 5,
        cards: StandaloneCards | None = None,
        clock: Clock | None = None,
        holder: str | None = None,
        lease_ttl: timedelta = timedelta(minutes=5),
        unconfirmed_grace: timedelta = timedelta(minutes=10),
    ) -> None:
        """``channel`` should be a channel id: finding a post whose ts was lost reads its history.

        ``lease_ttl`` bounds a SQLite claim of a replica that died; ``unconfirmed_grace`` is how
        long a post of unknown outcome may still turn up in the channel before it counts as lost.
        """
        self._client = client
        self._sessions = session_factory
        self._channel = channel
        self._max_new_posts = max_new_posts
        self._cards = cards
        self._clock: Clock = clock or SystemClock()
        self._holder = holder or f"{socket.gethostname()}:{os.getpid()}:alerts-{uuid.uuid4().hex[:8]}"
        self._lease_ttl = lease_ttl
        self._unconfirmed_grace = unconfirmed_grace

    def post_new(self) -> int:
        """Bring the channel up to date; returns how many new messages were posted.

        Returns 0 at once when another replica holds the alerts lease.
        """
        with self._lease() as held:
            if not held:
                logger.debug("another bot replica is reconciling alerts for %s; skipping", self._channel)
                return 0
            return self._reconcile()

    @contextmanager
    def _lease(self) -> Iterator[bool]:
        now = self._clock.now()
        with self._sessions.begin() as session:
            LeaseRepository(session).ensure(*ALERTS_LEASE, due_at=now)
            postgresql = is_postgresql(session)
        if postgresql:
            # The row lock lasts as long as this transaction: the whole round. A replica that
            # dies mid-round releases it with its connection.
            with self._sessions() as session, session.begin():
                yield LeaseRepository(session).lock_for_run(*ALERTS_LEASE) is not None
            return
        with self._sessions.begin() as session:
            claimed = LeaseRepository(session).claim(
                *ALERTS_LEASE, holder=self._holder, now=now, ttl=self._lease_ttl
            )
        if not claimed:
            yield False
            return
        try:
            yield True
        finally:
            with self._sessions.begin() as session:
                LeaseRepository(session).release(*ALERTS_LEASE, holder=self._holder)

    def _reconcile(self) -> int:
        open_by_code = self._open_exceptions()
        with self._sessions() as session:
            shown = [_Shown.of(row) for row in AlertMessageRepository(session).for_channel(self._channel)]
        taken: set[str] = set()  # codes that have a message, or a post that may have landed
        for message in shown:
            records = open_by_code.get(message.code, [])
            settled = message if message.ts is not None else self._settle(message, still_open=bool(records))
            if settled is None:
                continue
            taken.add(settled.code)
            if settled.ts is not None:
                self._refresh(settled, records)
        posted = 0
        for code, records in open_by_code.items():
            if code in taken:
                continue
            if posted >= self._max_new_posts:
                logger.info("alert limit reached; %s and later codes wait for the next run", code)
                break
            if self._post(code, records):
                posted += 1
        if self._cards is not None:
            for card in self._cards.open_proposal_cards(limit=max(0, self._max_new_posts - posted)):
                self._client.chat_postMessage(
                    channel=self._channel,
                    text=card_fallback(card),
                    blocks=approval_card(card, self._cards.approvals.approvers),
                )
                posted += 1
        return posted

    def _refresh(self, message: _Shown, records: list[dict[str, Any]]) -> None:
        """Update a posted message to its code's open exceptions, or mark it resolved.

        Slack first, then the store: a crash in between leaves the old ids stored, and the next
        round sends the same update again, which changes nothing on Slack.
        """
        ids = sorted(record["id"] for record in records)
        if not records:
            text, blocks = f"{message.code}: resolved", resolved_group(message.code, len(message.ids))
            self._client.chat_update(channel=self._channel, ts=message.ts, text=text, blocks=blocks)
            self._remove(message.id)
        elif ids != message.ids:
            text, blocks = f"{message.code}: {len(records)} open", alert_group(message.code, records)
            self._client.chat_update(channel=self._channel, ts=message.ts, text=text, blocks=blocks)
            self._record(message.id, exception_ids=ids)

    def _post(self, code: str, records: list[dict[str, Any]]) -> bool:
        """Post the first message of ``code``; False if another replica already claimed it.

        The row is committed *before* Slack is asked, with no ts: at most once beats at least
        once here, since a duplicate alert wakes someone for nothing while a missing update is
        repaired. If the process dies between the post and recording its ts, the row stays
        without one and nobody posts the code again; the next round finds the message by its
        metadata in the channel history (`_settle`). Recording the ts first is impossible (Slack
        gives it), and posting first would let such a crash post the code twice.
        """
        ids = sorted(record["id"] for record in records)
        with self._sessions.begin() as session:
            row = AlertMessageRepository(session).reserve(self._channel, code, ids, now=self._clock.now())
            if row is None:
                return False
            message = _Shown.of(row)
        try:
            response = self._client.chat_postMessage(
                channel=self._channel,
                text=f"{code}: {len(records)} open",
                blocks=alert_group(code, records),
                metadata={"event_type": ALERT_EVENT, "event_payload": message.payload},
            )
        except SlackApiError as error:
            if error.response.status_code == 200:  # Slack answered "not posted": free the code
                self._remove(message.id)
            raise  # anything else (a timeout, a 5xx) may have posted: the row stays unconfirmed
        self._record(message.id, ts=str(response["ts"]))
        return True

    def _settle(self, message: _Shown, *, still_open: bool) -> _Shown | None:
        """A post whose ts was never recorded: adopt the message if Slack has it.

        Returns the row with its ts, the row unchanged while it cannot be told whether the post
        landed (the code is not posted again meanwhile), or None once the row is gone.
        """
        try:
            ts = self._find_in_channel(message)
        except _CannotTell as error:
            if not still_open:
                self._remove(message.id)  # nothing left to say about the code
                return None
            logger.warning(
                "The alert for %s in %s may have been posted without its ts being recorded, and "
                "the channel history cannot tell (%s); it is not posted again. The bot needs "
                "channels:history, membership of the channel, and its id as [bot] alerts_channel.",
                message.code,
                self._channel,
                error,
            )
            return message
        if ts is not None:
            self._record(message.id, ts=ts)
            return replace(message, ts=ts)
        if self._clock.now() - message.posted_at < self._unconfirmed_grace:
            return message  # it may still be on its way: look again next round
        logger.info("the alert for %s never reached %s; it is posted again", message.code, self._channel)
        self._remove(message.id)
        return None

    def _find_in_channel(self, message: _Shown) -> str | None:
        """The ts of the message carrying ``message``'s metadata, or None if Slack has none.

        Raises _CannotTell when Slack refuses the history or it is longer than one page.
        """
        oldest = message.posted_at - CLOCK_MARGIN
        latest = message.posted_at + self._unconfirmed_grace + CLOCK_MARGIN
        try:
            response = self._client.conversations_history(
                channel=self._channel,
                oldest=f"{oldest.timestamp():.6f}",
                latest=f"{latest.timestamp():.6f}",
                inclusive=True,
                include_all_metadata=True,
                limit=999,
            )
        except SlackApiError as error:
            raise _CannotTell(str(error.response.get("error") or "history refused")) from error
        for item in response.get("messages") or []:
            metadata = item.get("metadata") or {}
            if metadata.get("event_type") == ALERT_EVENT and metadata.get("event_payload") == message.payload:
                return str(item["ts"])
        if response.get("has_more"):
            raise _CannotTell("more messages around the post than one page of history")
        return None

    def _record(self, message_id: int, **values: Any) -> None:
        with self._sessions.begin() as session:
            row = AlertMessageRepository(session).get(message_id)
            if row is not None:
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_at = self._clock.now()

    def _remove(self, message_id: int) -> None:
        with self._sessions.begin() as session:
            AlertMessageRepository(session).remove(message_id)

    def _open_exceptions(self) -> dict[str, list[dict[str, Any]]]:
        with self._sessions() as session:
            rows = session.scalars(
                select(ExceptionRecord).where(ExceptionRecord.status == "open").order_by(ExceptionRecord.id)
            ).all()
            grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for r in rows:
                grouped[r.code].append(
                    {
                        "id": r.id,
                        "code": r.code,
                        "entity_type": r.entity_type,
                        "entity_id": r.entity_id,
                        "message": r.message,
                    }
                )
        return dict(grouped)
