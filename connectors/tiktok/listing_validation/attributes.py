"""Category attribute rules: required and conditionally required values, allowed values, selection."""

from __future__ import annotations

from .conditions import chosen_value_ids, condition_met
from .issue import ListingIssue, invalid, missing, quote
from .model import CategoryAttribute, ListingDraft, ProductAttribute, ProductAttributeValue

__all__ = ["MAX_CUSTOM_VALUE_LENGTH", "check_attributes"]

MAX_CUSTOM_VALUE_LENGTH = 500
# How many allowed values a message names before it stops: enough to guide, short enough to read.
_SHOWN_OPTIONS = 8
# Sales properties (colour, size) are set per SKU, not as product attributes; skus.py checks them.
_PRODUCT_PROPERTY = "PRODUCT_PROPERTY"


def check_attributes(draft: ListingDraft) -> list[ListingIssue]:
    """Return the attribute rules the draft breaks, against the category's attribute list."""
    given: dict[str, list[ProductAttributeValue]] = {}
    for attribute in draft.product_attributes:
        given.setdefault(attribute.id, []).extend(value for value in attribute.values if _filled(value))
    chosen = chosen_value_ids(draft.product_attributes)
    specs = {spec.id: spec for spec in draft.category_attributes}
    issues: list[ListingIssue] = []
    for spec in draft.category_attributes:
        if spec.type == _PRODUCT_PROPERTY:
            has_value = bool(given.get(spec.id))
            issues.extend(_presence_issues(draft.category.id, spec, has_value, chosen, specs))
    for attribute in draft.product_attributes:
        known = specs.get(attribute.id)
        if known is not None:
            issues.extend(_value_issues(known, attribute))
        elif specs:
            # With no attribute list at all nothing can be judged; with one, a stray id is an error.
            issues.append(
                invalid(
                    f"product_attributes[id={attribute.id}]",
                    "attributes.unknown",
                    f"Attribute {attribute.id} does not belong to category {draft.category.id}; remove it or "
                    "map the value to one of the category's attributes.",
                )
            )
    return issues


def _filled(value: ProductAttributeValue) -> bool:
    return bool((value.id or "").strip() or (value.name or "").strip())


def _options(spec: CategoryAttribute) -> str:
    names = [option.name for option in spec.values[:_SHOWN_OPTIONS]]
    more = ", ..." if len(spec.values) > _SHOWN_OPTIONS else ""
    return ", ".join(names) + more


def _how_to_fill(spec: CategoryAttribute) -> str:
    if not spec.values:
        return "enter a value"
    own = " or enter your own" if spec.is_customizable else ""
    return f"choose from {_options(spec)}{own}"


def _presence_issues(
    category_id: str,
    spec: CategoryAttribute,
    has_value: bool,
    chosen: dict[str, set[str]],
    specs: dict[str, CategoryAttribute],
) -> list[ListingIssue]:
    field = f"product_attributes[id={spec.id}]"
    label = f"{quote(spec.name)} (id {spec.id})"
    if spec.is_requried and not has_value:
        return [
            missing(
                field,
                "attributes.required",
                f"Category {category_id} requires the attribute {label}; {_how_to_fill(spec)}.",
            )
        ]
    if spec.is_requried or not spec.requirement_conditions:
        return []
    triggered = condition_met(spec.requirement_conditions, chosen)
    if triggered and not has_value:
        return [
            missing(
                field,
                "attributes.conditionally_required",
                f"The attribute {label} is required when {_triggers(spec, specs)}; {_how_to_fill(spec)}.",
            )
        ]
    if not triggered and has_value:
        # TikTok rejects a dependent attribute whose condition does not hold (error 12052183).
        return [
            invalid(
                field,
                "attributes.condition_not_met",
                f"The attribute {label} applies only when {_triggers(spec, specs)}, which is not "
                "the case; remove its value or change the attribute it depends on.",
            )
        ]
    return []


def _triggers(spec: CategoryAttribute, specs: dict[str, CategoryAttribute]) -> str:
    """Name the conditions in words: "'Material' is 'Wool' or 'Material' is 'Silk'"."""
    parts: list[str] = []
    for condition in spec.requirement_conditions:
        trigger = specs.get(condition.attribute_id)
        if trigger is None:
            parts.append(f"attribute {condition.attribute_id} has value {condition.attribute_value_id}")
            continue
        names = {option.id: option.name for option in trigger.values}
        value = names.get(condition.attribute_value_id, condition.attribute_value_id)
        parts.append(f"{quote(trigger.name)} is {quote(value)}")
    return " or ".join(parts)


def _value_issues(spec: CategoryAttribute, attribute: ProductAttribute) -> list[ListingIssue]:
    field = f"product_attributes[id={spec.id}]"
    label = f"{quote(spec.name)} (id {spec.id})"
    values = [value for value in attribute.values if _filled(value)]
    issues: list[ListingIssue] = []
    if len(values) > 1 and not spec.is_multiple_selection:
        issues.append(
            invalid(
                f"{field}.values",
                "attributes.single_selection",
                f"The attribute {label} takes one value but has {len(values)}; keep only one.",
            )
        )
    allowed_ids = {option.id for option in spec.values}
    for index, value in enumerate(attribute.values):
        path = f"{field}.values[{index}]"
        if value.id:
            if value.id not in allowed_ids:
                issues.append(
                    invalid(
                        f"{path}.id",
                        "attributes.value_not_allowed",
                        f"Value id {value.id} is not allowed for the attribute {label}; "
                        f"{_how_to_fill(spec)}.",
                    )
                )
        elif value.name and value.name.strip():
            issues.extend(_named_value_issues(spec, label, path, value.name))
    return issues


def _named_value_issues(spec: CategoryAttribute, label: str, path: str, name: str) -> list[ListingIssue]:
    if spec.is_customizable:
        if len(name) > MAX_CUSTOM_VALUE_LENGTH:
            return [
                invalid(
                    f"{path}.name",
                    "attributes.custom_value_length",
                    f"The value of {label} is {len(name)} characters long; TikTok Shop allows at most "
                    f"{MAX_CUSTOM_VALUE_LENGTH}, so shorten it.",
                )
            ]
        return []
    # A name that equals an allowed value is fine: the push sends that value's id.
    if name.strip().casefold() in {option.name.casefold() for option in spec.values}:
        return []
    return [
        invalid(
            f"{path}.name",
            "attributes.value_not_allowed",
            f"The value {quote(name)} is not allowed for the attribute {label}, which takes only listed "
            f"values; {_how_to_fill(spec)}.",
        )
    ]
