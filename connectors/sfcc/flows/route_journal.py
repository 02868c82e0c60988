"""The push journal: the steps of one order push, kept on its OrderRoute row.

Steps are written in the run's transaction. If the daemon dies mid-push the steps roll back with
the run, and that is safe: the SFCC order number is derived from the TikTok order id and the push
looks the number up before creating anything (and reads a 409 on it as "already created"), so a
re-run finds the order instead of creating a second one. An open basket left behind by a crash
expires in SFCC on its own; one recorded in the journal is deleted before the next attempt.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from store.models import OrderRoute


class RouteJournal:
    """A StepRecorder (see connectors.sfcc.basket_push) over one OrderRoute row."""

    def __init__(self, route: OrderRoute) -> None:
        self.route = route

    def completed_steps(self) -> Mapping[str, Mapping[str, Any]]:
        return dict(self.route.steps or {})

    def record(self, step: str, data: Mapping[str, Any]) -> None:
        # A new dict, so the JSON column sees the change.
        self.route.steps = {**(self.route.steps or {}), step: dict(data)}

    def start(self, external_id: str) -> None:
        """Mark the route as being sent, before the first request leaves."""
        self.route.state = "sending"
        self.route.attempts += 1
        self.route.external_id = external_id
        self.route.next_attempt_at = None

    def created(self, now: datetime) -> None:
        self.route.state = "created"
        self.route.last_error = None
        self.route.created_downstream_at = now

    def failed(self, message: str, *, retry_at: datetime | None) -> None:
        """A rejection (``retry_at`` None: waits for a fix) or an outage (retried at ``retry_at``)."""
        self.route.state = "pending" if retry_at is not None else "failed"
        self.route.last_error = message
        self.route.next_attempt_at = retry_at

    def canceled(self, now: datetime) -> None:
        self.route.state = "canceled"
        self.route.canceled_downstream_at = now
