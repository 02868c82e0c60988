"""The alert message of each exception code per Slack channel, shared by every bot replica."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models import AlertMessage

# The lease row (connection_name, flow_name) under which one bot replica at a time reconciles
# alerts; it sits among the flows' lease rows, so flow listings leave it out.
ALERTS_LEASE = ("bot", "alerts")


class AlertMessageRepository:
    """Which alert messages are up in a channel, and which exceptions each one shows."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def for_channel(self, channel: str) -> Sequence[AlertMessage]:
        return self.session.scalars(
            select(AlertMessage).where(AlertMessage.channel == channel).order_by(AlertMessage.id)
        ).all()

    def get(self, message_id: int) -> AlertMessage | None:
        return self.session.get(AlertMessage, message_id)

    def reserve(
        self, channel: str, code: str, exception_ids: list[int], *, now: datetime
    ) -> AlertMessage | None:
        """Add the row of a message about to be posted (``ts`` unknown); None if the code has one.

        The unique (channel, code) key makes this the decision of who posts: of two callers, only
        the one whose row went in may post, whatever else went wrong with their coordination.
        """
        insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert(AlertMessage)
            .values(
                channel=channel,
                code=code,
                ts=None,
                exception_ids=exception_ids,
                posted_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["channel", "code"])
            .returning(AlertMessage.id)
        )
        message_id = self.session.scalar(statement)
        return None if message_id is None else self.get(message_id)

    def remove(self, message_id: int) -> None:
        self.session.execute(delete(AlertMessage).where(AlertMessage.id == message_id))
