"""The agent's state: what one Slack thread's conversation carries between steps and restarts.

Everything here is checkpointed, so every value must be serialisable: LangChain messages and
plain JSON-like dicts only (no ORM objects, clients or sessions).
"""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage, HumanMessage
from langgraph.graph.message import add_messages

MAX_REMEMBERED_EVENTS = 200


def remember_events(known: list[str] | None, new: list[str] | None) -> list[str]:
    """Append new event ids, keeping the most recent ``MAX_REMEMBERED_EVENTS``."""
    merged = [*(known or []), *(event for event in new or [] if event not in (known or []))]
    return merged[-MAX_REMEMBERED_EVENTS:]


class QueuedWrite(TypedDict):
    """A write tool call the model proposed and the write policy admitted, waiting for its card."""

    call_id: str
    tool: str
    arguments: dict[str, Any]


class PendingApproval(TypedDict):
    """The one write call shown to people right now, bound to an Approval row by ``token``."""

    token: str
    approval_id: int
    call_id: str
    tool: str
    arguments: dict[str, Any]
    change: dict[str, Any]
    expires_at: str
    thread_id: str


class AgentState(TypedDict, total=False):
    """State of one conversation (one Slack thread).

    - ``messages``: the conversation: the person's messages, the model's replies and tool calls,
      and one tool message per call (tool output wrapped as untrusted data).
    - ``actor``: the Slack user id who sent the latest message (who "asked").
    - ``thread_id``: the conversation key (``channel:thread_ts``), copied here so nodes can bind
      approvals to the thread without reading the run configuration.
    - ``turn_steps`` / ``turn_tokens``: model calls and tokens spent since the latest message;
      the limits in the context stop a turn that runs away.
    - ``turn_writes``: write calls admitted for approval since the latest message (capped).
    - ``queued_writes``: admitted write calls not yet shown for approval.
    - ``pending``: the write call waiting for a decision, or None.
    - ``events``: ids of the Slack events that started the latest turns (bounded), so a retry
      of an event that reaches another replica is recognised there too.
    """

    messages: Annotated[list[AnyMessage], add_messages]
    actor: str
    thread_id: str
    turn_steps: int
    turn_tokens: int
    turn_writes: int
    queued_writes: list[QueuedWrite]
    pending: PendingApproval | None
    events: Annotated[list[str], remember_events]


def new_turn(text: str, *, actor: str, thread_id: str, event_id: str | None = None) -> AgentState:
    """The graph input for a new message from a person: counters reset, nothing queued."""
    return {
        "events": [event_id] if event_id else [],
        "messages": [HumanMessage(content=text, name=_message_name(actor))],
        "actor": actor,
        "thread_id": thread_id,
        "turn_steps": 0,
        "turn_tokens": 0,
        "turn_writes": 0,
        "queued_writes": [],
        "pending": None,
    }


def _message_name(actor: str) -> str:
    # OpenAI restricts message names to [A-Za-z0-9_-]; Slack ids already fit, console names may not.
    return "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in actor)[:64] or "user"
