"""A backend that needs no model and no key: it picks the same tools and answers from templates.

It reads only the person's latest message to choose a tool; tool results only feed the answer
(and the "apply the fix" chain, which proposes exactly the fix the deterministic diagnosis
offered, through the same approval card as any other write).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.backends.answers import render_result
from agent.backends.base import ModelReply, ModelRequest, ToolSpec
from agent.backends.intents import Intent, fill_arguments, read_intent
from agent.fixes import OfferedFix, fix_values, offered_fixes
from agent.prompts import render


class OfflineBackend:
    """Rule-based backend: requests to tool calls, tool results to templated answers."""

    name = "offline"

    def __init__(self, approvers: Sequence[str] = ()) -> None:
        self._approvers = ", ".join(f"<@{user}>" for user in approvers) or "the configured approvers"

    def respond(self, request: ModelRequest) -> ModelReply:
        """The next assistant message for ``request``."""
        turn = _current_turn(request.messages)
        human = next((m for m in turn if isinstance(m, HumanMessage)), None)
        if human is None:
            return _say(render("offline/help", approvers=self._approvers))
        text = _content(human)
        intent = read_intent(text)
        results = [m for m in turn if isinstance(m, ToolMessage)]
        specs = {spec.name: spec for spec in request.tools}
        if not results:
            return self._first_step(intent, specs, request.messages, text)
        if intent.kind == "apply_fix" and not _wrote_in(turn, specs):
            follow_up = self._fix_call(request.messages, specs, text)
            if follow_up is not None:
                return follow_up
        return _say("\n\n".join(render_result(_artifact(m)) for m in results))

    def _first_step(
        self, intent: Intent, specs: dict[str, ToolSpec], history: Sequence[BaseMessage], text: str
    ) -> ModelReply:
        if intent.kind == "apply_fix":
            if "order_id" in intent.slots and "diagnose_order" in specs:
                return _call(specs["diagnose_order"], fill_arguments(specs["diagnose_order"], intent.slots))
            return self._fix_call(history, specs, text) or _say(render("offline/need_order"))
        if intent.kind == "call" and intent.tool in specs:
            spec = specs[intent.tool]
            return _call(spec, fill_arguments(spec, intent.slots, intent.positional))
        return _say(render("offline/help", approvers=self._approvers))

    def _fix_call(
        self, history: Sequence[BaseMessage], specs: dict[str, ToolSpec], text: str
    ) -> ModelReply | None:
        """Propose the first fix of the latest diagnosis, with the values the person gave for it."""
        for message in reversed(history):
            artifact = _artifact(message) if isinstance(message, ToolMessage) else {}
            if artifact.get("tool") not in ("diagnose_order", "explain_exception") or not artifact.get("ok"):
                continue
            output = artifact.get("output") or {}
            subject = _subject(output)
            fixes = [fix for fix in offered_fixes(output) if fix.tool in specs]
            if not fixes:
                return _say(render("offline/no_fix", subject=subject, reason="the diagnosis offers none"))
            fix = fixes[0]
            values = fix_values(text, fix.missing)
            still_missing = [name for name in fix.missing if name not in values]
            if still_missing:
                return _say(_needs_values(fix, still_missing, subject))
            return _call(specs[fix.tool], {**fix.arguments, **values})
        return None


def _subject(output: Any) -> str:
    if not isinstance(output, dict):
        return "this request"
    if output.get("order_id"):
        return f"order {output['order_id']}"
    exception = output.get("exception")
    if isinstance(exception, dict):
        return f"exception {exception.get('id')} ({exception.get('code')})"
    return "this request"


def _needs_values(fix: OfferedFix, missing: Sequence[str], subject: str) -> str:
    given = ", ".join(f"{key} {value!r}" for key, value in fix.arguments.items() if value is not None)
    hints = "\n".join(f"• {step}" for step in fix.next_steps[:2])
    return render(
        "offline/fix_needs",
        subject=subject,
        tool=fix.tool,
        given=given or "no arguments",
        missing=", ".join(missing),
        hints=hints,
        example=" ".join(f"{name} VALUE" for name in missing),
    )


def _current_turn(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The messages since (and including) the person's latest message."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return list(messages[index:])
    return []


def _wrote_in(turn: Sequence[BaseMessage], specs: dict[str, ToolSpec]) -> bool:
    return any(
        isinstance(m, AIMessage)
        and any(specs.get(c["name"]) and specs[c["name"]].effect == "write" for c in m.tool_calls)
        for m in turn
    )


def _artifact(message: BaseMessage) -> dict[str, Any]:
    artifact = getattr(message, "artifact", None)
    return artifact if isinstance(artifact, dict) else {"tool": getattr(message, "name", None), "ok": False}


def _content(message: BaseMessage) -> str:
    return message.content if isinstance(message.content, str) else str(message.content)


def _call(spec: ToolSpec, arguments: dict[str, Any]) -> ModelReply:
    call_id = f"call_{uuid.uuid4().hex[:16]}"
    return ModelReply(
        AIMessage(content="", tool_calls=[{"id": call_id, "name": spec.name, "args": arguments}])
    )


def _say(text: str) -> ModelReply:
    return ModelReply(AIMessage(content=text))
