"""Cross-cutting rules as small Bolt middleware: drop Slack's retries, only approvers decide."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from agent.approvals import ApprovalService
from slack_app.blocks import APPROVE, REJECT

logger = logging.getLogger(__name__)


class DropRetries(Middleware):
    """Process each Events API ``event_id`` once, however often Slack re-sends it.

    Slack retries an event it thinks was not acknowledged (``X-Slack-Retry-Num``). Seen ids are
    kept per process in a bounded set; with several HTTP replicas a retry can reach another
    replica, which is why the work itself (the graph run per thread) is serialised and idempotent.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if isinstance(event_id, str):
            with self._lock:
                if event_id in self._seen:
                    retry = (req.headers.get("x-slack-retry-num") or ["?"])[0]
                    logger.info("dropped Slack retry %s of event %s", retry, event_id)
                    return BoltResponse(status=200, body="")
                self._seen[event_id] = None
                while len(self._seen) > self._capacity:
                    self._seen.popitem(last=False)
        return next()


class ApproversOnly(Middleware):
    """An Approve or Reject click from anyone not on ``[bot] approvers`` is refused and audited.

    The approval service checks again when it records the decision; this early check keeps a
    stranger's click from ever reaching the agent, and answers them with an ephemeral message.
    """

    def __init__(self, approvals: ApprovalService) -> None:
        self._approvals = approvals

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        body = req.body if isinstance(req.body, dict) else {}
        if body.get("type") != "block_actions":
            return next()
        action = (body.get("actions") or [{}])[0]
        if action.get("action_id") not in (APPROVE, REJECT):
            return next()
        user = (body.get("user") or {}).get("id", "")
        if self._approvals.may_decide(user):
            return next()
        channel = (body.get("channel") or {}).get("id", "")
        message = self._approvals.refuse_non_approver(
            str(action.get("value", "")), user, source=f"slack:{channel}"
        )
        client = req.context.client
        if client is not None and channel:
            client.chat_postEphemeral(channel=channel, user=user, text=message)
        return BoltResponse(status=200, body="")
