from __future__ import annotations

from typing import Any

import pytest

from connectors.tiktok.listing_validation import CategoryAttribute, IssueCode, ListingDraft, validate_listing

from .drafts import MATERIAL, MERINO, PATTERN, WOOL, WOOL_GRADE, found, good

MATERIAL_FIELD = f"product_attributes[id={MATERIAL}]"


def _with_values(attribute_id: str, values: list[dict[str, Any]]) -> dict[str, Any]:
    data = good()
    data["product_attributes"] = [
        attribute for attribute in data["product_attributes"] if attribute["id"] != attribute_id
    ] + [{"id": attribute_id, "values": values}]
    return data


@pytest.mark.parametrize("values", [[], [{"name": "  "}], [{}]])
def test_attributes_required_without_value_is_missing(values: list[dict[str, Any]]) -> None:
    data = _with_values(MATERIAL, values)
    assert found(data) == [("attributes.required", MATERIAL_FIELD)]


def test_attributes_required_absent_is_missing_with_the_choices() -> None:
    data = good()
    data["product_attributes"] = [a for a in data["product_attributes"] if a["id"] != MATERIAL]
    (issue,) = validate_listing(ListingDraft.model_validate(data))
    assert (issue.rule, issue.field, issue.code) == (
        "attributes.required",
        MATERIAL_FIELD,
        IssueCode.ATTRIBUTE_MISSING,
    )
    assert "'Material'" in issue.message and "Cotton, Polyester, Wool" in issue.message


def test_attributes_accept_both_spellings_of_the_required_flag() -> None:
    assert CategoryAttribute.model_validate({"id": "1", "name": "A", "is_requried": True}).is_requried
    assert CategoryAttribute.model_validate({"id": "1", "name": "A", "is_required": True}).is_requried


def test_attributes_conditionally_required_when_the_trigger_value_is_chosen() -> None:
    data = _with_values(MATERIAL, [{"id": WOOL}])
    data["certifications"].append({"id": "7002", "image_urls": ["https://cdn.example.com/woolmark.jpg"]})
    assert found(data) == [("attributes.conditionally_required", f"product_attributes[id={WOOL_GRADE}]")]
    data["product_attributes"].append({"id": WOOL_GRADE, "values": [{"id": MERINO}]})
    assert found(data) == []


def test_attributes_conditional_value_without_its_trigger_is_rejected() -> None:
    data = _with_values(WOOL_GRADE, [{"id": MERINO}])
    assert found(data) == [("attributes.condition_not_met", f"product_attributes[id={WOOL_GRADE}]")]


def test_attributes_value_id_outside_the_list_is_rejected() -> None:
    data = _with_values(MATERIAL, [{"id": "9999"}])
    assert found(data) == [("attributes.value_not_allowed", f"{MATERIAL_FIELD}.values[0].id")]


def test_attributes_free_name_needs_a_customizable_attribute() -> None:
    data = _with_values(MATERIAL, [{"id": "1001"}, {"name": "Bamboo"}])
    assert found(data) == [("attributes.value_not_allowed", f"{MATERIAL_FIELD}.values[1].name")]
    assert found(_with_values(MATERIAL, [{"name": "cotton"}])) == []
    assert found(_with_values(PATTERN, [{"name": "Paisley"}])) == []


def test_attributes_custom_value_over_500_characters_is_rejected() -> None:
    field = f"product_attributes[id={PATTERN}].values[0].name"
    assert found(_with_values(PATTERN, [{"name": "p" * 500}])) == []
    assert found(_with_values(PATTERN, [{"name": "p" * 501}])) == [("attributes.custom_value_length", field)]


def test_attributes_single_selection_takes_one_value() -> None:
    data = _with_values(PATTERN, [{"id": "3001"}, {"id": "3002"}])
    assert found(data) == [("attributes.single_selection", f"product_attributes[id={PATTERN}].values")]
    assert found(_with_values(MATERIAL, [{"id": "1001"}, {"id": "1002"}])) == []


def test_attributes_unknown_attribute_is_rejected() -> None:
    data = good()
    data["product_attributes"].append({"id": "555", "values": [{"name": "x"}]})
    assert found(data) == [("attributes.unknown", "product_attributes[id=555]")]


def test_attributes_are_not_judged_without_the_category_list() -> None:
    data = good()
    data["category_attributes"] = []
    data["product_attributes"].append({"id": "555", "values": [{"name": "x"}]})
    assert found(data) == []
