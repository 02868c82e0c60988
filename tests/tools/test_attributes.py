"""Attribute suggestion (rules), proposals and their decisions."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AttributeProposal, ChannelListing, Product
from tests.tools.seeding import Seed
from tools import run_tool
from tools.attribute_rules import suggest
from tools.attributes import ListProposalsOutput, SuggestOutput
from tools.registry import ToolContext, ToolError

COLOURS = ["Red", "Blue", "Navy Blue"]


def test_rules_prefer_the_products_own_attribute() -> None:
    found = suggest(
        attribute_names=["Colour", "color"],
        allowed_values=COLOURS,
        attributes={"color": "navy blue"},
        title="Red scarf",
        description=None,
    )
    assert [(c.value, c.matched_in) for c in found] == [("Navy Blue", "attributes"), ("Red", "title")]


def test_rules_match_whole_words_in_description_html() -> None:
    found = suggest(
        attribute_names=["Colour"],
        allowed_values=COLOURS,
        attributes={},
        title="Scarf",
        description="<p>Deep&nbsp;<b>Blue</b> wool; not bluest</p>",
    )
    assert [(c.value, c.confidence) for c in found] == [("Blue", 0.6)]


def test_rules_halve_confidence_when_ambiguous() -> None:
    found = suggest(
        attribute_names=["Colour"],
        allowed_values=COLOURS,
        attributes={},
        title="Red and Blue scarf",
        description=None,
    )
    assert {c.confidence for c in found} == {0.4}


def test_suggest_attributes_reads_allowed_values_from_the_listing(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    product = seed.product("SKU-1", title="Wool scarf, Red")
    seed.listing(
        product,
        tiktok,
        missing_attributes=[
            {"id": "100198", "name": "Colour", "values": [{"id": "1", "name": "Red"}, "Blue"]}
        ],
    )
    result = run_tool("suggest_attributes", ctx, {"sku": "SKU-1", "attribute": "Colour"})
    assert isinstance(result, SuggestOutput)
    assert result.allowed_values == ["Red", "Blue"]
    assert [s.value for s in result.suggestions] == ["Red"]
    assert "Wool" not in result.rationale


def test_propose_apply_and_list(seed: Seed, approved: ToolContext, session: Session) -> None:
    tiktok, _ = seed.standard()
    product = seed.product("SKU-1", category_id="601226", attributes={"material": "wool"})
    seed.listing(product, tiktok, missing_attributes=[{"id": "100198", "name": "Colour"}])
    proposed = run_tool(
        "propose_attribute_fill",
        approved,
        {
            "sku": "SKU-1",
            "attribute_id": "100198",
            "attribute_name": "Colour",
            "values": ["Red"],
            "confidence": 0.8,
            "rationale": "Found in the title.",
        },
    )
    proposal_id = proposed.model_dump()["proposal_id"]
    pending = run_tool("list_attribute_proposals", approved, {})
    assert isinstance(pending, ListProposalsOutput)
    assert [p.id for p in pending.proposals] == [proposal_id]
    run_tool("apply_attribute_proposal", approved, {"proposal_id": proposal_id})
    session.expire_all()
    assert session.scalars(select(Product.attributes)).one() == {"material": "wool", "Colour": ["Red"]}
    assert session.scalars(select(ChannelListing.missing_attributes)).one() == []
    row = session.scalars(select(AttributeProposal)).one()
    assert (row.status, row.decided_by) == ("applied", "U-APPROVER")
    with pytest.raises(ToolError, match="already applied"):
        run_tool("reject_attribute_proposal", approved, {"proposal_id": proposal_id})


def test_reject_leaves_the_product_alone(seed: Seed, approved: ToolContext, session: Session) -> None:
    seed.standard()
    product = seed.product("SKU-1")
    proposal = AttributeProposal(
        product_id=product.id,
        category_id="1",
        attribute_id="2",
        attribute_name="Colour",
        values=["Red"],
        confidence=0.5,
        rationale="r",
        source="llm",
        status="pending",
    )
    session.add(proposal)
    session.flush()
    run_tool("reject_attribute_proposal", approved, {"proposal_id": proposal.id})
    session.expire_all()
    assert session.scalars(select(AttributeProposal.status)).one() == "rejected"
    assert session.scalars(select(Product.attributes)).one() == {}
