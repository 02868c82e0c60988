"""The push journal of one Fulfillment: pending -> sending -> pushed (or failed / skipped).

``sending`` is written before the request leaves and ``pushed`` (with TikTok's package id) after it
is answered, in the run's transaction. That transaction commits with the run; if the run dies
between the call and the commit, the journal rolls back with it. What keeps the shipment unique is
the check before every send: the live TikTok order is read first, and lines already carrying this
tracking number mean the package exists, so it is adopted instead of sent again. (A separate
transaction per journal entry is not an option: on SQLite the run holds the only write lock.)
"""

from __future__ import annotations

from datetime import datetime

from store.models import Fulfillment

PUSHABLE = ("pending", "sending")


class FulfillmentJournal:
    """State changes of one Fulfillment row."""

    def __init__(self, fulfillment: Fulfillment) -> None:
        self.fulfillment = fulfillment

    def sending(self) -> None:
        """Mark the push as started, before the request leaves."""
        self.fulfillment.push_state = "sending"
        self.fulfillment.attempts += 1

    def pushed(self, package_id: str, now: datetime) -> None:
        self.fulfillment.push_state = "pushed"
        self.fulfillment.channel_package_id = package_id
        self.fulfillment.pushed_at = now
        self.fulfillment.last_error = None

    def unconfirmed(self, message: str) -> None:
        """The answer was lost and the read-back did not settle it: stay ``sending``, check next run."""
        self.fulfillment.push_state = "sending"
        self.fulfillment.last_error = message

    def failed(self, message: str) -> None:
        """Refused, or impossible until a person acts (the exception says what to do)."""
        self.fulfillment.push_state = "failed"
        self.fulfillment.last_error = message

    def requeue(self) -> None:
        """The cause of a failure is gone: push it again."""
        self.fulfillment.push_state = "pending"

    def skipped(self, message: str) -> None:
        """Never to be pushed (TikTok ships Fulfilled-by-TikTok orders itself)."""
        self.fulfillment.push_state = "skipped"
        self.fulfillment.last_error = message
