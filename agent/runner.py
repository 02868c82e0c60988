"""Running conversations: a person's message in, an answer and/or an approval card out.

The runner is what the Slack bot and the console call. It serialises runs per thread (two
messages in one thread never run the graph at once) and puts every decision through the
approval service before it resumes the graph.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from agent.approvals import ApprovalRefusedError, ApprovalService, Decision, DecisionKind
from agent.graph import Graph
from agent.standalone import StandaloneCards, is_standalone
from agent.state import new_turn

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TurnResult:
    """What a turn produced: the answer text (if any) and the approval waiting (if any).

    ``problems`` lists the tool calls of the turn that failed or were refused, one line each, so
    a script driving the console can tell a story that went wrong from one that went right.
    """

    thread_id: str
    text: str | None
    approval: dict[str, Any] | None = None
    decision: Decision | None = None
    problems: tuple[str, ...] = ()


class AgentRunner:
    """Asks and decides on conversations keyed by thread id."""

    def __init__(
        self, graph: Graph, approvals: ApprovalService, cards: StandaloneCards | None = None
    ) -> None:
        self.graph = graph
        self.approvals = approvals
        self.cards = cards
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def ask(self, thread_id: str, user: str, text: str, *, event_id: str | None = None) -> TurnResult:
        """Run one turn for ``user``'s message; a card still waiting in the thread is superseded.

        ``event_id`` (Slack's) makes the turn idempotent: an event this thread already started a
        turn for, here or on another replica, is answered with nothing instead of a second run.
        """
        config = _config(thread_id)
        with self._lock(thread_id):
            if event_id and event_id in (self.graph.get_state(config).values.get("events") or []):
                logger.info("event %s already handled in %s; ignored", event_id, thread_id)
                return TurnResult(thread_id, None)
            waiting = self.pending(thread_id)
            if waiting is not None:
                self.approvals.close(waiting["token"], status="superseded", note="a new message arrived")
            turn = new_turn(text, actor=user, thread_id=thread_id, event_id=event_id)
            result = self.graph.invoke(turn, config)
            return _turn_result(thread_id, result)

    def decide(self, token: str, user: str, decision: DecisionKind, *, source: str) -> TurnResult:
        """Record ``user``'s decision on card ``token`` and resume its run.

        Raises :class:`ApprovalRefusedError` (nothing changes) for a non-approver, an expired or
        already-used card, or a card its conversation no longer waits for.
        """
        accepted = self.approvals.decide(token, user, decision, source=source)
        thread_id = accepted.thread_id or ""
        if is_standalone(thread_id):
            if self.cards is None:
                self.approvals.close(token, status="failed", note="this process cannot apply proposal cards")
                raise ApprovalRefusedError(
                    f"Approval {accepted.approval_id} could not be carried out here; nothing was changed.",
                    reason="not_waiting",
                )
            return TurnResult(thread_id, self.cards.decide(accepted), None, accepted)
        with self._lock(thread_id):
            waiting = self.pending(thread_id)
            if waiting is None or waiting["token"] != token:
                self.approvals.close(token, status="superseded", note="the conversation moved on")
                raise ApprovalRefusedError(
                    f"The conversation has moved on since approval {accepted.approval_id} for "
                    f"{accepted.tool} was shown, so nothing was changed. Ask the bot again for a fresh card.",
                    reason="not_waiting",
                )
            resume = {"token": token, "decision": decision, "by": user}
            result = self.graph.invoke(Command(resume=resume), _config(thread_id))
        outcome = _turn_result(thread_id, result)
        return TurnResult(thread_id, outcome.text, outcome.approval, accepted, outcome.problems)

    def pending(self, thread_id: str) -> dict[str, Any] | None:
        """The approval card the thread is waiting on, if any."""
        snapshot = self.graph.get_state(_config(thread_id))
        for item in snapshot.interrupts:
            if isinstance(item.value, dict) and item.value.get("kind") == "approval":
                return dict(item.value)
        return None

    def has_thread(self, thread_id: str) -> bool:
        """Whether a conversation exists for ``thread_id`` (replies in it continue it)."""
        return bool(self.graph.get_state(_config(thread_id)).values.get("messages"))

    def _lock(self, thread_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(thread_id, threading.Lock())


def _config(thread_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}}


def _turn_result(thread_id: str, result: dict[str, Any]) -> TurnResult:
    approval = None
    for item in result.get("__interrupt__", ()):
        if isinstance(item.value, dict) and item.value.get("kind") == "approval":
            approval = dict(item.value)
    text = None
    problems: list[str] = []
    for message in reversed(result.get("messages", [])):
        if isinstance(message, HumanMessage):
            break
        if text is None and isinstance(message, AIMessage) and isinstance(message.content, str):
            text = message.content.strip() or None
        artifact = getattr(message, "artifact", None) if isinstance(message, ToolMessage) else None
        if isinstance(artifact, dict) and not artifact.get("ok"):
            outcome = artifact.get("outcome") or "error"
            problems.append(f"{artifact.get('tool')}: {outcome}: {artifact.get('error')}")
    return TurnResult(thread_id, text, approval, problems=tuple(reversed(problems)))
