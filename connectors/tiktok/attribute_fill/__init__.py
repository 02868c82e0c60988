"""AI attribute fill: propose values for a product's missing TikTok category attributes.

``suggest(SuggestRequest, backend)`` takes the product and the category's attribute items exactly as
Get Attributes returns them, and answers with proposals (allowed value ids, or custom values where the
attribute is customizable) and the attributes left unfilled with a reason. Two backends: ``rules``
(offline, deterministic) and ``llm`` (an OpenAI-compatible model with structured output constrained to
the allowed values). Nothing is ever applied here; proposals wait for a person's approval.
"""

from __future__ import annotations

from .engine import AttributeFillBackend, AttributeFillError, suggest
from .models import (
    AttributeItem,
    ProductFacts,
    Proposal,
    ProposedValue,
    SuggestRequest,
    SuggestResponse,
    Unfilled,
)
from .rules import RulesBackend

__all__ = [
    "AttributeFillBackend",
    "AttributeFillError",
    "AttributeItem",
    "ProductFacts",
    "Proposal",
    "ProposedValue",
    "RulesBackend",
    "SuggestRequest",
    "SuggestResponse",
    "Unfilled",
    "suggest",
]
