"""Offline answers: tool output rendered through the templates in ``prompts/offline/``.

The text of the store (titles, notes, fault messages) is shown as quoted values, never acted on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from agent.data import clean_text
from agent.prompts import render

MAX_ITEMS = 15
# The fields a person needs from each row of a listing; other tools show every field.
_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "list_exceptions": ("id", "code", "entity_type", "entity_id", "message", "count"),
    "search_orders": ("order_id", "status", "route_states", "connection"),
    "list_attribute_proposals": (
        "id",
        "sku",
        "attribute_name",
        "values",
        "confidence",
        "source",
        "status",
        "rationale",
    ),
}


def render_result(artifact: Mapping[str, Any]) -> str:
    """One tool message's artifact as a short answer."""
    tool = str(artifact.get("tool", "tool"))
    outcome = artifact.get("outcome")
    if outcome == "applied":
        return render(
            "offline/write_applied",
            tool=tool,
            decided_by=_who(artifact.get("decided_by")),
            result=_summary_line(artifact.get("output")),
        )
    if outcome in ("rejected", "refused"):
        return render("offline/write_rejected", tool=tool, reason=artifact.get("error") or outcome)
    if outcome == "not_proposed":
        return render("offline/write_not_proposed", tool=tool, reason=artifact.get("error") or "not allowed")
    if not artifact.get("ok", False):
        return render("offline/tool_error", tool=tool, message=artifact.get("error") or "unknown error")
    output = artifact.get("output")
    if tool == "diagnose_order" and isinstance(output, Mapping):
        return render_diagnosis(output)
    return render("offline/listing", title=_title(tool), body=_body(output, _KEY_FIELDS.get(tool)))


def render_diagnosis(output: Mapping[str, Any]) -> str:
    """A diagnosis: the order, where it is, and each finding with evidence, fix and next steps."""
    findings = output.get("findings") or []
    lines = [
        render(
            "offline/finding",
            code=finding.get("code", "?"),
            summary=_text(finding.get("summary")),
            evidence=_evidence(finding.get("evidence")),
            fix=_fix(finding.get("fix")),
            next_steps=_steps(finding.get("next_steps")),
        )
        for finding in findings
        if isinstance(finding, Mapping)
    ]
    return render(
        "offline/diagnosis",
        order_id=output.get("order_id", "?"),
        status=output.get("status", "unknown"),
        lifecycle=_text(output.get("lifecycle") or "lifecycle unknown"),
        findings="\n".join(lines) if lines else render("offline/no_findings"),
    )


# Evidence keys that repeat what the finding already says.
_EVIDENCE_NOISE = frozenset({"code", "entity", "first_seen_at"})


def _evidence(evidence: Any) -> str:
    if not isinstance(evidence, Mapping):
        return _text(evidence)
    parts = [
        f"{key}: {_text(value)}"
        for key, value in evidence.items()
        if key not in _EVIDENCE_NOISE and value not in (None, "", [], {})
    ]
    return "; ".join(parts) or "none recorded"


def _steps(steps: Any) -> str:
    if not isinstance(steps, Sequence) or isinstance(steps, str) or not steps:
        return _text(steps)
    return "\n        ".join(_text(step) for step in steps)


def _fix(fix: Any) -> str:
    if not isinstance(fix, Mapping) or not fix.get("tool"):
        return "nothing to apply automatically"
    call = f"`{fix['tool']} {json.dumps(fix.get('arguments', {}), ensure_ascii=False)}`"
    missing = [str(name) for name in fix.get("missing_arguments") or []]
    if missing:
        example = " ".join(f"{name} VALUE" for name in missing)
        return f"{call}, once you choose {', '.join(missing)} (say `apply the fix with {example}`)"
    return f"{call} (say `apply the fix`)"


def _who(user: Any) -> str:
    text = str(user or "an approver")
    return f"<@{text}>" if text[:1] in ("U", "W") and text.isalnum() else text


def _title(tool: str) -> str:
    return tool.replace("_", " ").capitalize()


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Sequence):
        return "; ".join(_text(item) for item in value)
    return clean_text(json.dumps(value, ensure_ascii=False, default=str))


def _summary_line(output: Any) -> str:
    """What a write changed: the entity, and its state before and after."""
    if not isinstance(output, Mapping):
        return ""
    change = output.get("change")
    if isinstance(change, Mapping):
        entity = f"{change.get('entity_type', '?')} {change.get('entity_id', '?')}"
        return f"{clean_text(entity)}: {_compact(change.get('before'))} -> {_compact(change.get('after'))}."
    for key in ("message", "summary", "status"):
        if isinstance(output.get(key), str):
            return clean_text(str(output[key]))
    return ""


def _compact(state: Any) -> str:
    if state is None:
        return "(none)"
    return clean_text(json.dumps(state, ensure_ascii=False, default=str, separators=(", ", ": ")))


def _body(output: Any, fields: tuple[str, ...] | None = None) -> str:
    """Lists become one line per item (``fields`` of each, when given); objects ``key: value`` lines."""
    if isinstance(output, Mapping):
        lists = [(key, value) for key, value in output.items() if isinstance(value, list)]
        if len(lists) == 1 and len(output) <= 3:
            key, items = lists[0]
            if not items:
                return f"No {key.replace('_', ' ')}."
            lines = [f"• {_item(item, fields)}" for item in items[:MAX_ITEMS]]
            if len(items) > MAX_ITEMS:
                lines.append(f"… and {len(items) - MAX_ITEMS} more")
            return "\n".join(lines)
        return "\n".join(f"• {key}: {_text(value)}" for key, value in output.items())
    return _text(output)


def _item(item: Any, fields: tuple[str, ...] | None = None) -> str:
    if isinstance(item, Mapping):
        keys = [key for key in fields if key in item] if fields else list(item)
        return ", ".join(f"{key}: {_text(item[key])}" for key in keys if item[key] not in (None, "", []))
    return _text(item)
