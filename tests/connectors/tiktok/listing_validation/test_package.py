from __future__ import annotations

import pytest

from connectors.tiktok.listing_validation import IssueCode, ListingDraft, validate_listing

from .drafts import found, good


def test_package_weight_absent_is_rejected() -> None:
    data = good()
    data["package_weight"] = None
    assert found(data) == [("package_weight.required", "package_weight")]


@pytest.mark.parametrize("value", ["0", "0.000", "-1"])
def test_package_weight_must_be_above_zero(value: str) -> None:
    data = good()
    data["package_weight"]["value"] = value
    assert found(data) == [("package_weight.positive", "package_weight.value")]


@pytest.mark.parametrize(("region", "unit"), [("US", "GRAM"), ("US", "kg"), ("GB", "POUND")])
def test_package_weight_unit_must_be_allowed_in_the_region(region: str, unit: str) -> None:
    data = good()
    data["region"] = region
    data["package_weight"]["unit"] = unit
    assert found(data) == [("package_weight.unit", "package_weight.unit")]


def test_package_weight_pounds_with_inches_pass_in_the_us() -> None:
    data = good()
    data["package_weight"] = {"value": "0.7", "unit": "POUND"}
    data["package_dimensions"] = {"length": "12", "width": "8", "height": "1", "unit": "INCH"}
    assert found(data) == []


@pytest.mark.parametrize(
    ("region", "value", "unit"),
    [
        ("US", "151", "POUND"),
        ("US", "68.1", "KILOGRAM"),
        ("GB", "30.5", "KILOGRAM"),
        ("MX", "31", "KILOGRAM"),
    ],
)
def test_package_weight_over_the_market_maximum_is_rejected(region: str, value: str, unit: str) -> None:
    data = good()
    data["region"] = region
    data["package_weight"] = {"value": value, "unit": unit}
    if unit == "POUND":
        data["package_dimensions"]["unit"] = "INCH"
    assert found(data) == [("package_weight.max", "package_weight.value")]


def test_package_weight_at_the_market_maximum_passes() -> None:
    data = good()
    data["package_weight"] = {"value": "150", "unit": "POUND"}
    data["package_dimensions"]["unit"] = "INCH"
    assert found(data) == []
    data["region"] = "GB"
    data["package_weight"] = {"value": "30", "unit": "KILOGRAM"}
    data["package_dimensions"]["unit"] = "CENTIMETER"
    assert found(data) == []


def test_package_dimensions_required_by_the_category_rules_are_missing() -> None:
    data = good()
    data["region"] = "ID"
    data["package_dimensions"] = None
    assert found(data) == [("package_dimensions.required", "package_dimensions")]
    (issue,) = validate_listing(ListingDraft.model_validate(data))
    assert issue.code is IssueCode.ATTRIBUTE_MISSING


def test_package_dimensions_optional_in_id_unless_cross_border() -> None:
    data = good()
    data["region"] = "ID"
    data["category_rules"]["package_dimensions_required"] = False
    data["package_dimensions"] = None
    assert found(data) == []
    data["is_cross_border"] = True
    assert found(data) == [("package_dimensions.required", "package_dimensions")]


def test_package_dimensions_required_for_local_us_listings() -> None:
    data = good()
    data["category_rules"]["package_dimensions_required"] = False
    data["package_dimensions"] = {"unit": "CENTIMETER"}
    assert found(data) == [("package_dimensions.required", "package_dimensions")]


def test_package_dimensions_all_or_none() -> None:
    data = good()
    data["package_dimensions"]["height"] = None
    assert found(data) == [("package_dimensions.incomplete", "package_dimensions.height")]


@pytest.mark.parametrize("value", ["10.5", "-2"])
def test_package_dimensions_must_be_non_negative_integers(value: str) -> None:
    data = good()
    data["package_dimensions"]["width"] = value
    assert found(data) == [("package_dimensions.integer", "package_dimensions.width")]


def test_package_dimensions_integral_decimals_pass() -> None:
    data = good()
    data["package_dimensions"]["length"] = "30.00"
    assert found(data) == []


@pytest.mark.parametrize(("region", "unit"), [("US", "METER"), ("GB", "INCH")])
def test_package_dimensions_unit_must_be_allowed_in_the_region(region: str, unit: str) -> None:
    data = good()
    data["region"] = region
    data["package_dimensions"]["unit"] = unit
    assert found(data) == [("package_dimensions.unit", "package_dimensions.unit")]


def test_package_units_must_match() -> None:
    data = good()
    data["package_dimensions"]["unit"] = "INCH"
    assert found(data) == [("package.unit_mismatch", "package_dimensions.unit")]
    data["package_weight"]["unit"] = "POUND"
    data["package_dimensions"]["unit"] = "CENTIMETER"
    assert found(data) == [("package.unit_mismatch", "package_dimensions.unit")]
