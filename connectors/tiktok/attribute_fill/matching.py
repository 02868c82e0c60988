"""Find an attribute's allowed values in product text, by whole words, and read their context.

A mention is kept only as a candidate; whether it counts is decided from its context: negated ("not
leather", "polyester-free"), an imitation ("linen-look", "faux leather"), a part of the product ("metal
buckle", "silicone sleeve") or in a sentence about other products ("also available in yellow gold").
When mentions overlap, the longest wins ("organic cotton" over "cotton", "quick release buckle" over
"buckle"). Lists are expanded: "iPhone 15 Pro Max / 15 Pro" names two models and "white and yellow
gold" two colours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from connectors.tiktok.listing_validation import AttributeValueOption

from .lexicon import (
    COMPONENT_NOUNS,
    ELSEWHERE_PHRASES,
    IMITATION_AFTER,
    IMITATION_BEFORE,
    MATERIAL_ATTRIBUTE_WORDS,
    NEGATION_AFTER,
    NEVER_INFERRED,
    SCOPED_SYNONYMS,
    SHORT_CODES,
    VALUE_SYNONYMS,
)
from .models import AttributeItem
from .text import PUNCTUATION, Segment, fold

__all__ = ["Mention", "Phrase", "Vocabulary", "about_other_products", "find_mentions", "whole_value"]

Kind = Literal["name", "synonym"]
Exclusion = Literal["negated", "imitation", "component", "elsewhere"]

# How many tokens back each negation word reaches: "non" only prefixes the next word ("non-sticky gloss").
_NEGATION_REACH = {"non": 1, "zero": 1, "no": 2, "nor": 2, "not": 3, "without": 3, "never": 3, "isn": 3}
_STOP = frozenset({",", ";", ":", "(", ")"})
_LIST_JOINERS = frozenset({"/", "&", ",", "and", "or", "+"})


@dataclass(frozen=True)
class Phrase:
    """A way to say one allowed value."""

    words: tuple[str, ...]
    option: AttributeValueOption
    kind: Kind


@dataclass(frozen=True)
class Mention:
    """One occurrence of a phrase in a segment, and whether its context rules it out."""

    phrase: Phrase
    segment: Segment
    start: int
    end: int
    excluded: Exclusion | None

    @property
    def option(self) -> AttributeValueOption:
        return self.phrase.option


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


class Vocabulary:
    """Every phrase that names one of an attribute's allowed values."""

    def __init__(self, item: AttributeItem) -> None:
        self.item = item
        self.is_material = bool(set(_words(item.name)) & MATERIAL_ATTRIBUTE_WORDS)
        names = {_words(option.name): option for option in item.values}
        self.phrases: list[Phrase] = [
            Phrase(words, option, "name")
            for words, option in names.items()
            if words and " ".join(words) not in NEVER_INFERRED
        ]
        attribute = " ".join(_words(item.name))
        claimed: dict[tuple[str, ...], AttributeValueOption | None] = {}
        for option in item.values:
            folded = " ".join(_words(option.name))
            extra = VALUE_SYNONYMS.get(folded, ()) + SCOPED_SYNONYMS.get((attribute, folded), ())
            for synonym in (*map(_words, extra), *self._brand_dropped(_words(option.name))):
                if synonym in names:
                    continue  # another listed value has this very name
                # A synonym two values claim says nothing about which one is meant.
                claimed[synonym] = option if synonym not in claimed else None
        self.phrases += [Phrase(w, o, "synonym") for w, o in claimed.items() if o is not None]
        self.prefixes = self._family_prefixes(names)
        self.suffixes = {words[-1] for words in names if len(words) > 1}
        self._by_words = {phrase.words: phrase for phrase in self.phrases}

    def _brand_dropped(self, words: tuple[str, ...]) -> list[tuple[str, ...]]:
        """ "Galaxy S24" for "Samsung Galaxy S24": a leading brand shared by a family may be left out.

        Only when a model name remains ("galaxy s 24", "pixel 8"), never a bare number ("15 pro").
        """
        rest = words[1:]
        if len(rest) < 2 or not rest[0].isalpha() or not any(w[0].isdigit() for w in rest):
            return []
        family = sum(1 for option in self.item.values if _words(option.name)[:1] == words[:1])
        return [rest] if family >= 2 else []

    @staticmethod
    def _family_prefixes(names: dict[tuple[str, ...], AttributeValueOption]) -> set[tuple[str, ...]]:
        """Leading words shared by several values ("iphone", "samsung galaxy")."""
        prefixes: set[tuple[str, ...]] = set()
        for words in names:
            for size in range(1, len(words)):
                prefix = words[:size]
                if sum(1 for other in names if other[:size] == prefix) >= 2:
                    prefixes.add(prefix)
        return prefixes

    def lookup(self, words: tuple[str, ...]) -> Phrase | None:
        return self._by_words.get(words)


def whole_value(vocabulary: Vocabulary, raw: str) -> Phrase | None:
    """The allowed value a whole field value names ("Navy" -> Blue, "XL" -> Extra Large), if any."""
    words = _words(raw)
    phrase = vocabulary.lookup(words)
    if phrase is not None:
        return phrase
    for option in vocabulary.item.values:
        if " ".join(words) in SHORT_CODES.get(" ".join(_words(option.name)), ()):
            return Phrase(words, option, "synonym")
    return None


