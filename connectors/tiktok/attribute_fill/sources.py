"""Where the rules look: the product's own attributes, variant options, spec lines, title, description.

The places are ranked by how directly they state an attribute: a seller's own attribute field or a
variant option named after the attribute beats a "Key: value" spec line, which beats the title, which
beats running description text. Brand names are blanked out first, so "Silk & Co" says nothing about
silk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .lexicon import ATTRIBUTE_ALIASES
from .models import AttributeItem, ProductFacts
from .text import Segment, fold, plain_text, segment, segments

__all__ = ["ProductText", "key_matches", "key_unit", "title_segments"]

# Title chunks: the first one ("Clear Case" in "Clear Case for iPhone 15") names the product itself.
_TITLE_BREAK = re.compile(r"\s[-|\u2013\u2014]\s|(?<!\d),|,(?!\d)|[(|]|\s(?:for|with|in)\s", re.IGNORECASE)
# Key words too vague to tie a field to one attribute ("type" could be case type or lid type).
_VAGUE_KEYS = frozenset({"type", "style", "kind", "feature", "detail", "info"})
_UNIT_WORDS = frozenset({"month", "year", "ml", "l", "g", "kg", "oz", "cm", "mm", "inch", "in", "m", "lb"})


def title_segments(title: str) -> list[Segment]:
    """The title as segments; the first chunk is placed "title_head"."""
    chunks = [c.strip() for c in _TITLE_BREAK.split(title) if c and c.strip()]
    return [segment("title_head" if i == 0 else "title", chunk) for i, chunk in enumerate(chunks)]


def _blank_brand(text: str, brand: str | None) -> str:
    if not brand or not brand.strip():
        return text
    return re.sub(re.escape(brand.strip()), " ", text, flags=re.IGNORECASE)


def key_matches(key: str, item: AttributeItem) -> bool:
    """Whether a field called ``key`` (an attribute key, option name or spec key) is this attribute."""
    if key.strip() == item.id:
        return True
    folded, name = fold(key), fold(item.name)
    if not folded:
        return False
    if folded == name or folded in {fold(alias) for alias in ATTRIBUTE_ALIASES.get(name, ())}:
        return True
    key_words, name_words = folded.split(), name.split()
    if key_words[-1] in _VAGUE_KEYS:
        return False
    # "Size" for "Pet Size", "Compatible Model" for "Compatible Phone Models": same head word.
    if set(key_words) <= set(name_words) and key_words[-1] == name_words[-1]:
        return True
    # "shelf_life_months" for "Shelf Life": the attribute's words plus a unit.
    extra = set(key_words) - set(name_words)
    return set(name_words) <= set(key_words) and bool(extra) and extra <= _UNIT_WORDS


def key_unit(key: str, item: AttributeItem) -> str | None:
    """The unit a key adds to a bare number ("shelf_life_months": "24" means 24 months)."""
    extra = [w for w in fold(key).split() if w not in fold(item.name).split() and w in _UNIT_WORDS]
    return extra[0] if len(extra) == 1 else None


@dataclass(frozen=True)
class ProductText:
    """The product's text split once, shared by every attribute of one request."""

    facts: ProductFacts
    title: tuple[Segment, ...]
    description: tuple[Segment, ...]

    @classmethod
    def of(cls, facts: ProductFacts) -> ProductText:
        title = _blank_brand(plain_text(facts.title), facts.brand)
        description = _blank_brand(plain_text(facts.description), facts.brand)
        return cls(facts, tuple(title_segments(title)), tuple(segments("description", description)))

    def own_values(self, item: AttributeItem) -> Iterator[tuple[str, Any]]:
        """(key, value) of the product's own attributes that are this attribute."""
        for key, value in self.facts.attributes.items():
            if key_matches(str(key), item):
                yield str(key), value

    def option_values(self, item: AttributeItem) -> list[str]:
        """Values of the variant options named after this attribute."""
        return [
            value
            for name, values in self.facts.variant_options.items()
            if key_matches(name, item)
            for value in values
        ]

    def spec_segments(self, item: AttributeItem) -> list[Segment]:
        """Description lines "Key: value" whose key is this attribute."""
        return [s for s in self.description if s.key is not None and key_matches(s.key, item)]

    def text_segments(self, item: AttributeItem) -> list[Segment]:
        """Title and description, without the spec lines that are this attribute (read as spec)."""
        return [
            *self.title,
            *(s for s in self.description if s.key is None or not key_matches(s.key, item)),
        ]
