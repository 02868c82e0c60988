"""JSON on the wire with exact money: Decimal in, Decimal out, never a float in between."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def dumps(value: Any) -> str:
    """Serialise `value` to JSON, writing each Decimal as the exact number literal it holds.

    The standard encoder would need a float detour for Decimal, which can change the amount
    a buyer paid; OCAPI and SCAPI take plain JSON numbers, so we write the digits ourselves.
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot send the non-finite amount {value} as JSON")
        return format(value, "f")
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))}:{dumps(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value)


def loads(text: str | bytes) -> Any:
    """Parse JSON, reading every non-integer number as a Decimal."""
    return json.loads(text, parse_float=Decimal)
