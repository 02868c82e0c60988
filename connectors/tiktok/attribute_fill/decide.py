"""Turn evidence into one proposal or a reason to leave the attribute unfilled.

The strongest kind of place that says anything decides. Within it, a multi-select attribute takes every
value found; a single-select attribute takes one value only when one clearly leads: a composition's
largest share ("60% cotton, 40% polyester"), the title over the description, or a margin of 0.1 in
confidence. Otherwise the candidates go back to a person as "unfilled" with their names. A weaker
place that disagrees lowers the confidence instead of being ignored.
"""

from __future__ import annotations

from collections.abc import Sequence

from connectors.tiktok.listing_validation import AttributeValueOption

from .evidence import Evidence, Tier, places_of
from .matching import Mention
from .models import AttributeItem, Proposal, ProposedValue, Unfilled

__all__ = ["decide", "excluded_reason"]

# Below this a mention is too weak to put in front of a person at all.
MIN_CONFIDENCE = 0.5
_CONFLICT_PENALTY = 0.1
_MARGIN = 0.1
_PLACE_NAMES = {
    "attribute": "the product's own attributes",
    "spec": "a specification line of the description",
    "variant": "the variant options",
    "title": "the title",
    "description": "the description",
}
_EXCLUSION_WORDS = {
    "negated": "in a negation (for example 'not ...' or '...-free')",
    "imitation": "as a look-alike (for example 'faux ...' or '...-look')",
    "component": "as a part of the product (for example a buckle or a lining)",
    "elsewhere": "about other products (for example 'also available in ...')",
}


def _names(options: Sequence[AttributeValueOption]) -> str:
    return ", ".join(repr(o.name) for o in options)


def excluded_reason(excluded: Sequence[Mention]) -> str:
    """Why mentions that were found did not count."""
    kinds = list(dict.fromkeys(m.excluded for m in excluded if m.excluded))
    options = list({m.option.id: m.option for m in excluded}.values())
    how = "; ".join(_EXCLUSION_WORDS[k] for k in kinds)
    return f"{_names(options)} appear only {how}, which does not say the product has them."


def _pick_single(tier: Tier, evidence: Sequence[Evidence]) -> tuple[AttributeValueOption, float] | str:
    """One value, with its confidence, or the reason none can be chosen."""
    options = list({e.option.id: e.option for e in evidence}.values())
    best = {o.id: max(e.confidence for e in evidence if e.option.id == o.id) for o in options}
    if len(options) == 1:
        return options[0], best[options[0].id]
    shares = {o.id: max((e.share or 0.0) for e in evidence if e.option.id == o.id) for o in options}
    ranked_shares = sorted(shares.values(), reverse=True)
    if ranked_shares[0] > 0 and ranked_shares[0] > ranked_shares[1]:
        leader = max(options, key=lambda o: shares[o.id])
        return leader, best[leader.id] - 0.05
    ranked = sorted(options, key=lambda o: best[o.id], reverse=True)
    margin = best[ranked[0].id] - best[ranked[1].id]
    if margin >= _MARGIN:
        return ranked[0], best[ranked[0].id] - (0.05 if margin >= 2 * _MARGIN else _CONFLICT_PENALTY)
    return (
        f"Several values fit and {tier_label(tier)} gives no way to choose one: "
        f"{_names(ranked)}; the attribute takes one value."
    )


def tier_label(tier: Tier) -> str:
    places = list(dict.fromkeys(e.place for e in tier.evidence))
    return " and ".join(_PLACE_NAMES.get(p, p) for p in places) or "the product"


def _single(item: AttributeItem, tier: Tier, weaker: Sequence[Tier]) -> Proposal | Unfilled:
    evidence = tier.evidence
    if tier.name == "text":
        in_title = [e for e in evidence if e.place == "title"]
        if in_title:
            evidence = in_title
    picked = _pick_single(tier, evidence)
    if isinstance(picked, str):
        return Unfilled(attribute_id=item.id, reason=picked)
    option, confidence = picked
    rivals = [
        e
        for t in (tier, *weaker)
        for e in t.evidence
        if e.option.id != option.id and e.confidence >= 0.7 and e not in evidence
    ]
    if rivals:
        confidence -= _CONFLICT_PENALTY
    rationale = _because(tier, [option])
    if rivals:
        rationale += f" {_names([r.option for r in rivals[:3]])} also appear{'s' if len(rivals) == 1 else ''}"
        rationale += f" in {_PLACE_NAMES.get(rivals[0].place, rivals[0].place)}, so it is less certain."
    return _proposal(item, [option], confidence, rationale)


def _because(tier: Tier, options: Sequence[AttributeValueOption]) -> str:
    parts = []
    for option in options:
        best = tier.best(option.id)
        where = " and ".join(_PLACE_NAMES.get(p, p) for p in places_of(tier.evidence, option.id))
        parts.append(f"{best.how} in {where}")
    return "Found " + "; ".join(parts) + "."


def _proposal(
    item: AttributeItem, options: Sequence[AttributeValueOption], confidence: float, rationale: str
) -> Proposal | Unfilled:
    confidence = round(max(0.0, min(1.0, confidence)), 2)
    if confidence < MIN_CONFIDENCE:
        return Unfilled(
            attribute_id=item.id,
            reason=f"Only weak hints ({_names(options)} as ordinary words out of context); "
            "not enough to propose a value.",
        )
    return Proposal(
        attribute_id=item.id,
        attribute_name=item.name,
        values=[ProposedValue(id=o.id, name=o.name) for o in options],
        confidence=confidence,
        rationale=rationale,
        source="rules",
    )


def _multiple(item: AttributeItem, tier: Tier) -> Proposal | Unfilled:
    strong = [e for e in tier.evidence if e.confidence >= 0.6] or tier.evidence
    options = list({e.option.id: e.option for e in strong}.values())
    order = {o.id: i for i, o in enumerate(item.values)}
    options.sort(key=lambda o: order.get(o.id, 0))
    confidence = min(max(e.confidence for e in strong if e.option.id == o.id) for o in options)
    return _proposal(item, options, confidence, _because(tier, options))


def decide(item: AttributeItem, tiers: Sequence[Tier]) -> Proposal | Unfilled:
    """The proposal the strongest place supports, or why there is none."""
    for index, tier in enumerate(tiers):
        if not tier.evidence:
            continue
        if item.is_multiple_selection:
            return _multiple(item, tier)
        return _single(item, tier, tiers[index + 1 :])
    excluded = [m for tier in tiers for m in tier.excluded]
    if excluded:
        return Unfilled(attribute_id=item.id, reason=excluded_reason(excluded))
    own = " or enter a custom value" if item.is_customizable else ""
    return Unfilled(
        attribute_id=item.id,
        reason=(
            "Nothing in the title, description, variant options or the product's own attributes names "
            f"one of its values; fill it by hand{own}."
        ),
    )
