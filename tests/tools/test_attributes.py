"""Attribute proposals and their decisions (suggestions: test_suggest_attributes.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AttributeProposal, ChannelListing, Product
from tests.tools.seeding import Seed
from tools import run_tool
from tools.attributes import ListProposalsOutput
from tools.registry import ToolContext, ToolError


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


def test_propose_refuses_a_second_open_proposal_for_the_same_attribute(
    seed: Seed, approved: ToolContext
) -> None:
    seed.standard()
    seed.product("SKU-1", category_id="601226")
    arguments = {
        "sku": "SKU-1",
        "attribute_id": "100198",
        "attribute_name": "Pattern",
        "values": ["Solid"],
        "confidence": 0.8,
        "rationale": "Found in the title.",
    }
    first = run_tool("propose_attribute_fill", approved, arguments)
    with pytest.raises(ToolError) as info:
        run_tool("propose_attribute_fill", approved, arguments | {"values": ["Striped"]})
    assert info.value.code == "tool.conflict"
    assert str(first.model_dump()["proposal_id"]) in info.value.message
