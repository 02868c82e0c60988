"""Rules-based attribute suggestion: find a category attribute's allowed value in product data.

Deterministic and explainable: a value is suggested only when it literally appears (ignoring case)
in the product's own attributes, title or description, and the rationale says where. Product
text is only searched, never echoed into the rationale.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

_TAG = re.compile(r"<[^>]+>")

Place = Literal["attributes", "title", "description"]

# Where a value was found, and how much that place says about the attribute.
CONFIDENCE: dict[Place, float] = {"attributes": 0.95, "title": 0.8, "description": 0.6}


@dataclass(frozen=True)
class Candidate:
    value: str
    confidence: float
    matched_in: Place


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _contains_word(text: str, value: str) -> bool:
    pattern = r"(?<![\w])" + re.escape(_fold(value)) + r"(?![\w])"
    return re.search(pattern, _fold(text)) is not None


def _attribute_values(attributes: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    wanted = {_fold(n) for n in names}
    found: list[str] = []
    for key, value in attributes.items():
        if _fold(str(key)) not in wanted:
            continue
        values = value if isinstance(value, list) else [value]
        found.extend(str(v) for v in values if v is not None)
    return found


def suggest(
    *,
    attribute_names: Iterable[str],
    allowed_values: list[str],
    attributes: Mapping[str, Any],
    title: str,
    description: str | None,
) -> list[Candidate]:
    """Candidates for one attribute, best first; at most one candidate per allowed value.

    With no allowed values (a free-text attribute) only the product's own attribute is used.
    """
    names = list(attribute_names)
    own = _attribute_values(attributes, names)
    if not allowed_values:
        return [Candidate(value, CONFIDENCE["attributes"], "attributes") for value in dict.fromkeys(own)]
    plain_description = _TAG.sub(" ", html.unescape(description or ""))
    best: dict[str, Candidate] = {}
    for allowed in allowed_values:
        if any(_fold(value) == _fold(allowed) for value in own):
            best[allowed] = Candidate(allowed, CONFIDENCE["attributes"], "attributes")
        elif _contains_word(title, allowed):
            best[allowed] = Candidate(allowed, CONFIDENCE["title"], "title")
        elif plain_description and _contains_word(plain_description, allowed):
            best[allowed] = Candidate(allowed, CONFIDENCE["description"], "description")
    candidates = sorted(best.values(), key=lambda c: (-c.confidence, allowed_values.index(c.value)))
    # Several values found in the same place make each less certain: halve their confidence.
    places = [c.matched_in for c in candidates]
    return [
        Candidate(c.value, round(c.confidence / 2, 2), c.matched_in) if places.count(c.matched_in) > 1 else c
        for c in candidates
    ]
