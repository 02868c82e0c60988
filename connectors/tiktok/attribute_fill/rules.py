"""The offline backend: deterministic rules over the product's own data. Precision over recall.

Each attribute is read in the way its values call for: Yes/No attributes from the phrase their name
makes, quantity attributes by number and unit, enumerated attributes by matching value names and
synonyms. A customizable attribute with no matching listed value may take a custom value, but only one
the product states for that attribute (its own field or a "Key: value" line), never a guess.
"""

from __future__ import annotations

import re

from .boolean_rules import decide_boolean
from .decide import decide
from .evidence import collect_tiers
from .models import AttributeItem, Proposal, ProposedValue, SuggestRequest, SuggestResponse, Unfilled
from .quantity_rules import quantity_rule
from .sources import ProductText
from .text import plain_text

__all__ = ["RulesBackend", "suggest_one"]

MAX_CUSTOM_LENGTH = 500
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\b")


def _custom_value(item: AttributeItem, text: ProductText) -> Proposal | None:
    """A custom value the product states for this attribute in its own field or a spec line."""
    stated: list[tuple[str, float, str]] = []
    for _key, raw in text.own_values(item):
        for value in raw if isinstance(raw, list) else [raw]:
            stated.append(
                (str(value.get("name", "") if isinstance(value, dict) else value), 0.9, "own attributes")
            )
    for line in text.spec_segments(item):
        stated.append((line.text.split(":", 1)[1], 0.85, "a specification line"))
    for raw, confidence, where in stated:
        value = " ".join(plain_text(raw).split())
        if item.numeric_only:
            number = _NUMBER.match(value)
            if number is None:
                continue
            value = number.group(1)
        if not value or len(value) > MAX_CUSTOM_LENGTH:
            continue
        return Proposal(
            attribute_id=item.id,
            attribute_name=item.name,
            values=[ProposedValue(id=None, name=value)],
            confidence=confidence,
            rationale=f"The product's {where} state it; no listed value matches, and the attribute "
            "accepts custom values.",
            source="rules",
        )
    return None


def suggest_one(item: AttributeItem, text: ProductText) -> Proposal | Unfilled:
    """The rules' answer for one attribute."""
    if item.is_sales_property:
        return Unfilled(
            attribute_id=item.id,
            reason="It is a sales property: each SKU sets it from its variant options, not the product.",
        )
    if item.is_boolean:
        return decide_boolean(item, text)
    rule = quantity_rule(item)
    if rule is not None:
        return rule.decide(text)
    if not item.values and not item.is_customizable:
        return Unfilled(
            attribute_id=item.id,
            reason="The attribute lists no values and takes no custom value, so nothing can be proposed.",
        )
    result = decide(item, collect_tiers(item, text)) if item.values else None
    if isinstance(result, Proposal):
        return result
    if item.is_customizable:
        custom = _custom_value(item, text)
        if custom is not None:
            return custom
    if result is not None:
        return result
    return Unfilled(
        attribute_id=item.id,
        reason="The product states no value for it in its own attributes or a specification line.",
    )


class RulesBackend:
    """Offline, deterministic; always available."""

    name = "rules"

    def suggest(self, request: SuggestRequest) -> SuggestResponse:
        """Proposals and unfilled attributes for ``request``, in the order of its attributes."""
        text = ProductText.of(request.product)
        response = SuggestResponse()
        for item in request.attributes:
            outcome = suggest_one(item, text)
            if isinstance(outcome, Proposal):
                response.proposals.append(outcome)
            else:
                response.unfilled.append(outcome)
        return response
