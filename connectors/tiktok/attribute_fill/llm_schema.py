"""The structured-output contract of the model backend: the request's JSON schema and its reading.

The schema gives every attribute an object whose ``value_ids`` items are an ``enum`` of that attribute's
own value ids, so a conforming reply cannot name another value; ``custom_value`` is present only where
the attribute is customizable. The reply is still checked here (and by the guard) because an endpoint
may not enforce the schema: ids outside the list are dropped, and a value must come with a quote that
really appears in the product data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .models import AttributeItem, ProductFacts, Proposal, ProposedValue, Unfilled
from .text import plain_text

__all__ = ["SCHEMA_NAME", "attribute_catalog", "product_document", "read_reply", "response_schema"]

SCHEMA_NAME = "attribute_fill"
MAX_EVIDENCE_IN_RATIONALE = 200
# A model's own confidence runs high; capped below the rules' confidence for a seller's own field.
MAX_MODEL_CONFIDENCE = 0.95


def _attribute_schema(item: AttributeItem) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    if item.values:
        properties["value_ids"] = {
            "type": "array",
            "description": f"Ids of allowed values of {item.name!r}"
            + ("" if item.is_multiple_selection else " (at most one)"),
            "items": {"type": "string", "enum": [value.id for value in item.values]},
        }
    if item.is_customizable:
        properties["custom_value"] = {
            "type": ["string", "null"],
            "description": "A number only" if item.numeric_only else "A value not in the list, as stated",
        }
    properties["confidence"] = {"type": "number"}
    properties["evidence"] = {"type": "string", "description": "Verbatim words of the product data"}
    properties["reason_unfilled"] = {"type": ["string", "null"]}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def response_schema(items: Sequence[AttributeItem]) -> dict[str, Any]:
    """The ``response_format`` JSON schema for one call over ``items``."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["attributes"],
        "properties": {
            "attributes": {
                "type": "object",
                "additionalProperties": False,
                "required": [item.id for item in items],
                "properties": {item.id: _attribute_schema(item) for item in items},
            }
        },
    }


def attribute_catalog(items: Sequence[AttributeItem]) -> str:
    """The attributes as the prompt lists them (TikTok's data: names and value ids)."""
    return json.dumps(
        [
            {
                "id": item.id,
                "name": item.name,
                "takes": "several values" if item.is_multiple_selection else "one value",
                "custom_values": ("numbers only" if item.numeric_only else "allowed")
                if item.is_customizable
                else "not allowed",
                "values": [{"id": v.id, "name": v.name} for v in item.values],
            }
            for item in items
        ],
        ensure_ascii=False,
        indent=1,
    )


def product_document(product: ProductFacts) -> str:
    """The product as JSON, with '<' and '>' escaped so the text cannot close its own data markers."""
    document = {
        "title": product.title,
        "description": plain_text(product.description),
        "brand": product.brand,
        "variant_options": product.variant_options,
        "attributes": product.attributes,
    }
    text = json.dumps(document, ensure_ascii=False, indent=1, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def _normalised(text: str) -> str:
    return " ".join(plain_text(text).casefold().split())


def _searchable(product: ProductFacts) -> str:
    parts = [product.title, product.description, product.brand or ""]
    parts += [f"{k} {' '.join(v)}" for k, v in product.variant_options.items()]
    parts += [f"{k} {v}" for k, v in product.attributes.items()]
    return _normalised(" \n ".join(parts))


def _values(item: AttributeItem, entry: dict[str, Any]) -> tuple[list[ProposedValue], list[str]]:
    listed = {value.id: value for value in item.values}
    chosen: list[ProposedValue] = []
    dropped: list[str] = []
    for raw in entry.get("value_ids") or []:
        option = listed.get(str(raw))
        if option is None:
            dropped.append(str(raw))
        else:
            chosen.append(ProposedValue(id=option.id, name=option.name))
    custom = entry.get("custom_value")
    if isinstance(custom, str) and custom.strip() and item.is_customizable:
        chosen.append(ProposedValue(id=None, name=" ".join(custom.split())))
    return chosen, dropped


def read_reply(
    items: Sequence[AttributeItem], reply: dict[str, Any], product: ProductFacts
) -> list[Proposal | Unfilled]:
    """Proposals and unfilled entries from a decoded reply, checked against values and product text."""
    answers = reply.get("attributes") if isinstance(reply, dict) else None
    answers = answers if isinstance(answers, dict) else {}
    searchable = _searchable(product)
    out: list[Proposal | Unfilled] = []
    for item in items:
        entry = answers.get(item.id)
        if not isinstance(entry, dict):
            out.append(Unfilled(attribute_id=item.id, reason="The model gave no answer for it."))
            continue
        values, dropped = _values(item, entry)
        note = f" Ids not in the attribute's list were dropped: {', '.join(dropped)}." if dropped else ""
        if not values:
            reason = str(entry.get("reason_unfilled") or "").strip()[:300]
            out.append(
                Unfilled(
                    attribute_id=item.id,
                    reason=(f"The model found no value: {reason}" if reason else "The model found no value.")
                    + note,
                )
            )
            continue
        evidence = str(entry.get("evidence") or "").strip()
        if not evidence or _normalised(evidence) not in searchable:
            out.append(
                Unfilled(
                    attribute_id=item.id,
                    reason="The model's answer was dropped: its quoted evidence does not appear in the "
                    "product data, so the value is not backed by the product." + note,
                )
            )
            continue
        try:
            confidence = float(entry.get("confidence", 0.0))
        except (TypeError, ValueError):
            confidence = 0.0
        quote = evidence[:MAX_EVIDENCE_IN_RATIONALE] + (
            "..." if len(evidence) > MAX_EVIDENCE_IN_RATIONALE else ""
        )
        out.append(
            Proposal(
                attribute_id=item.id,
                attribute_name=item.name,
                values=values,
                confidence=round(max(0.0, min(MAX_MODEL_CONFIDENCE, confidence)), 2),
                rationale=f'The model cites the product data: "{quote}".{note}',
                source="llm",
            )
        )
    return out
