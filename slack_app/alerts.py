"""On-call alerts: new open exceptions, grouped by code, posted once each to the alerts channel."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from slack_app.blocks import alert_group
from store.models import ExceptionRecord

logger = logging.getLogger(__name__)
DEFAULT_WATERMARK = Path("var/alerts-watermark.json")


class AlertPoster:
    """Posts exceptions newer than a watermark; at most ``max_groups`` messages per call (no floods)."""

    def __init__(
        self,
        client: Any,
        session_factory: sessionmaker[Session],
        channel: str,
        watermark_path: Path = DEFAULT_WATERMARK,
        *,
        max_groups: int = 10,
    ) -> None:
        self._client = client
        self._sessions = session_factory
        self._channel = channel
        self._watermark = watermark_path
        self._max_groups = max_groups

    def post_new(self) -> int:
        """Post what is new since the last call; returns how many messages were posted."""
        last = self._read_watermark()
        with self._sessions() as session:
            rows = session.scalars(
                select(ExceptionRecord)
                .where(ExceptionRecord.id > last, ExceptionRecord.status == "open")
                .order_by(ExceptionRecord.id)
            ).all()
            records: list[dict[str, Any]] = [
                {
                    "id": r.id,
                    "code": r.code,
                    "entity_type": r.entity_type,
                    "entity_id": r.entity_id,
                    "message": r.message,
                }
                for r in rows
            ]
        if not records:
            return 0
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in records:
            groups[record["code"]].append(record)
        posted = 0
        codes = list(groups)
        for code in codes[: self._max_groups]:
            blocks = alert_group(code, groups[code])
            self._client.chat_postMessage(
                channel=self._channel, text=f"{code}: {len(groups[code])} new", blocks=blocks
            )
            posted += 1
        if len(codes) > self._max_groups:
            rest = ", ".join(codes[self._max_groups :])
            self._client.chat_postMessage(
                channel=self._channel, text=f"Also new: {rest}. Ask me `list exceptions`."
            )
            posted += 1
        # The watermark moves only after the posts went out, so a failed post is retried next time.
        self._write_watermark(max(record["id"] for record in records))
        logger.info("posted %d alert message(s) for %d exception(s)", posted, len(records))
        return posted

    def _read_watermark(self) -> int:
        try:
            return int(json.loads(self._watermark.read_text(encoding="utf-8"))["last_exception_id"])
        except FileNotFoundError:
            return 0

    def _write_watermark(self, value: int) -> None:
        self._watermark.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._watermark.with_suffix(".tmp")
        temporary.write_text(json.dumps({"last_exception_id": value}), encoding="utf-8")
        temporary.replace(self._watermark)
