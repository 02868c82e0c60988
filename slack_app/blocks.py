"""Block Kit messages: approval cards, their outcomes, and on-call alerts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from agent.approvers import mention

APPROVE = "shopwright_approve"
REJECT = "shopwright_reject"
DIAGNOSE = "shopwright_diagnose"
SECTION_LIMIT = 2900  # Slack allows 3,000 characters per section text


def approval_card(card: Mapping[str, Any], approvers: Sequence[str]) -> list[dict[str, Any]]:
    """The change a write will make, with Approve and Reject bound to its one-time token."""
    change = card.get("change") or {}
    who = ", ".join(mention(entry) for entry in approvers) or "nobody (configure [bot] approvers)"
    why = f"\n*Why:* {_quote(change['why'])}" if change.get("why") else ""
    return [
        _section(f":lock: *Approval needed: `{card.get('tool')}`*\n{change.get('summary') or ''}{why}"),
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": _clip(f"*Entity*\n{change.get('entity') or 'new'}", 1900)},
                {"type": "mrkdwn", "text": _clip(f"*Arguments*\n{_code(card.get('arguments'))}", 1900)},
            ],
        },
        _section(f"*Before*\n{_code(change.get('before'))}"),
        _section(f"*After*\n{_code(change.get('after'))}"),
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"Expires {card.get('expires_at')} · may decide: {who}"}],
        },
        {
            "type": "actions",
            "block_id": "shopwright_decision",
            "elements": [
                _button("Approve", APPROVE, str(card.get("token")), style="primary"),
                _button("Reject", REJECT, str(card.get("token")), style="danger"),
            ],
        },
    ]


def outcome_card(card_blocks: Sequence[Mapping[str, Any]], outcome: str) -> list[dict[str, Any]]:
    """The same card with its buttons replaced by the outcome and who decided."""
    kept = [dict(block) for block in card_blocks if block.get("type") != "actions"]
    return [*kept, _section(outcome)]


def card_fallback(card: Mapping[str, Any]) -> str:
    return (
        f"Approval needed: {card.get('tool')} on {(card.get('change') or {}).get('entity') or 'a new entity'}"
    )


def alert_group(code: str, records: Sequence[Mapping[str, Any]], *, limit: int = 10) -> list[dict[str, Any]]:
    """One message per exception code: the entities, their messages and a Diagnose button.

    Messages can quote TikTok or SFCC text; they are shown as quoted data, never as markup.
    """
    lines = [f"• `{r['entity_type']} {r['entity_id']}`: {_quote(r['message'])}" for r in records[:limit]]
    if len(records) > limit:
        lines.append(f"… and {len(records) - limit} more")
    first = records[0]
    value = json.dumps(
        {"entity_type": first["entity_type"], "entity_id": first["entity_id"], "exception_id": first["id"]}
    )
    return [
        _section(f":rotating_light: *{code}*: {len(records)} open\n" + "\n".join(lines)),
        {
            "type": "actions",
            "block_id": "shopwright_alert",
            "elements": [_button("Diagnose", DIAGNOSE, value)],
        },
    ]


def resolved_group(code: str, count: int) -> list[dict[str, Any]]:
    """An alert group once every exception in it is resolved: no button left to press."""
    return [_section(f":white_check_mark: *{code}*: resolved ({count} exception(s) closed)")]


def _quote(text: Any) -> str:
    # Slack would render <...> as links or mentions and ``` as code; quoted data shows as typed.
    plain = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "`" + _clip(plain.replace("`", "'"), 300) + "`"


def _button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SECTION_LIMIT)}}


def _code(value: Any) -> str:
    if value is None:
        return "_nothing_"
    text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
    return "```" + _clip(text, 1800).replace("```", "'''") + "```"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
