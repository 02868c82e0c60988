"""Attributes whose values are quantities ("500 ml", "24 months", "14K", a thread count of "400").

A quantity in the text is matched to a listed value after unit conversion ("16.9 fl oz" is 500 ml). A
quantity that belongs to something else is left out: one in a spec line with another key ("Period
after opening: 12 months" is not the shelf life), a pack ("3 x 1.5 g"), or a bare number with no unit
and no attribute word next to it ("1800 series" is not a thread count). Customizable attributes may
take a stated quantity that is not listed ("600 ml") as a custom value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from connectors.tiktok.listing_validation import AttributeValueOption

from .decide import MIN_CONFIDENCE
from .lexicon import ATTRIBUTE_ALIASES, ATTRIBUTE_CUES
from .matching import about_other_products
from .models import AttributeItem, Proposal, ProposedValue, Unfilled
from .quantities import COUNT, Quantity, format_number, parse_quantities, parse_value, same_quantity
from .sources import ProductText, key_matches, key_unit
from .text import fold, tokens

__all__ = ["QuantityRule", "quantity_rule"]

# Dimensions a value-less numeric attribute can take, from the words of its name.
_NAME_DIMENSIONS = {
    "weight": {"mass"},
    "wt": {"mass"},
    "content": {"mass", "volume"},
    "volume": {"volume"},
    "capacity": {"volume"},
    "length": {"length"},
    "circumference": {"length"},
    "width": {"length"},
    "height": {"length"},
    "depth": {"length"},
    "life": {"time"},
}
_METRIC = frozenset({"ml", "cl", "L", "g", "mg", "kg", "mm", "cm", "m", "months", "K", ""})
# Two stated quantities are the same thing when within 6% ("2 L (64 oz)" rounds 1.89 L).
_SAME_THING = 0.06
_PLACE_NAMES = {
    "attribute": "the product's own attributes",
    "spec": "a specification line",
    "title": "the title",
}


@dataclass(frozen=True)
class _Found:
    quantity: Quantity
    option: AttributeValueOption | None
    place: str
    confidence: float


@dataclass(frozen=True)
class QuantityRule:
    """How one attribute reads quantities: its dimensions and its listed values as quantities."""

    item: AttributeItem
    dimensions: frozenset[str]
    listed: tuple[tuple[AttributeValueOption, Quantity], ...]

    @property
    def is_count(self) -> bool:
        return self.dimensions == {"count"}

    def decide(self, text: ProductText) -> Proposal | Unfilled:
        """Proposal or reason, from the strongest place that states a quantity."""
        for found in (self._own(text), self._spec(text), self._text(text)):
            if found:
                return self._choose(found)
        return Unfilled(
            attribute_id=self.item.id,
            reason="No quantity for it is stated in the title, description or the product's own attributes.",
        )

    # --- gathering ------------------------------------------------------------------------------

    def _resolve(self, quantity: Quantity, words: Sequence[str]) -> Quantity | None:
        if quantity.dimension == "ounce":
            if len(self.dimensions) == 1:
                quantity = quantity.resolved(next(iter(self.dimensions)))
            elif {"wt", "weight", "net"} & set(words[max(0, quantity.start - 4) : quantity.start]):
                quantity = quantity.resolved("mass")
        if quantity.dimension not in self.dimensions or quantity.multiplied:
            return None
        return quantity

    def _match(self, quantity: Quantity, place: str, confidence: float) -> _Found:
        same_unit = [o for o, v in self.listed if same_quantity(quantity, v) and v.unit == quantity.unit]
        converted = [o for o, v in self.listed if same_quantity(quantity, v)]
        if same_unit or converted:
            option = (same_unit or converted)[0]
            return _Found(quantity, option, place, confidence - (0.0 if same_unit else 0.03))
        return _Found(quantity, None, place, confidence - 0.05)

    def _in_words(self, words: Sequence[str], place: str, confidence: float, cue_bonus: bool) -> list[_Found]:
        if self.is_count:
            bare = place in ("attribute", "spec")
            return [self._match(q, place, confidence) for q in self._counts(words, bare)]
        found = []
        cues = ATTRIBUTE_CUES.get(fold(self.item.name), frozenset(fold(self.item.name).split()))
        for quantity in parse_quantities(words):
            resolved = self._resolve(quantity, words)
            if resolved is None:
                continue
            near = set(words[max(0, resolved.start - 4) : resolved.end + 3]) & cues
            value = confidence + (0.08 if cue_bonus and near else 0.0)
            found.append(self._match(resolved, place, value))
        return found

    def _counts(self, words: Sequence[str], bare: bool) -> list[Quantity]:
        """Bare numbers: any in a field of this attribute, in text only next to its name ("400 TC")."""
        name = fold(self.item.name)
        names = {tuple(fold(n).split()) for n in (name, *ATTRIBUTE_ALIASES.get(name, ()))}
        found = []
        for index, word in enumerate(words):
            try:
                value = float(word)
            except ValueError:
                continue
            before = [w for w in words[:index] if w not in (":", "of")]
            named = any(
                tuple(words[index + 1 : index + 1 + len(n)]) == n or tuple(before[-len(n) :]) == n
                for n in names
            )
            if bare or named:
                found.append(Quantity(value, COUNT, index, index + 1))
        return found

    def _own(self, text: ProductText) -> list[_Found]:
        found = []
        for key, raw in text.own_values(self.item):
            for value in raw if isinstance(raw, list) else [raw]:
                value_text = str(value.get("name", "") if isinstance(value, dict) else value)
                unit = key_unit(key, self.item)
                words = tokens(value_text)
                if unit and len(words) == 1:
                    words = [*words, unit]
                found += self._in_words(words, "attribute", 0.97, cue_bonus=False)
        return found

    def _spec(self, text: ProductText) -> list[_Found]:
        found = []
        for line in text.spec_segments(self.item):
            found += self._in_words(line.tokens[line.value_start :], "spec", 0.93, cue_bonus=False)
        return found

    def _text(self, text: ProductText) -> list[_Found]:
        found = []
        for line in (*text.title, *text.description):
            if (line.key is not None and not key_matches(line.key, self.item)) or about_other_products(line):
                continue  # another property's line, or other products
            place = "title" if line.place.startswith("title") else "description"
            base = 0.9 if place == "title" else 0.8
            found += self._in_words(line.tokens, place, base, cue_bonus=place == "description")
        return found

    # --- choosing -------------------------------------------------------------------------------

    def _choose(self, found: list[_Found]) -> Proposal | Unfilled:
        options = list({f.option.id: f.option for f in found if f.option is not None}.values())
        if len(options) > 1 and not self.item.is_multiple_selection:
            in_title = {f.option.id for f in found if f.option is not None and f.place == "title"}
            if len(in_title) == 1:
                options = [o for o in options if o.id in in_title]
                found = [f for f in found if f.place == "title"] + [
                    _Found(f.quantity, f.option, f.place, f.confidence - 0.1)
                    for f in found
                    if f.place != "title"
                ]
            else:
                return self._ambiguous(found)
        if options:
            anchor = next(v for o, v in self.listed if o.id == options[0].id)
            if any(f.option is None and not _close(f.quantity, anchor) for f in found):
                return self._ambiguous(found)
            confidence = min(
                max(f.confidence for f in found if f.option is not None and f.option.id == o.id)
                for o in options
            )
            values = [ProposedValue(id=o.id, name=o.name) for o in options]
            return self._proposal(values, confidence, found)
        if not self.item.is_customizable:
            stated = ", ".join(dict.fromkeys(f.quantity.display() for f in found))
            return Unfilled(
                attribute_id=self.item.id,
                reason=f"The product states {stated}, which is not one of the listed values, and the "
                "attribute takes only listed values.",
            )
        first = found[0].quantity
        if any(not _close(f.quantity, first) for f in found):
            return self._ambiguous(found)
        preferred = next((f for f in found if f.quantity.unit.symbol in _METRIC), found[0])
        name = self._custom_name(preferred.quantity)
        values = [ProposedValue(id=None, name=name)]
        return self._proposal(values, min(f.confidence for f in found), found)

    def _custom_name(self, quantity: Quantity) -> str:
        if self.item.numeric_only:
            metric = quantity.unit.symbol in _METRIC
            return format_number(quantity.value if metric else round(quantity.base, 1))
        return quantity.display() if quantity.unit.symbol else format_number(quantity.value)

    def _ambiguous(self, found: Sequence[_Found]) -> Unfilled:
        stated = ", ".join(dict.fromkeys(f.quantity.display().strip() for f in found))
        return Unfilled(
            attribute_id=self.item.id,
            reason=f"Different quantities are stated ({stated}); the attribute takes one, so choose it.",
        )

    def _proposal(
        self, values: list[ProposedValue], confidence: float, found: Sequence[_Found]
    ) -> Proposal | Unfilled:
        confidence = round(min(confidence, 0.99), 2)
        places = list(dict.fromkeys(_PLACE_NAMES.get(f.place, f"the {f.place}") for f in found))
        stated = ", ".join(dict.fromkeys(f.quantity.display().strip() for f in found))
        if confidence < MIN_CONFIDENCE:
            return Unfilled(attribute_id=self.item.id, reason=f"Only a weak hint ({stated}).")
        return Proposal(
            attribute_id=self.item.id,
            attribute_name=self.item.name,
            values=values,
            confidence=confidence,
            rationale=f"{' and '.join(places).capitalize()} state{'s' if len(places) == 1 else ''} {stated}.",
            source="rules",
        )


def _close(a: Quantity, b: Quantity) -> bool:
    if a.dimension != b.dimension:
        return False
    if b.base == 0:
        return a.base == 0
    return abs(a.base - b.base) <= _SAME_THING * abs(b.base)


def quantity_rule(item: AttributeItem) -> QuantityRule | None:
    """The quantity reading of an attribute, or None when its values are not quantities."""
    listed = [(o, parse_value(tokens(o.name))) for o in item.values]
    parsed = [(o, q) for o, q in listed if q is not None]
    if item.values:
        if len(parsed) * 2 < len(item.values):
            return None
        counts = Counter(q.dimension for _, q in parsed if q.dimension != "ounce")
        dimension = counts.most_common(1)[0][0] if counts else "ounce"
        resolved = tuple((o, q.resolved(dimension)) for o, q in parsed)
        return QuantityRule(item, frozenset({dimension}), resolved)
    if not item.is_customizable:
        return None
    words = set(fold(item.name).split())
    dimensions = set().union(*(_NAME_DIMENSIONS.get(w, set()) for w in words))
    if not dimensions:
        return None
    return QuantityRule(item, frozenset(dimensions), ())
