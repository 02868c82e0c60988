"""Yes/No attributes ("BPA Free", "Vegan", "Contains SPF"), read from the phrase the name makes.

"BPA Free" is Yes when the text says "BPA-free", "free of BPA", "without BPA" or "contains no BPA";
"Vegan" is Yes when "vegan" is said and not negated, No when it is ("not vegan"). Silence is not No:
a product that never mentions BPA leaves the attribute unfilled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from connectors.tiktok.listing_validation import AttributeValueOption

from .matching import about_other_products
from .models import AttributeItem, Proposal, ProposedValue, Unfilled
from .sources import ProductText
from .text import Segment, fold

__all__ = ["decide_boolean"]

_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0"})
_NEGATORS = frozenset({"not", "no", "non", "never", "isn"})
_PLACE_CONFIDENCE = {"attribute": 0.97, "spec": 0.93, "title": 0.9, "description": 0.86}
_PLACE_NAMES = {
    "attribute": "the product's own attributes",
    "spec": "a specification line",
    "title": "the title",
    "description": "the description",
}


@dataclass(frozen=True)
class _Reading:
    answer: bool
    place: str
    how: str


def _find(words: Sequence[str], phrase: Sequence[str]) -> list[int]:
    size = len(phrase)
    return [i for i in range(len(words) - size + 1) if tuple(words[i : i + size]) == tuple(phrase)]


def _negated_before(words: Sequence[str], index: int) -> bool:
    return any(w in _NEGATORS for w in words[max(0, index - 2) : index])


def _read_free(words: Sequence[str], subject: Sequence[str]) -> str | None:
    """For "<subject> free" names: how the text says the product is free of the subject."""
    for index in _find(words, [*subject, "free"]):
        if not _negated_before(words, index):
            return f"'{' '.join(subject)}-free'"
    for index in _find(words, subject):
        before = words[max(0, index - 2) : index]
        if "without" in before or "no" in before or (len(before) == 2 and before[0] == "free"):
            return f"'{' '.join([*before, *subject])}'"
        if index >= 2 and words[index - 1] == "%" and words[index - 2] in ("0", "0.0"):
            return f"'0% {' '.join(subject)}'"
    return None


def _read_phrase(words: Sequence[str], phrase: Sequence[str]) -> tuple[bool, str] | None:
    for index in _find(words, phrase):
        negated = _negated_before(words, index)
        return (not negated), f"'{'not ' if negated else ''}{' '.join(phrase)}'"
    return None


def _read_segment(item: AttributeItem, segment: Segment, place: str) -> _Reading | None:
    name = fold(item.name).split()
    words = segment.tokens[segment.value_start :] if place == "spec" else segment.tokens
    if place == "spec" and words and (words[0] in _TRUE or words[0] in _FALSE):
        return _Reading(words[0] in _TRUE, place, f"'{words[0]}'")
    if len(name) >= 2 and name[-1] == "free":
        how = _read_free(words, name[:-1])
        return _Reading(True, place, how) if how else None
    phrase = name[1:] if name[0] in ("contain", "contains", "has", "with") and len(name) > 1 else name
    reading = _read_phrase(words, phrase)
    return _Reading(reading[0], place, reading[1]) if reading else None


def _readings(item: AttributeItem, text: ProductText) -> list[_Reading]:
    found: list[_Reading] = []
    for _key, raw in text.own_values(item):
        value = fold(str(raw)).split()
        if value and (value[0] in _TRUE or value[0] in _FALSE):
            found.append(_Reading(value[0] in _TRUE, "attribute", f"'{value[0]}'"))
    for line in text.spec_segments(item):
        reading = _read_segment(item, line, "spec")
        if reading:
            found.append(reading)
    for line in (*text.title, *text.description):
        if about_other_products(line):
            continue
        place = "title" if line.place.startswith("title") else "description"
        reading = _read_segment(item, line, place)
        if reading:
            found.append(reading)
    return found


def _option(item: AttributeItem, answer: bool) -> AttributeValueOption | None:
    wanted = "yes" if answer else "no"
    return next((o for o in item.values if o.name.strip().casefold() == wanted), None)


def decide_boolean(item: AttributeItem, text: ProductText) -> Proposal | Unfilled:
    """Yes or No from what the product says, or unfilled when it says nothing or contradicts itself."""
    readings = _readings(item, text)
    if not readings:
        return Unfilled(
            attribute_id=item.id,
            reason=f"The product does not say whether it is {item.name!r}; silence is not 'No', so "
            "answer it by hand.",
        )
    answers = {r.answer for r in readings}
    if len(answers) > 1:
        return Unfilled(
            attribute_id=item.id,
            reason=f"The product says both yes and no about {item.name!r}; check it and answer by hand.",
        )
    answer = answers.pop()
    option = _option(item, answer)
    if option is None:
        return Unfilled(
            attribute_id=item.id, reason=f"The attribute lists no {'Yes' if answer else 'No'} value."
        )
    best = max(readings, key=lambda r: _PLACE_CONFIDENCE[r.place])
    confidence = _PLACE_CONFIDENCE[best.place] - (0.0 if answer else 0.04)
    if len({r.place for r in readings}) > 1:
        confidence = min(0.97, confidence + 0.02)
    where = " and ".join(dict.fromkeys(_PLACE_NAMES[r.place] for r in readings))
    return Proposal(
        attribute_id=item.id,
        attribute_name=item.name,
        values=[ProposedValue(id=option.id, name=option.name)],
        confidence=round(confidence, 2),
        rationale=f"{where.capitalize()} say{'s' if ' and ' not in where else ''} {best.how}.",
        source="rules",
    )
