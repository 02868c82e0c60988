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
    return render("offline/listing", title=_title(tool), body=_body(output))


def render_diagnosis(output: Mapping[str, Any]) -> str:
    """A diagnosis: the order, its status, and each finding with evidence, fix and next steps."""
    findings = output.get("findings") or []
    lines = [
        render(
            "offline/finding",
            code=finding.get("code", "?"),
            summary=_text(finding.get("summary")),
            evidence=_text(finding.get("evidence")),
            fix=_fix(finding.get("fix")),
            next_steps=_text(finding.get("next_steps")),
        )
        for finding in findings
        if isinstance(finding, Mapping)
    ]
    return render(
        "offline/diagnosis",
        order_id=output.get("order_id", "?"),
        status=output.get("status", "unknown"),
        findings="\n".join(lines) if lines else render("offline/no_findings"),
    )


def offered_fixes(output: Any) -> list[dict[str, Any]]:
    """Every ``fix: {tool, arguments}`` a diagnosis offers, in order."""
    fixes: list[dict[str, Any]] = []
    if isinstance(output, Mapping):
        for finding in output.get("findings") or []:
            fix = finding.get("fix") if isinstance(finding, Mapping) else None
            if isinstance(fix, Mapping) and fix.get("tool") and isinstance(fix.get("arguments"), Mapping):
                fixes.append({"tool": str(fix["tool"]), "arguments": dict(fix["arguments"])})
    return fixes


def _fix(fix: Any) -> str:
    if not isinstance(fix, Mapping) or not fix.get("tool"):
        return "nothing to apply automatically"
    return f"`{fix['tool']} {json.dumps(fix.get('arguments', {}), ensure_ascii=False)}` (say `apply the fix`)"


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
    if isinstance(output, Mapping):
        for key in ("message", "summary", "status"):
            if isinstance(output.get(key), str):
                return clean_text(str(output[key]))
    return ""


def _body(output: Any) -> str:
    """Lists become one line per item; objects become ``key: value`` lines."""
    if isinstance(output, Mapping):
        lists = [(key, value) for key, value in output.items() if isinstance(value, list)]
        if len(lists) == 1 and len(output) <= 3:
            key, items = lists[0]
            if not items:
                return f"No {key.replace('_', ' ')}."
            lines = [f"• {_item(item)}" for item in items[:MAX_ITEMS]]
            if len(items) > MAX_ITEMS:
                lines.append(f"… and {len(items) - MAX_ITEMS} more")
            return "\n".join(lines)
        return "\n".join(f"• {key}: {_text(value)}" for key, value in output.items())
    return _text(output)


def _item(item: Any) -> str:
    if isinstance(item, Mapping):
        return ", ".join(
            f"{key}: {_text(value)}" for key, value in item.items() if value not in (None, "", [])
        )
    return _text(item)
