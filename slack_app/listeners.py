"""Bolt listeners: ``ack`` at once, run the agent in lazy listeners, post answers and cards.

Each function takes plain keyword arguments (``body``, ``client``, ``ack``) so tests can call it
directly with fakes, as Bolt does.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from agent.approvals import ApprovalRefusedError, DecisionKind
from agent.runner import AgentRunner, TurnResult
from slack_app.blocks import APPROVE, approval_card, card_fallback, outcome_card

logger = logging.getLogger(__name__)
_MENTION = re.compile(r"<@[A-Z0-9]+>\s*")


def thread_key(channel: str, thread_ts: str) -> str:
    """The conversation key of a Slack thread."""
    return f"{channel}:{thread_ts}"


def ack_now(ack: Callable[..., Any]) -> None:
    """Acknowledge within Slack's three seconds; the work happens in the lazy listener."""
    ack()


class Listeners:
    """Listener functions bound to one runner."""

    def __init__(self, runner: AgentRunner, approvers: Sequence[str]) -> None:
        self.runner = runner
        self.approvers = tuple(approvers)

    def on_mention(self, body: dict[str, Any], client: Any) -> None:
        """An @mention: answer in its thread (a new conversation, or the thread's existing one)."""
        event = body.get("event") or {}
        text = _MENTION.sub("", str(event.get("text", ""))).strip()
        self._converse(client, event, text, body.get("event_id"))

    def on_message(self, body: dict[str, Any], client: Any) -> None:
        """A direct message, or a reply in a thread the bot already talks in."""
        event = body.get("event") or {}
        if event.get("bot_id") or event.get("subtype"):
            return  # our own posts, edits, joins: never answered
        text = str(event.get("text", ""))
        if event.get("channel_type") == "im":
            self._converse(client, event, text, body.get("event_id"))
            return
        thread_ts = event.get("thread_ts")
        if (
            thread_ts
            and not _MENTION.search(text)
            and self.runner.has_thread(thread_key(event["channel"], thread_ts))
        ):
            self._converse(client, event, text, body.get("event_id"))

    def on_decision(self, body: dict[str, Any], client: Any) -> None:
        """Approve or Reject clicked: record the decision, resume the run, replace the buttons."""
        try:
            self._decide(body, client)
        except Exception:
            # Bolt would log one line; the stack trace goes to the log, the person gets a sentence.
            logger.exception("deciding on an approval card failed")
            client.chat_postEphemeral(
                channel=body["channel"]["id"],
                user=body["user"]["id"],
                text="Shopwright could not finish this decision; the bot's log has the details. "
                "Check the card's entity before trying again.",
            )

    def _decide(self, body: dict[str, Any], client: Any) -> None:
        action = body["actions"][0]
        user = body["user"]["id"]
        channel = body["channel"]["id"]
        message = body.get("message") or {}
        decision: DecisionKind = "approve" if action["action_id"] == APPROVE else "reject"
        try:
            result = self.runner.decide(
                action["value"], user, decision, source=f"slack:{channel}:{message.get('ts')}"
            )
        except ApprovalRefusedError as refused:
            client.chat_postEphemeral(channel=channel, user=user, text=refused.message)
            if refused.reason in ("expired", "already_decided", "not_waiting") and message.get("ts"):
                client.chat_update(
                    channel=channel,
                    ts=message["ts"],
                    text=refused.message,
                    blocks=outcome_card(message.get("blocks") or [], f":hourglass: {refused.message}"),
                )
            return
        verb = ":white_check_mark: Approved" if decision == "approve" else ":no_entry: Rejected"
        client.chat_update(
            channel=channel,
            ts=message["ts"],
            text=f"{verb} by <@{user}>",
            blocks=outcome_card(message.get("blocks") or [], f"{verb} by <@{user}>"),
        )
        self._post(client, channel, str(message.get("thread_ts") or message["ts"]), result)

    def on_diagnose(self, body: dict[str, Any], client: Any) -> None:
        """Diagnose clicked on an alert: the diagnosis goes in the alert's thread."""
        action = body["actions"][0]
        target = json.loads(action["value"])
        channel = body["channel"]["id"]
        ts = str(body["message"]["ts"])
        if target.get("entity_type") == "order":
            question = f"why did order {target['entity_id']} fail?"
        else:
            question = f"explain exception {target['exception_id']}"
        result = self.runner.ask(thread_key(channel, ts), body["user"]["id"], question)
        self._post(client, channel, ts, result)

    def _converse(self, client: Any, event: dict[str, Any], text: str, event_id: Any = None) -> None:
        channel = str(event["channel"])
        thread_ts = str(event.get("thread_ts") or event["ts"])
        result = self.runner.ask(
            thread_key(channel, thread_ts),
            str(event.get("user", "unknown")),
            text or "help",
            event_id=str(event_id) if event_id else None,
        )
        self._post(client, channel, thread_ts, result)

    def _post(self, client: Any, channel: str, thread_ts: str, result: TurnResult) -> None:
        if result.text:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=result.text)
        if result.approval:
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=card_fallback(result.approval),
                blocks=approval_card(result.approval, self.approvers),
            )