def _negated(segment: Segment, start: int, end: int) -> bool:
    words = segment.tokens
    for distance in range(1, 4):
        index = start - distance
        if index < 0 or words[index] in _STOP:
            break
        if _NEGATION_REACH.get(words[index], 0) >= distance:
            return True
        # "free of leather", "free from BPA"
        if words[index] == "free" and index + 1 < len(words) and words[index + 1] in ("of", "from"):
            return True
    return end < len(words) and words[end] in NEGATION_AFTER


def _exclusion(vocabulary: Vocabulary, segment: Segment, start: int, end: int) -> Exclusion | None:
    words = segment.tokens
    if _negated(segment, start, end):
        return "negated"
    if vocabulary.is_material:
        if (start > 0 and words[start - 1] in IMITATION_BEFORE) or (
            end < len(words) and words[end] in IMITATION_AFTER
        ):
            return "imitation"
        if (end < len(words) and words[end] in COMPONENT_NOUNS) or (
            segment.key is not None and segment.key.split()[-1] in COMPONENT_NOUNS
        ):
            return "component"
    return None


def about_other_products(segment: Segment) -> bool:
    """Whether a sentence talks about other products ("also available in ...", "sold separately")."""
    words = segment.tokens
    return any(
        tuple(words[i : i + len(phrase)]) == phrase
        for phrase in ELSEWHERE_PHRASES
        for i in range(len(words) - len(phrase) + 1)
    )


def _raw_mentions(vocabulary: Vocabulary, segment: Segment) -> list[Mention]:
    # Match on words only, so "flip/folio" and "flip folio" read alike; map back to token positions.
    positions = [i for i, token in enumerate(segment.tokens) if token not in PUNCTUATION]
    words = [segment.tokens[i] for i in positions]
    found: list[Mention] = []
    elsewhere = about_other_products(segment)
    for phrase in vocabulary.phrases:
        size = len(phrase.words)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) == phrase.words:
                start, end = positions[i], positions[i + size - 1] + 1
                if start < segment.value_start:
                    continue  # inside a spec key ("Pattern: ..."), not a value
                excluded = "elsewhere" if elsewhere else _exclusion(vocabulary, segment, start, end)
                found.append(Mention(phrase, segment, start, end, excluded))
    return found


def _longest(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop mentions lying inside a longer one ("cotton" inside "organic cotton")."""
    return [
        m
        for m in mentions
        if not any(
            o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
            for o in mentions
        )
    ]


def _match_at(vocabulary: Vocabulary, words: Sequence[str], start: int) -> tuple[Phrase, int] | None:
    """The longest phrase starting exactly at ``start`` of ``words``."""
    for end in range(len(words), start, -1):
        phrase = vocabulary.lookup(tuple(words[start:end]))
        if phrase is not None:
            return phrase, end
    return None


def _continued(vocabulary: Vocabulary, segment: Segment, mention: Mention, size: int) -> list[Mention]:
    """Values that follow a mention as list items sharing its first ``size`` words."""
    words = segment.tokens
    prefix = mention.phrase.words[:size]
    found: list[Mention] = []
    index = mention.end
    while index < len(words) and words[index] in _LIST_JOINERS:
        while index < len(words) and words[index] in _LIST_JOINERS:
            index += 1
        matched = _match_at(vocabulary, [*prefix, *words[index : index + 6]], 0)
        if matched is None or matched[1] <= size:
            break
        phrase, end = matched
        extent = index + end - size
        found.append(Mention(phrase, segment, index, extent, _exclusion(vocabulary, segment, index, extent)))
        index = extent
    return found


def _expanded(vocabulary: Vocabulary, segment: Segment, mention: Mention) -> list[Mention]:
    """Values a list continues with: "iPhone 15 Pro Max / 15 Pro", "white and yellow gold"."""
    name = mention.phrase.words
    for size in range(len(name) - 1, 0, -1):
        if name[:size] in vocabulary.prefixes:
            found = _continued(vocabulary, segment, mention, size)
            if found:
                return found
    words = segment.tokens
    if name[-1] in vocabulary.suffixes and mention.start >= 2 and words[mention.start - 1] in _LIST_JOINERS:
        before = mention.start - 2
        phrase = vocabulary.lookup((words[before], name[-1]))
        if phrase is not None:
            return [
                Mention(
                    phrase, segment, before, before + 1, _exclusion(vocabulary, segment, before, before + 1)
                )
            ]
    return []


def find_mentions(vocabulary: Vocabulary, segments: Iterable[Segment]) -> list[Mention]:
    """Every mention of the attribute's values in ``segments``, longest first where they overlap."""
    result: list[Mention] = []
    for segment in segments:
        mentions = _longest(_raw_mentions(vocabulary, segment))
        expansions = [
            extra for m in mentions if m.excluded is None for extra in _expanded(vocabulary, segment, m)
        ]
        result.extend(_longest(mentions + expansions))
    return result
