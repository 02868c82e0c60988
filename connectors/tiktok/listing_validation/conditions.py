"""Conditional requirements: an attribute or certification that depends on another attribute's value."""

from __future__ import annotations

from collections.abc import Iterable

from .model import ProductAttribute, RequirementCondition

__all__ = ["chosen_value_ids", "condition_met"]


def chosen_value_ids(attributes: Iterable[ProductAttribute]) -> dict[str, set[str]]:
    """Map each attribute id to the allowed-value ids the product chose for it."""
    chosen: dict[str, set[str]] = {}
    for attribute in attributes:
        chosen.setdefault(attribute.id, set()).update(value.id for value in attribute.values if value.id)
    return chosen


def condition_met(conditions: Iterable[RequirementCondition], chosen: dict[str, set[str]]) -> bool:
    """Tell whether any condition holds.

    The docs list conditions without saying whether all or any must hold (UNCERTAIN); each entry
    names one triggering value, so any one of them is taken to trigger the requirement.
    """
    return any(
        condition.attribute_value_id in chosen.get(condition.attribute_id, set())
        for condition in conditions
        if condition.condition_type == "VALUE_ID_MATCH"
    )
