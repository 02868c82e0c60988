"""The rules backend on quantities (units, conversions, custom values) and on Yes/No attributes."""

from __future__ import annotations

import pytest

from connectors.tiktok.attribute_fill import Proposal, RulesBackend, Unfilled, suggest
from connectors.tiktok.attribute_fill.quantities import parse_quantities, same_quantity
from connectors.tiktok.attribute_fill.text import tokens
from tests.connectors.tiktok.attribute_fill.conftest import item, names, outcome, request, seed_items

CAPACITY = seed_items("600055", "Capacity")  # 350 ml ... 2 L and 12 oz ... 40 oz; customizable
SHELF_LIFE = seed_items("601460", "Shelf Life")
NET_CONTENT = seed_items("601460", "Net Content")  # customizable, POSITIVE_INT_OR_DECIMAL, no values
THREAD_COUNT = seed_items("604235", "Thread Count")
PURITY = seed_items("605262", "Metal Purity")
BPA = seed_items("600055", "BPA Free")
VOLUME_ML = item("9100", "Volume", ["100 ml", "250 ml", "500 ml", "1000 ml"])


def one(title: str, attributes: list[dict[str, object]], **product: object) -> Proposal | Unfilled:
    response = suggest(request(title, attributes, **product), RulesBackend())
    return outcome(response, str(attributes[0]["id"]))


@pytest.mark.parametrize("text", ["500ml", "500 mL", "500 ML", "0.5 L", "0,5 l", "16.9 fl oz", "16.9 oz"])
def test_units_are_read_and_converted(text: str) -> None:
    assert names(one(f"Bottle {text}", [VOLUME_ML])) == ["500 ml"]


def test_a_listed_unit_is_preferred_and_neighbouring_sizes_stay_apart() -> None:
    assert names(one("Tumbler 32 oz (946 ml)", CAPACITY)) == ["32 oz"]
    assert names(one("Bottle 16.9 oz", CAPACITY)) == ["500 ml"]
    # 600 ml is not 20 oz (591 ml): the attribute is customizable, so 600 ml is a custom value.
    custom = one("Bottle 600 ml", CAPACITY)
    assert isinstance(custom, Proposal) and [(v.id, v.name) for v in custom.values] == [(None, "600 ml")]


def test_not_customizable_and_not_listed_is_unfilled() -> None:
    answer = one("Bottle 600 ml", [VOLUME_ML])
    assert isinstance(answer, Unfilled) and "600 ml" in answer.reason


def test_conflicting_quantities_are_unfilled() -> None:
    answer = one("Bottle", CAPACITY, description="Choose 500 ml or 1 L.")
    assert isinstance(answer, Unfilled) and "500 ml" in answer.reason and "1 L" in answer.reason


def test_years_are_months_and_other_properties_lines_do_not_count() -> None:
    assert names(one("Lipstick", SHELF_LIFE, description="Shelf life: 2 years.")) == ["24 months"]
    pao = one("Lipstick", SHELF_LIFE, description="Period after opening: 12 months.")
    assert isinstance(pao, Unfilled)


def test_net_content_is_a_number_and_packs_are_not_one_quantity() -> None:
    answer = one("Lipstick", NET_CONTENT, description="Net Wt. 3.5 g / 0.12 oz")
    assert isinstance(answer, Proposal) and [(v.id, v.name) for v in answer.values] == [(None, "3.5")]
    pack = one("Mini lipstick trio", NET_CONTENT, description="3 x 1.5 g")
    assert isinstance(pack, Unfilled)


def test_bare_numbers_need_the_attribute_name_next_to_them() -> None:
    assert names(one("Sheet set, 400 thread count", THREAD_COUNT)) == ["400"]
    assert names(one("Sheet set, 300 TC", THREAD_COUNT)) == ["300"]
    assert isinstance(one("Sheet set, 1800 series", THREAD_COUNT), Unfilled)
    custom = one("Sheets", THREAD_COUNT, description="350 thread count cotton sateen.")
    assert isinstance(custom, Proposal) and custom.values[0].id is None and custom.values[0].name == "350"


def test_karat_from_stamps_and_not_from_stone_weight() -> None:
    assert names(one("Halo ring", PURITY, description="Sapphire in 585 rose gold.")) == ["14K"]
    assert names(one("Ring", PURITY, description="18ct yellow gold band.")) == ["18K"]
    assert isinstance(one("Ring", PURITY, description="A 0.5 ct diamond solitaire."), Unfilled)


def test_quantity_parsing_and_matching() -> None:
    found = parse_quantities(tokens("Holds 16.9 fl oz; 5,000 mAh; 3 x 1.5 g"))
    assert [(q.value, q.unit.symbol, q.multiplied) for q in found] == [
        (16.9, "fl oz", False),
        (5000.0, "mAh", False),
        (1.5, "g", True),
    ]
    [half_litre] = parse_quantities(tokens("500 ml"))
    [sixteen] = parse_quantities(tokens("16 fl oz"))
    assert not same_quantity(sixteen, half_litre)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BPA-free Tritan", "Yes"),
        ("Free of BPA", "Yes"),
        ("Contains no BPA", "Yes"),
        ("Made without BPA", "Yes"),
    ],
)
def test_free_of_attributes_read_every_phrasing(text: str, expected: str) -> None:
    assert names(one("Bottle", BPA, description=text)) == [expected]


def test_silence_is_not_no_and_negation_is_no() -> None:
    silent = one("Bottle", BPA, description="Stainless steel.")
    assert isinstance(silent, Unfilled) and "silence" in silent.reason
    vegan = seed_items("601460", "Vegan")
    assert names(one("Lipstick", vegan, description="Not vegan: contains beeswax.")) == ["No"]
    assert names(one("Lipstick", vegan, description="Vegan formula.")) == ["Yes"]
    mixed = one("Lipstick", vegan, description="Vegan formula. Not vegan in the EU.")
    assert isinstance(mixed, Unfilled)
