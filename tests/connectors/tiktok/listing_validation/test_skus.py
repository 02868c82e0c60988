from __future__ import annotations

from typing import Any

import pytest

from .drafts import found, good


def _sku(seller_sku: str, **options: str) -> dict[str, Any]:
    return {
        "seller_sku": seller_sku,
        "sales_attributes": [{"name": name, "value_name": value} for name, value in options.items()],
    }


def _with(*skus: dict[str, Any]) -> list[tuple[str, str]]:
    data = good()
    data["skus"] = list(skus)
    return found(data)


def test_skus_none_is_rejected() -> None:
    assert _with() == [("skus.required", "skus")]


def test_skus_single_sku_without_options_passes() -> None:
    assert _with(_sku("TEE-1")) == []


def test_skus_at_most_100() -> None:
    many = [_sku(f"TEE-{n}", Color=f"Shade {n}") for n in range(101)]
    assert _with(*many[:100]) == []
    assert _with(*many) == [("skus.max_count", "skus")]


def test_skus_seller_sku_at_most_50_characters() -> None:
    assert _with(_sku("S" * 50)) == []
    assert _with(_sku("S" * 51)) == [("skus.seller_sku_length", "skus[0].seller_sku")]


@pytest.mark.parametrize("seller_sku", ["", "   "])
def test_skus_seller_sku_is_required(seller_sku: str) -> None:
    assert _with(_sku(seller_sku)) == [("skus.seller_sku_required", "skus[0].seller_sku")]


def test_skus_seller_sku_with_outer_whitespace_is_rejected() -> None:
    assert _with(_sku("TEE-1 ")) == [("skus.seller_sku_whitespace", "skus[0].seller_sku")]


def test_skus_duplicate_seller_sku_is_rejected_on_the_second() -> None:
    assert _with(_sku("TEE", Size="M"), _sku("TEE", Size="L")) == [
        ("skus.duplicate_seller_sku", "skus[1].seller_sku")
    ]


def test_skus_sales_attribute_name_1_to_20_characters() -> None:
    assert _with(_sku("TEE", **{"N" * 20: "x"})) == []
    assert _with(_sku("TEE", **{"N" * 21: "x"})) == [
        ("skus.sales_attribute_name_length", "skus[0].sales_attributes[0].name")
    ]
    assert _with(_sku("TEE", **{" ": "x"})) == [
        ("skus.sales_attribute_name_length", "skus[0].sales_attributes[0].name")
    ]


@pytest.mark.parametrize("value", ["", "v" * 51])
def test_skus_sales_attribute_value_1_to_50_characters(value: str) -> None:
    assert _with(_sku("TEE", Color="Red", Size=value)) == [
        ("skus.sales_attribute_value_length", "skus[0].sales_attributes[1].value_name")
    ]


def test_skus_same_option_twice_in_one_sku_is_rejected() -> None:
    sku = {
        "seller_sku": "TEE",
        "sales_attributes": [{"name": "Color", "value_name": "Red"}, {"name": "color", "value_name": "Blue"}],
    }
    assert _with(sku) == [("skus.duplicate_sales_attribute", "skus[0].sales_attributes[1].name")]


def test_skus_images_on_one_option_only() -> None:
    sku = {
        "seller_sku": "TEE",
        "sales_attributes": [
            {"name": "Color", "value_name": "Red", "image_url": "https://cdn.example.com/red.jpg"},
            {"name": "Size", "value_name": "M", "image_url": "https://cdn.example.com/m.jpg"},
        ],
    }
    assert _with(sku) == [("skus.sales_attribute_images", "skus[0].sales_attributes")]


def test_skus_must_share_the_same_options() -> None:
    assert _with(_sku("A", Color="Red", Size="M"), _sku("B", Color="Red")) == [
        ("skus.inconsistent_sales_attributes", "skus[1].sales_attributes")
    ]


def test_skus_must_differ_in_some_option() -> None:
    assert _with(_sku("A", Color="Red", Size="M"), _sku("B", Size="m", Color="red")) == [
        ("skus.duplicate_variant", "skus[1].sales_attributes")
    ]
    assert _with(_sku("A"), _sku("B")) == [("skus.duplicate_variant", "skus[1].sales_attributes")]
