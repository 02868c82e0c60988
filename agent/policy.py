"""Which write calls a model may put in front of an approver: decided in code, not by the model.

A write call is admitted to the approval card only when
1. the person's latest message asks for a change (their words, not the store's);
2. every value in its arguments that names something is grounded (choices from a closed list
   the tool's schema declares, such as ``outcome: resolved | dismissed``, name nothing): it
   appears in what people wrote in this thread, or
   the call is a fix that a deterministic tool (the diagnosis) offered, with only the values the
   fix leaves to a person added, and those from the person's own words;
3. the turn has not reached its cap of write proposals.
Text planted in a product description or a buyer note can therefore neither run a write nor
raise an approval request for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

from agent.fixes import fills_offered_fix, offered_fixes

WRITE_INTENT = re.compile(
    r"\b(map|remap|apply|fix|retry|re-?push|push|resolve|dismiss|close|approve|accept|reject|decline|"
    r"propose|fill|set|change|update)\b",
    re.IGNORECASE,
)
# Tools whose output may ground a write's values (deterministic, computed by Shopwright itself).
SUGGESTION_TOOLS = frozenset({"suggest_attributes", "suggest_attributes_for_sku"})
GROUNDING_TOOLS = frozenset({"diagnose_order", "explain_exception"}) | SUGGESTION_TOOLS


def refusal_reason(
    tool: str,
    arguments: Mapping[str, Any],
    messages: Sequence[BaseMessage],
    *,
    admitted_this_turn: int,
    max_writes_per_turn: int,
    schema: Mapping[str, Any] | None = None,
) -> str | None:
    """None when the call may be proposed; otherwise why not, in words for a person.

    ``schema`` is the tool's input JSON schema; its enum and boolean fields need no grounding.
    """
    human = [m for m in messages if isinstance(m, HumanMessage)]
    latest = _text(human[-1]) if human else ""
    if not WRITE_INTENT.search(latest):
        return "the latest request does not ask for a change, so no write is proposed"
    if admitted_this_turn >= max_writes_per_turn:
        return f"one request may propose at most {max_writes_per_turn} changes; ask for the rest separately"
    said = "\n".join(_text(m) for m in human)
    if _is_offered_fix(tool, arguments, messages, said):
        return None
    grounded_text = said + "\n" + "\n".join(_grounding_outputs(messages))
    closed = _closed_choice_fields(schema or {})
    naming = {key: value for key, value in arguments.items() if key not in closed}
    missing = [value for value in _leaves(naming) if not _appears(value, grounded_text)]
    if missing:
        shown = ", ".join(repr(value) for value in missing[:3])
        return f"the value(s) {shown} were not given by a person in this conversation; say them explicitly"
    return None


def _closed_choice_fields(schema: Mapping[str, Any]) -> set[str]:
    """Top-level fields whose value comes from a fixed list (enum, Literal) in the schema."""
    closed = set()
    for name, field in (schema.get("properties") or {}).items():
        options = [o for o in (field.get("anyOf") or [field]) if o.get("type") != "null"]
        if options and all("enum" in o or "const" in o or o.get("type") == "boolean" for o in options):
            closed.add(name)
    return closed


def _is_offered_fix(
    tool: str, arguments: Mapping[str, Any], messages: Sequence[BaseMessage], said: str
) -> bool:
    for message in messages:
        artifact = getattr(message, "artifact", None) if isinstance(message, ToolMessage) else None
        if isinstance(artifact, dict) and artifact.get("tool") in GROUNDING_TOOLS and artifact.get("ok"):
            for fix in offered_fixes(artifact.get("output")):
                if fills_offered_fix(tool, arguments, fix, said, _appears):
                    return True
    return False


def _grounding_outputs(messages: Sequence[BaseMessage]) -> Iterable[str]:
    for message in messages:
        artifact = getattr(message, "artifact", None) if isinstance(message, ToolMessage) else None
        if isinstance(artifact, dict) and artifact.get("tool") in SUGGESTION_TOOLS and artifact.get("ok"):
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
