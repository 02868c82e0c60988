"""On-call alerts: open exceptions posted to the alerts channel, one message per code.

Each call to :meth:`AlertPoster.post_new` reconciles the channel with the store:

- a code with open exceptions and no message gets one (at most ``max_new_posts`` per call, so a
  burst of failures cannot flood the channel; the rest follow on the next call);
- a code whose message is up gets that message updated when its exceptions change, never a
  second message;
- a code whose exceptions are all resolved gets its message updated to say so, and a later
  failure of that code starts a new message.

Pending AI attribute proposals get their approval cards in the same channel. What was posted is
kept in a small state file (written after every post, so a crash never posts twice).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent.standalone import StandaloneCards
from slack_app.blocks import alert_group, approval_card, card_fallback, resolved_group
from store.models import ExceptionRecord

logger = logging.getLogger(__name__)
DEFAULT_STATE = Path("var/alerts-state.json")


class AlertPoster:
    """Posts and updates alert groups, and posts proposal cards."""

    def __init__(
        self,
        client: Any,
        session_factory: sessionmaker[Session],
        channel: str,
        state_path: Path = DEFAULT_STATE,
        *,
        max_new_posts: int = 5,
        cards: StandaloneCards | None = None,
    ) -> None:
        self._client = client
        self._sessions = session_factory
        self._channel = channel
        self._state_path = state_path
        self._max_new_posts = max_new_posts
        self._cards = cards

    def post_new(self) -> int:
        """Bring the channel up to date; returns how many new messages were posted."""
        state = self._read_state()
        groups: dict[str, dict[str, Any]] = state.setdefault("groups", {})
        open_by_code = self._open_exceptions()
        for code, group in list(groups.items()):
            records = open_by_code.get(code, [])
            ids = sorted(record["id"] for record in records)
            if not records:
                self._update(group, f"{code}: resolved", resolved_group(code, len(group["ids"])))
                del groups[code]
            elif ids != group["ids"]:
                self._update(group, f"{code}: {len(records)} open", alert_group(code, records))
                group["ids"] = ids
        self._write_state(state)
        posted = 0
        for code, records in open_by_code.items():
            if code in groups:
                continue
            if posted >= self._max_new_posts:
                logger.info("alert limit reached; %s and later codes wait for the next run", code)
                break
            response = self._client.chat_postMessage(
                channel=self._channel, text=f"{code}: {len(records)} open", blocks=alert_group(code, records)
            )
            groups[code] = {"ts": response["ts"], "ids": sorted(record["id"] for record in records)}
            self._write_state(state)
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

    def _update(self, group: dict[str, Any], text: str, blocks: list[dict[str, Any]]) -> None:
        self._client.chat_update(channel=self._channel, ts=group["ts"], text=text, blocks=blocks)

    def _read_state(self) -> dict[str, Any]:
        try:
            state: dict[str, Any] = json.loads(self._state_path.read_text(encoding="utf-8"))
            return state
        except FileNotFoundError:
            return {"groups": {}}

    def _write_state(self, state: dict[str, Any]) -> None:
        self._state_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=1), encoding="utf-8")
        temporary.replace(self._state_path)
