"""Whatever a backend answers, only values the attribute allows come out; the rest is unfilled, with why."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.tiktok.attribute_fill import (
    Proposal,
    ProposedValue,
    RulesBackend,
    SuggestRequest,
    SuggestResponse,
    Unfilled,
    suggest,
)
from tests.connectors.tiktok.attribute_fill.conftest import item, outcome, request, seed_items

SINGLE = item("9300", "Finish", ["Matte", "Satin"])
MULTI = item("9301", "Features", ["Waterproof", "Reflective"], multi=True)
NUMERIC = item("9302", "Net Content", [], custom=True, fmt="POSITIVE_INT_OR_DECIMAL")
CUSTOM = item("9303", "Capacity", ["500 ml"], custom=True)


class Canned:
    """A backend that answers whatever it is told to: a stand-in for a wrong or manipulated model."""

    name = "canned"

    def __init__(self, *proposals: Proposal, unfilled: tuple[Unfilled, ...] = ()) -> None:
        self.response = SuggestResponse(proposals=list(proposals), unfilled=list(unfilled))

    def suggest(self, request: SuggestRequest) -> SuggestResponse:
        return self.response


def proposal(attribute_id: str, *values: tuple[str | None, str]) -> Proposal:
    return Proposal(
        attribute_id=attribute_id,
        attribute_name="whatever the backend says",
        values=[ProposedValue(id=i, name=n) for i, n in values],
        confidence=0.99,
        rationale="because",
        source="llm",
    )


def run(backend: Canned) -> SuggestResponse:
    return suggest(request("Anything", [SINGLE, MULTI, NUMERIC, CUSTOM]), backend)


def test_ids_outside_the_list_are_dropped_with_the_reason() -> None:
    response = run(Canned(proposal("9300", ("not-an-id", "Matte"))))
    answer = outcome(response, "9300")
    assert isinstance(answer, Unfilled) and "not-an-id" in answer.reason


def test_names_come_from_the_list_not_from_the_backend() -> None:
    response = run(Canned(proposal("9300", ("930001", "Glitter Bomb"))))
    answer = outcome(response, "9300")
    assert isinstance(answer, Proposal)
    assert [(v.id, v.name) for v in answer.values] == [("930001", "Satin")]
    assert answer.attribute_name == "Finish"


def test_custom_values_only_where_customizable_and_numbers_where_numeric() -> None:
    response = run(
        Canned(
            proposal("9300", (None, "Velvet")),
            proposal("9302", (None, "5 ml")),
            proposal("9303", (None, "600 ml")),
        )
    )
    assert isinstance(outcome(response, "9300"), Unfilled)
    numeric = outcome(response, "9302")
    assert isinstance(numeric, Unfilled) and "number" in numeric.reason
    custom = outcome(response, "9303")
    assert isinstance(custom, Proposal) and custom.values[0].name == "600 ml"


def test_one_value_for_single_select_and_several_for_multi() -> None:
    response = run(
        Canned(
            proposal("9300", ("930000", "Matte"), ("930001", "Satin")),
            proposal("9301", ("930100", "Waterproof"), ("930101", "Reflective")),
        )
    )
    single = outcome(response, "9300")
    assert isinstance(single, Unfilled) and "takes one" in single.reason
    assert isinstance(outcome(response, "9301"), Proposal)


def test_unasked_attributes_are_ignored_and_every_asked_one_is_answered() -> None:
    response = run(Canned(proposal("777", ("1", "x"))))
    assert response.proposals == []
    assert {u.attribute_id for u in response.unfilled} == {"9300", "9301", "9302", "9303"}


_WORDS = st.sampled_from(
    [
        *("cotton", "polyester", "not", "free", "faux", "leather", "nylon", "buckle", "500", "ml", "16.9"),
        *("oz", "matte", "satin", "yes", "no", "BPA", "iPhone", "15", "Pro", "Max", "/", "&", ",", "."),
        *(":", "%", "95", "small", "large", "dog", "cat", "gold", "14K", "585", "white", "rose", "stripe"),
        *("floral", "<p>", "</p>", "<li>", "also", "available", "in", "linen", "look"),
    ]
)
_ATTRIBUTES = [
    *seed_items("601226"),
    *seed_items("601460"),
    *seed_items("601770"),
    *seed_items("602145"),
    *seed_items("604235"),
    *seed_items("600055"),
    *seed_items("605262"),
]
_UNIQUE = list({a["id"]: a for a in _ATTRIBUTES}.values())


@settings(max_examples=60, deadline=None)
@given(
    title=st.lists(_WORDS, min_size=1, max_size=12).map(" ".join),
    description=st.lists(_WORDS, max_size=40).map(" ".join),
    chosen=st.lists(st.sampled_from(_UNIQUE), min_size=1, max_size=6, unique_by=lambda a: a["id"]),
)
def test_rules_never_propose_a_value_the_attribute_does_not_allow(
    title: str, description: str, chosen: list[dict[str, object]]
) -> None:
    response = suggest(request(title, chosen, description=description), RulesBackend())
    by_id = {str(a["id"]): a for a in chosen}
    assert {p.attribute_id for p in response.proposals} | {u.attribute_id for u in response.unfilled} == set(
        by_id
    )
    for answer in response.proposals:
        spec = by_id[answer.attribute_id]
        allowed = {str(v["id"]): v["name"] for v in spec["values"]}  # type: ignore[attr-defined]
        assert 0 <= answer.confidence <= 1
        if not spec["is_multiple_selection"]:
            assert len(answer.values) == 1
        for value in answer.values:
            if value.id is None:
                assert spec["is_customizable"], (answer, spec["name"])
            else:
                assert allowed.get(value.id) == value.name
