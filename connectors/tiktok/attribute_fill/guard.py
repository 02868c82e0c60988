"""The last check on any backend's answer: nothing leaves that the attribute does not allow.

Whatever a backend returns (a model can be wrong or manipulated), a proposal survives only if its
attribute was asked for, every value id is in that attribute's own list (with the list's name), a
custom value appears only where the attribute is customizable (a number where it must be numeric, at
most 500 characters), and a single-select attribute gets one value. Anything dropped becomes an
unfilled entry saying why; every requested attribute ends up in exactly one of the two lists.
"""

from __future__ import annotations

import re

from .models import AttributeItem, Proposal, ProposedValue, SuggestRequest, SuggestResponse, Unfilled

__all__ = ["MAX_CUSTOM_VALUE_LENGTH", "enforce_contract"]

MAX_CUSTOM_VALUE_LENGTH = 500
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _check(item: AttributeItem, proposal: Proposal) -> tuple[list[ProposedValue], str | None]:
    """The proposal's values with allowed names restored, or the reason it cannot stand."""
    listed = {option.id: option for option in item.values}
    values: list[ProposedValue] = []
    for value in proposal.values:
        if value.id is not None:
            option = listed.get(value.id)
            if option is None:
                return [], f"the value id {value.id!r} is not in the attribute's list of values"
            values.append(ProposedValue(id=option.id, name=option.name))
            continue
        name = " ".join(value.name.split())
        if not item.is_customizable:
            return [], "a custom value was given but the attribute takes only listed values"
        if not name or len(name) > MAX_CUSTOM_VALUE_LENGTH:
            return [], f"the custom value is empty or longer than {MAX_CUSTOM_VALUE_LENGTH} characters"
        if item.numeric_only and not _NUMBER.match(name):
            return [], "the attribute takes a number and the custom value is not one"
        values.append(ProposedValue(id=None, name=name))
    unique = list({(v.id, v.name.casefold()): v for v in values}.values())
    if not unique:
        return [], "no value was given"
    if len(unique) > 1 and not item.is_multiple_selection:
        return [], f"{len(unique)} values were given but the attribute takes one"
    return unique, None


def enforce_contract(request: SuggestRequest, response: SuggestResponse) -> SuggestResponse:
    """``response`` reduced to what ``request``'s attributes allow; see the module docstring."""
    items = {item.id: item for item in request.attributes}
    proposals: dict[str, Proposal] = {}
    unfilled: dict[str, Unfilled] = {}
    for proposal in response.proposals:
        item = items.get(proposal.attribute_id)
        if item is None or proposal.attribute_id in proposals:
            continue  # not asked for, or a second answer for the same attribute
        values, problem = _check(item, proposal)
        if problem is not None:
            unfilled[item.id] = Unfilled(
                attribute_id=item.id, reason=f"A {proposal.source} proposal was dropped: {problem}."
            )
            continue
        proposals[item.id] = proposal.model_copy(update={"values": values, "attribute_name": item.name})
    for entry in response.unfilled:
        if entry.attribute_id in items and entry.attribute_id not in proposals:
            unfilled.setdefault(entry.attribute_id, entry)
    for item_id in items:
        if item_id not in proposals and item_id not in unfilled:
            unfilled[item_id] = Unfilled(attribute_id=item_id, reason="The backend gave no answer for it.")
    order = list(items)
    return SuggestResponse(
        proposals=sorted(proposals.values(), key=lambda p: order.index(p.attribute_id)),
        unfilled=sorted(unfilled.values(), key=lambda u: order.index(u.attribute_id)),
    )
