"""The rules backend on enumerated values: synonyms, word boundaries, negation, context, selection."""

from __future__ import annotations

from connectors.tiktok.attribute_fill import Proposal, RulesBackend, Unfilled, suggest
from tests.connectors.tiktok.attribute_fill.conftest import item, names, outcome, request, seed_items

COLOUR = item("9001", "Color", ["Red", "Blue", "Navy Blue", "Black", "Grey"])
TEE_MATERIAL = seed_items("601226", "Material")  # multi-select: Cotton, Organic Cotton, Polyester, ...
BOTTLE_MATERIAL = seed_items("600055", "Material")  # single-select
CASE_TYPE = seed_items("601770", "Case Type")
PHONES = seed_items("601770", "Compatible Phone Models")
COLLAR_MATERIAL = seed_items("602145", "Material")


def fill(title: str, items: list[dict[str, object]], **product: object) -> dict[str, Proposal | Unfilled]:
    response = suggest(request(title, items, **product), RulesBackend())
    return {str(a["id"]): outcome(response, str(a["id"])) for a in items}


def test_synonym_reads_navy_as_blue_only_when_navy_is_not_listed() -> None:
    only_blue = item("9002", "Color", ["Red", "Blue", "Black"])
    assert names(fill("Navy chino shorts", [only_blue])["9002"]) == ["Blue"]
    # With "Navy Blue" listed, "navy blue" is that value, not "Blue" (the longer match wins).
    assert names(fill("Navy blue chino shorts", [COLOUR])["9001"]) == ["Navy Blue"]


def test_cotton_blend_is_cotton_and_organic_cotton_beats_cotton() -> None:
    answers = fill("Relaxed tee", TEE_MATERIAL, description="<p>Soft cotton blend jersey.</p>")
    assert names(answers["100157"]) == ["Cotton"]
    answers = fill("Relaxed tee", TEE_MATERIAL, description="<p>GOTS organic cotton.</p>")
    assert names(answers["100157"]) == ["Organic Cotton"]


def test_whole_words_only() -> None:
    answers = fill("Bluest sky poster, redwood frame", [COLOUR])
    assert isinstance(answers["9001"], Unfilled)


def test_negations_and_look_alikes_do_not_count() -> None:
    for text in (
        "Not leather: strong nylon webbing",
        "Leather-free nylon collar",
        "Nylon collar, free of leather",
        "Nylon collar with faux leather trim",
        "Nylon collar without leather",
    ):
        answer = fill("Dog collar", COLLAR_MATERIAL, description=text)["100157"]
        assert names(answer) == ["Nylon"], text
    answer = fill("Dog collar", COLLAR_MATERIAL, description="Not leather, and no nylon either.")["100157"]
    assert isinstance(answer, Unfilled) and "negation" in answer.reason


def test_parts_of_the_product_are_not_its_material() -> None:
    answer = fill("Hemp dog collar", COLLAR_MATERIAL, description="Natural hemp with a solid metal buckle.")
    assert names(answer["100157"]) == ["Hemp"]
    answer = fill("Water bottle", BOTTLE_MATERIAL, description="Borosilicate glass with a silicone sleeve.")
    assert names(answer["100157"]) == ["Glass"]


def test_multi_select_takes_every_value_and_composition_picks_the_majority_for_single() -> None:
    answer = fill("Tee", TEE_MATERIAL, description="Fabric: 95% modal, 5% elastane.")["100157"]
    assert names(answer) == ["Modal", "Spandex"]
    sheets = seed_items("604235", "Material")  # single-select
    answer = fill("Jersey sheets", sheets, description="Jersey knit, 60% cotton, 40% polyester.")["100157"]
    assert names(answer) == ["Cotton"]


def test_single_select_with_two_equal_candidates_is_unfilled_with_both_named() -> None:
    answer = fill("Clear slim case", CASE_TYPE)["100802"]
    assert isinstance(answer, Unfilled)
    assert "'Slim'" in answer.reason and "'Clear'" in answer.reason


def test_title_beats_description_and_disagreement_lowers_confidence() -> None:
    agreeing = fill("Wallet case", CASE_TYPE, description="Card slots and a cash pocket.")["100802"]
    disagreeing = fill("Wallet case", CASE_TYPE, description="Leather folio with card slots.")["100802"]
    assert names(agreeing) == names(disagreeing) == ["Wallet"]
    assert isinstance(agreeing, Proposal) and isinstance(disagreeing, Proposal)
    assert disagreeing.confidence < agreeing.confidence
    assert "Flip/Folio" in disagreeing.rationale


def test_ordinary_words_need_context() -> None:
    pet_size = seed_items("602145", "Pet Size")
    loose = fill("Collar", pet_size, description="Made in small batches.")["101101"]
    assert not isinstance(loose, Proposal) or loose.confidence < 0.8
    near = fill("Collar", pet_size, description="Fits small and medium dogs.")["101101"]
    assert isinstance(near, Proposal) and names(near) == ["Small", "Medium"] and near.confidence >= 0.8


def test_model_lists_expand_and_other_products_do_not_count() -> None:
    answer = fill("Folio case for iPhone 15 Pro Max / 15 Pro", PHONES)["100801"]
    assert sorted(names(answer)) == ["iPhone 15 Pro", "iPhone 15 Pro Max"]
    answer = fill("Case for Galaxy S24", PHONES, description="Not compatible with iPhone 15.")["100801"]
    assert names(answer) == ["Samsung Galaxy S24"]
    ring = seed_items("605262", "Metal Color")
    answer = fill("10K white gold band", ring, description="Also available in yellow gold.")["101702"]
    assert names(answer) == ["White Gold"]
    answer = fill("Ring in 14K white and yellow gold", ring)["101702"]
    assert isinstance(answer, Unfilled)


def test_own_attributes_and_variant_options_outrank_text() -> None:
    answers = fill(
        "Collar",
        [*seed_items("602145", "Pet Size", "Closure Type")],
        variant_options={"Size": ["S", "M", "XL"]},
        attributes={"closure": "Quick Release"},
        description="Brass buckle for large breeds.",
    )
    assert names(answers["101101"]) == ["Small", "Medium", "Extra Large"]
    closure = answers["101102"]
    assert names(closure) == ["Quick Release"]
    assert isinstance(closure, Proposal) and closure.confidence >= 0.85


def test_brand_names_are_not_evidence() -> None:
    answer = fill("Silk & Co everyday tee", TEE_MATERIAL, brand="Silk & Co")["100157"]
    assert isinstance(answer, Unfilled)


def test_sales_properties_are_left_to_the_variants() -> None:
    colour = seed_items("601226", "Color")
    answer = fill("Red tee", colour)["100000"]
    assert isinstance(answer, Unfilled) and "sales property" in answer.reason
