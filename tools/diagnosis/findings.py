"""What a diagnosis returns: findings with a code, a plain summary, the evidence and a fix."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Fix(BaseModel):
    """A tool call that fixes the finding once approved; ``missing_arguments`` a person must choose."""

    model_config = ConfigDict(extra="forbid")

    tool: str
    arguments: dict[str, Any]
    missing_arguments: list[str] = Field(default_factory=list)


class Finding(BaseModel):
    """One cause found for an order, with an EXCEPTIONS.md code.

    ``summary`` and ``next_steps`` are Shopwright's own words; identifiers from other systems
    appear there only quoted (see :func:`quoted`). Free text from TikTok, SFCC or buyers (fault
    messages, product text) is kept in ``evidence`` only, as data.
    """

    model_config = ConfigDict(extra="forbid")

    code: str
    summary: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    fix: Fix | None = None
    next_steps: list[str] = Field(default_factory=list)


class Diagnosis(BaseModel):
    """The answer to "why did this order fail?"."""

    model_config = ConfigDict(extra="forbid")

    order_id: str
    status: str
    healthy: bool = Field(description="True when nothing is wrong with the order.")
    lifecycle: str = Field(description="Where the order is in its lifecycle, in one sentence.")
    summary: str
    findings: list[Finding]


_MAX_QUOTED = 60
_MAX_WORDS = 5
WITHHELD = "(a value kept in the evidence)"


def quoted(value: Any) -> str:
    """An identifier from another system, quoted so its exact case and whitespace show.

    Only short, single-line values are quoted into a sentence; anything longer or with line breaks
    reads like text rather than an id, so it stays in the evidence and the sentence says so. This
    keeps text from TikTok, SFCC or buyers out of the words the agent relays.
    """
    text = str(value)
    if len(text) > _MAX_QUOTED or len(text.split()) > _MAX_WORDS or any(ord(ch) < 32 for ch in text):
        return WITHHELD
    return json.dumps(text, ensure_ascii=False)
