"""Which write calls a model may put in front of an approver: decided in code, not by the model.

A write call is admitted to the approval card only when
1. the person's latest message asks for a change (their words, not the store's);
2. every value in its arguments is grounded: it appears in what people wrote in this thread, or
   the whole call is exactly a fix that a deterministic tool (the diagnosis) offered;
3. the turn has not reached its cap of write proposals.
Text planted in a product description or a buyer note can therefore neither run a write nor
raise an approval request for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

from agent.backends.answers import offered_fixes

WRITE_INTENT = re.compile(
    r"\b(map|remap|apply|fix|retry|re-?push|push|resolve|dismiss|close|approve|accept|reject|decline|"
    r"propose|fill|set|change|update)\b",
    re.IGNORECASE,
)
# Tools whose output may ground a write's values (deterministic, computed by Shopwright itself).
GROUNDING_TOOLS = frozenset({"diagnose_order", "suggest_attributes"})


def refusal_reason(
    tool: str,
    arguments: Mapping[str, Any],
    messages: Sequence[BaseMessage],
    *,
    admitted_this_turn: int,
    max_writes_per_turn: int,
) -> str | None:
    """None when the call may be proposed; otherwise why not, in words for a person."""
    human = [m for m in messages if isinstance(m, HumanMessage)]
    latest = _text(human[-1]) if human else ""
    if not WRITE_INTENT.search(latest):
        return "the latest request does not ask for a change, so no write is proposed"
    if admitted_this_turn >= max_writes_per_turn:
        return f"one request may propose at most {max_writes_per_turn} changes; ask for the rest separately"
    if _is_offered_fix(tool, arguments, messages):
        return None
    said = "\n".join(_text(m) for m in human)
    grounded_text = said + "\n" + "\n".join(_grounding_outputs(messages))
    missing = [value for value in _leaves(arguments) if not _appears(value, grounded_text)]
    if missing:
        shown = ", ".join(repr(value) for value in missing[:3])
        return f"the value(s) {shown} were not given by a person in this conversation; say them explicitly"
    return None


def _is_offered_fix(tool: str, arguments: Mapping[str, Any], messages: Sequence[BaseMessage]) -> bool:
    for message in messages:
        artifact = getattr(message, "artifact", None) if isinstance(message, ToolMessage) else None
        if isinstance(artifact, dict) and artifact.get("tool") in GROUNDING_TOOLS and artifact.get("ok"):
            for fix in offered_fixes(artifact.get("output")):
                if fix["tool"] == tool and fix["arguments"] == dict(arguments):
                    return True
    return False


def _grounding_outputs(messages: Sequence[BaseMessage]) -> Iterable[str]:
    for message in messages:
        artifact = getattr(message, "artifact", None) if isinstance(message, ToolMessage) else None
        if isinstance(artifact, dict) and artifact.get("tool") == "suggest_attributes" and artifact.get("ok"):
            yield "\n".join(str(value) for value in _leaves(artifact.get("output")))


def _leaves(value: Any) -> list[Any]:
    """Scalar values inside ``value`` (booleans and empty values carry no identity and are skipped)."""
    if isinstance(value, Mapping):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _leaves(item)]
    if value is None or isinstance(value, bool) or value == "":
        return []
    return [value]


def _appears(value: Any, text: str) -> bool:
    if isinstance(value, int | float):
        return re.search(rf"(?<![\w.]){re.escape(str(value))}(?![\w])", text) is not None
    return str(value).strip() in text


def _text(message: BaseMessage) -> str:
    return message.content if isinstance(message.content, str) else str(message.content)
