"""Fixes offered by Shopwright's deterministic tools, and the values a person adds to them.

A diagnosis finding may offer ``fix: {tool, arguments, missing_arguments}``: the arguments it
knows (the delivery option, the connection) and the ones only a person can choose (which SFCC
shipping method id). "apply the fix with 001" fills the missing ones from the person's words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OfferedFix:
    """One fix from a finding: the call it offers and what a person must still choose."""

    tool: str
    arguments: dict[str, Any]
    missing: tuple[str, ...] = ()
    code: str | None = None
    next_steps: tuple[str, ...] = field(default_factory=tuple)


def offered_fixes(output: Any) -> list[OfferedFix]:
    """Every fix the findings of a tool output offer (diagnose_order, explain_exception), in order."""
    fixes: list[OfferedFix] = []
    if not isinstance(output, Mapping):
        return fixes
    for finding in output.get("findings") or []:
        fix = finding.get("fix") if isinstance(finding, Mapping) else None
        if not (isinstance(fix, Mapping) and fix.get("tool") and isinstance(fix.get("arguments"), Mapping)):
            continue
        steps = finding.get("next_steps") or []
        fixes.append(
            OfferedFix(
                tool=str(fix["tool"]),
                arguments=dict(fix["arguments"]),
                missing=tuple(str(name) for name in fix.get("missing_arguments") or []),
                code=str(finding.get("code")) if finding.get("code") else None,
                next_steps=tuple(str(step) for step in steps if isinstance(step, str)),
            )
        )
    return fixes


_TAIL = re.compile(r"\bfix\b(?:\s+it)?\s*(?:,|:|with|using|to|=)?\s*(?P<tail>.*)$", re.IGNORECASE | re.DOTALL)
_VALUE = r"[`'\"]?(?P<value>[^\s`'\",;]+)[`'\"]?"
_FILLER = re.compile(r"^(?:the\s+|an?\s+)?(?:sfcc\s+)?", re.IGNORECASE)


def fix_values(text: str, missing: Sequence[str]) -> dict[str, str]:
    """Values for the ``missing`` argument names found after "fix" in ``text``.

    Accepts ``shipping_method_id 001``, ``shipping method id = 001``, ``channel sku 100245``, and
    a bare value when exactly one argument is missing (``apply the fix with 001``).
    """
    match = _TAIL.search(text.strip())
    tail = match.group("tail").strip().rstrip(".!") if match else ""
    if not tail:
        return {}
    found: dict[str, str] = {}
    for name in missing:
        words = name.replace("_", " ").split()
        # "shipping_method_id" may be said as "shipping method id" or "shipping method".
        spellings = {r"\s*[_ ]\s*".join(map(re.escape, words))}
        if len(words) > 1 and words[-1] == "id":
            spellings.add(r"\s*[_ ]\s*".join(map(re.escape, words[:-1])))
        for spelling in sorted(spellings, key=len, reverse=True):
            named = re.search(rf"\b{spelling}\b\s*(?:=|:|is|of)?\s*{_VALUE}", tail, re.IGNORECASE)
            if named:
                found[name] = named.group("value")
                break
    if len(missing) == 1 and not found:
        bare = _FILLER.sub("", tail)
        if bare and len(bare.split()) == 1:
            found[missing[0]] = bare.strip("`'\"")
    return found


def fills_offered_fix(
    tool: str, arguments: Mapping[str, Any], fix: OfferedFix, said: str, appears: Any
) -> bool:
    """Whether ``arguments`` are ``fix`` plus missing values a person said.

    Every value the fix states must be passed unchanged or left out (an omitted optional argument
    falls back to the tool's default, e.g. the only SFCC connection); nothing else may be added.
    ``appears(value, text)`` decides whether a value is in the person's words.
    """
    if tool != fix.tool:
        return False
    given = {key: value for key, value in arguments.items() if value is not None}
    if any(key in given and given[key] != value for key, value in fix.arguments.items()):
        return False
    added = {key: value for key, value in given.items() if key not in fix.arguments}
    if set(added) - set(fix.missing):
        return False
    return all(appears(value, said) for value in added.values())
