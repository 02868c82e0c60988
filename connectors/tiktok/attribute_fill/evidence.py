"""Evidence for enumerated values, with calibrated confidence.

Confidence is the share of such evidence that is right, estimated per kind of evidence:

    own attribute field, exact value ........ 0.97   option named after the attribute ...... 0.92
    own attribute field, value inside ....... 0.93   "Key: value" spec line ................ 0.93
    title, specific word ..................... 0.90   title, ordinary word ("clear", "small")
    description, specific word ............... 0.82     in the product's name or near a cue .. 0.86
      near a word about the attribute ........ 0.88     elsewhere ............................ 0.60
    description, ordinary word near a cue .... 0.82   description, ordinary word alone ...... 0.55

A synonym costs 0.03 (one more inference step); the same value in both title and description adds 0.03.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.tiktok.listing_validation import AttributeValueOption

from .lexicon import ATTRIBUTE_CUES, COMMON_WORDS
from .matching import Mention, Phrase, Vocabulary, find_mentions, whole_value
from .models import AttributeItem
from .sources import ProductText
from .text import fold, segment

__all__ = ["Evidence", "Tier", "collect_tiers"]

_CUE_REACH = 4
_TEXT_PLACES = ("title_head", "title", "description")
_PLACE_WORDS = {"title_head": "title", "title": "title", "description": "description"}


@dataclass(frozen=True)
class Evidence:
    """One reason to believe an allowed value, and how far to trust it."""

    option: AttributeValueOption
    place: str
    confidence: float
    how: str
    share: float | None = None  # the percentage a composition gives it ("95% modal")


@dataclass
class Tier:
    """The evidence of one kind of place; ``excluded`` keeps why ruled-out mentions did not count."""

    name: str
    evidence: list[Evidence] = field(default_factory=list)
    excluded: list[Mention] = field(default_factory=list)

    def options(self) -> list[AttributeValueOption]:
        return list({e.option.id: e.option for e in self.evidence}.values())

    def best(self, option_id: str) -> Evidence:
        return max((e for e in self.evidence if e.option.id == option_id), key=lambda e: e.confidence)


def _said(phrase: Phrase) -> str:
    spoken = " ".join(phrase.words)
    if phrase.kind == "synonym":
        return f"'{spoken}' (read as {phrase.option.name!r})"
    return repr(phrase.option.name)


def _share(mention: Mention) -> float | None:
    words = mention.segment.tokens
    if mention.start >= 2 and words[mention.start - 1] == "%":
        try:
            return float(words[mention.start - 2])
        except ValueError:
            return None
    return None


def _near_cue(item: AttributeItem, mention: Mention) -> bool:
    cues = ATTRIBUTE_CUES.get(fold(item.name), frozenset(fold(item.name).split()))
    words = mention.segment.tokens
    around = [
        *words[max(0, mention.start - _CUE_REACH) : mention.start],
        *words[mention.end : mention.end + _CUE_REACH],
    ]
    return any(word in cues for word in around)


def _text_confidence(item: AttributeItem, mention: Mention) -> float:
    place = mention.segment.place
    ordinary = len(mention.phrase.words) == 1 and mention.phrase.words[0] in COMMON_WORDS
    cue = _near_cue(item, mention)
    if place in ("title_head", "title"):
        value = 0.90 if not ordinary else 0.86 if cue or place == "title_head" else 0.60
    elif not ordinary:
        value = 0.88 if cue else 0.82
    else:
        value = 0.82 if cue else 0.55
    return value - (0.03 if mention.phrase.kind == "synonym" else 0.0)


def _field_evidence(vocabulary: Vocabulary, raw: Any, place: str) -> tuple[list[Evidence], list[Mention]]:
    """Evidence from one field value (own attribute or variant option), whole or inside."""
    if isinstance(raw, dict):
        option_id = str(raw.get("id") or "")
        listed = {o.id: o for o in vocabulary.item.values}
        if option_id in listed:
            return [
                Evidence(listed[option_id], place, 0.99, f"{listed[option_id].name!r} by its value id")
            ], []
        raw = raw.get("name") or ""
    exact = 0.97 if place == "attribute" else 0.92
    whole = whole_value(vocabulary, str(raw))
    if whole is not None:
        confidence = exact - (0.02 if whole.kind == "synonym" else 0.0)
        return [Evidence(whole.option, place, confidence, _said(whole))], []
    inside = find_mentions(vocabulary, [segment(place, str(raw))])
    kept = [m for m in inside if m.excluded is None]
    evidence = [Evidence(m.option, place, exact - 0.04, _said(m.phrase), _share(m)) for m in kept]
    return evidence, [m for m in inside if m.excluded is not None]


def _values(raw: Any) -> Iterable[Any]:
    return raw if isinstance(raw, list) else [raw]


def collect_tiers(item: AttributeItem, text: ProductText) -> list[Tier]:
    """Evidence for the attribute's listed values, strongest kind of place first."""
    vocabulary = Vocabulary(item)
    own = Tier("attribute")
    for _key, raw in text.own_values(item):
        for value in _values(raw):
            found, excluded = _field_evidence(vocabulary, value, "attribute")
            own.evidence += found
            own.excluded += excluded
    spec = Tier("spec")
    for mention in find_mentions(vocabulary, text.spec_segments(item)):
        if mention.excluded is None:
            spec.evidence.append(
                Evidence(mention.option, "spec", 0.93, _said(mention.phrase), _share(mention))
            )
        else:
            spec.excluded.append(mention)
    variant = Tier("variant")
    for value in text.option_values(item):
        found, excluded = _field_evidence(vocabulary, value, "variant")
        variant.evidence += found
        variant.excluded += excluded
    return [own, spec, variant, _text_tier(item, vocabulary, text)]


def _text_tier(item: AttributeItem, vocabulary: Vocabulary, text: ProductText) -> Tier:
    tier = Tier("text")
    for mention in find_mentions(vocabulary, text.text_segments(item)):
        if mention.excluded is not None:
            tier.excluded.append(mention)
            continue
        place = _PLACE_WORDS[mention.segment.place]
        confidence = _text_confidence(item, mention)
        tier.evidence.append(
            Evidence(mention.option, place, confidence, _said(mention.phrase), _share(mention))
        )
    return _with_agreement(tier)


def _with_agreement(tier: Tier) -> Tier:
    """A value named in both title and description is surer than either alone (+0.03, at most 0.95)."""
    places: dict[str, set[str]] = {}
    for evidence in tier.evidence:
        places.setdefault(evidence.option.id, set()).add(evidence.place)
    tier.evidence = [
        Evidence(e.option, e.place, min(0.95, e.confidence + 0.03), e.how, e.share)
        if len(places[e.option.id]) > 1 and e.confidence < 0.95
        else e
        for e in tier.evidence
    ]
    return tier


def places_of(evidence: Sequence[Evidence], option_id: str) -> list[str]:
    """Where an option was found, in reading order, without repeats."""
    return list(dict.fromkeys(e.place for e in evidence if e.option.id == option_id))
