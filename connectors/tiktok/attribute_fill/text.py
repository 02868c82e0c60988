"""Product text as the rules see it: HTML stripped, split into segments, tokenised the same way as values.

Values and product text go through one tokeniser, so "V-Neck", "v neck" and "V NECK" compare equal and
"500ml" reads as "500 ml". A light plural fold ("sleeves" -> "sleeve", "puppies" -> "puppy") is applied
to both sides. Punctuation that separates list items ("/", "&", ",") stays in the stream as tokens so
that model lists such as "iPhone 15 Pro Max / 15 Pro" can be expanded and negation stops at a comma.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "PUNCTUATION",
    "Segment",
    "fold",
    "plain_text",
    "segment",
    "segments",
    "tokens",
]

# Tags after which a new line of text starts; inline tags (b, i, em, strong, span) join words.
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|li|br|ul|ol|div|h[1-6]|tr|td|th|table|section)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
# Order matters: fractions and slash numbers (3/4, 18/8) and decimals stay whole, words split from numbers.
_TOKEN = re.compile(r"\d+/\d+|\d+(?:[.,]\d+)?|[a-z]+|[/&,;:%()+]", re.IGNORECASE)
PUNCTUATION = frozenset("/&,;:()+%")
# Segment boundaries: a full stop that ends a sentence (not "Wt. 3.5 g" or "3.5"), line breaks,
# semicolons, bullets.
_SEGMENT_BREAK = re.compile(r"\.(?=\s+[A-Z]|\s*$)|[\n;\u2022|!?]")
# A spec key is one to three words ("Fabric", "Net content", "Period after opening").
_SPEC = re.compile(r"^\s*([A-Za-z][A-Za-z_-]*(?:[ /&][A-Za-z_-]+){0,2})\s*:\s*(\S.*)$")
_NEGATED_KEY = re.compile(r"^(not|no|never|without)\b", re.IGNORECASE)


def plain_text(value: str) -> str:
    """Text of an HTML fragment: block tags become line breaks, entities are decoded."""
    text = _BLOCK_TAG.sub("\n", value)
    text = _ANY_TAG.sub(" ", text)
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return text.replace("\u00a0", " ")


def _fold_token(token: str) -> str:
    """Lower-case and fold regular plurals, identically for values and product text."""
    word = token.casefold()
    if not word.isalpha() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Folded tokens of ``text``: words, numbers (decimal comma read as a point) and list punctuation."""
    out: list[str] = []
    for match in _TOKEN.finditer(text.translate(_DASHES)):
        raw = match.group(0)
        if raw[0].isdigit() and "," in raw:
            # "5,000" groups thousands; "1,5" is a decimal comma.
            whole, _, part = raw.partition(",")
            raw = whole + part if len(part) == 3 else f"{whole}.{part}"
        out.append(_fold_token(raw))
    return out


def fold(text: str) -> str:
    """One comparable string for a short value: its folded word tokens joined by spaces."""
    return " ".join(t for t in tokens(text) if t not in PUNCTUATION)


@dataclass(frozen=True)
class Segment:
    """One sentence, list item or line of product text, with where it came from.

    A segment written as "Key: value" (a spec line such as "Fabric: 95% modal, 5% spandex") keeps its
    folded ``key``; ``value_start`` is the index of the first token after the colon.
    """

    place: str  # "title", "description", "variant" or "attribute"
    text: str
    tokens: tuple[str, ...]
    key: str | None = None
    value_start: int = 0


def segment(place: str, text: str) -> Segment:
    """One segment of ``text``, with its spec key when it reads "Key: value"."""
    words = tuple(tokens(text))
    match = _SPEC.match(text)
    if match and not _NEGATED_KEY.match(match.group(1)):
        key = fold(match.group(1))
        return Segment(place, text, words, key, len(tokens(match.group(1))) + 1)
    return Segment(place, text, words)


def segments(place: str, text: str) -> list[Segment]:
    """Split plain text into segments; each keeps its own token stream."""
    parts = [p.strip() for p in _SEGMENT_BREAK.split(text)]
    return [segment(place, part) for part in parts if part]
