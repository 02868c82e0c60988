"""Attribute proposal writes (approval required): propose a fill, apply it, or reject it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from connectors.tiktok.attribute_fill.apply import (
    AttributeProposalError,
    apply_approved_proposal,
    attribute_key,
)
from connectors.tiktok.flows.propose_attributes import OPEN_STATUSES
from store.models import AttributeProposal, Product
from tools.attributes import proposal_by_id, tiktok_connection
from tools.lookups import find_product
from tools.models import ToolInput
from tools.registry import Change, Tool, ToolContext, ToolError, WriteResult


class ProposeInput(ToolInput):
    sku: str = Field(min_length=1, description="Master SKU of the product.")
    attribute_id: str = Field(min_length=1, description="TikTok attribute id.")
    attribute_name: str = Field(min_length=1, description="TikTok attribute name, e.g. 'Colour'.")
    values: list[str] = Field(min_length=1, description="Proposed value(s), from the allowed values.")
    confidence: float = Field(ge=0, le=1)
    rationale: str = Field(min_length=1, max_length=1000, description="Why; shown to the approver.")
    source: Literal["rules", "llm"] = "rules"
    category_id: str | None = Field(default=None, description="Defaults to the product's category.")
    connection: str | None = Field(default=None, description="TikTok connection; optional when there is one.")


class ProposalResult(WriteResult):
    proposal_id: int | None
    status: str


def preview_propose_attribute_fill(ctx: ToolContext, p: ProposeInput) -> Change:
    product = find_product(ctx.db(), p.sku)
    tiktok_connection(ctx.db(), p.connection)
    after = {
        "sku": product.sku,
        "attribute_id": p.attribute_id,
        "attribute_name": p.attribute_name,
        "values": p.values,
        "confidence": p.confidence,
        "source": p.source,
        "status": "pending",
    }
    return Change(
        entity_type="attribute_proposal",
        entity_id=f"{product.sku}:{p.attribute_id}",
        before=None,
        after=after,
    )


def propose_attribute_fill(ctx: ToolContext, p: ProposeInput) -> ProposalResult:
    """Record a proposed value for a missing TikTok attribute as a pending proposal; the product
    itself is unchanged until someone approves it with apply_attribute_proposal. Needs approval.
    """
    change = preview_propose_attribute_fill(ctx, p)
    session = ctx.db()
    product = find_product(session, p.sku)
    connection = tiktok_connection(session, p.connection)
    open_proposal = session.scalar(
        select(AttributeProposal).where(
            AttributeProposal.product_id == product.id,
            AttributeProposal.connection_id == connection.id,
            AttributeProposal.attribute_id == p.attribute_id,
            AttributeProposal.status.in_(OPEN_STATUSES),
        )
    )
    if open_proposal is not None:
        raise ToolError(
            f"Attribute {p.attribute_name} of {product.sku} already has {open_proposal.status} proposal "
            f"{open_proposal.id}; apply or reject that one instead of proposing again.",
            code="tool.conflict",
        )
    proposal = AttributeProposal(
        product_id=product.id,
        connection_id=connection.id,
        category_id=p.category_id or product.category_id or "",
        attribute_id=p.attribute_id,
        attribute_name=p.attribute_name,
        values=p.values,
        confidence=p.confidence,
        rationale=p.rationale,
        source=p.source,
        status="pending",
        created_at=ctx.now(),
    )
    session.add(proposal)
    session.flush()
    return ProposalResult(change=change, proposal_id=proposal.id, status="pending")


class DecideInput(ToolInput):
    proposal_id: int = Field(ge=1)


def _product_of(ctx: ToolContext, proposal: AttributeProposal) -> Product:
    product = ctx.db().get(Product, proposal.product_id)
    assert product is not None  # the foreign key guarantees it
    return product


def preview_apply_attribute_proposal(ctx: ToolContext, p: DecideInput) -> Change:
    proposal = proposal_by_id(ctx, p.proposal_id)
    product = _product_of(ctx, proposal)
    attributes = dict(product.attributes or {})
    key = attribute_key(attributes, proposal)
    return Change(
        entity_type="product",
        entity_id=product.sku,
        before={"attributes": {key: attributes.get(key)}, "proposal_status": proposal.status},
        after={
            "attributes": {key: list(proposal.values)},
            "proposal_status": "applied",
            "proposal_id": proposal.id,
        },
    )


def apply_attribute_proposal(ctx: ToolContext, p: DecideInput) -> ProposalResult:
    """Approve and apply a pending proposal: the value(s) are written to the product's attributes,
    the listing is validated again (the attribute leaves its missing list), and the catalog flow
    pushes the listing again on its next run. Needs approval.
    """
    change = preview_apply_attribute_proposal(ctx, p)
    try:
        applied = apply_approved_proposal(
            ctx.db(),
            p.proposal_id,
            decided_by=ctx.approval.approved_by if ctx.approval else ctx.actor,
            now=ctx.now(),
        )
    except AttributeProposalError as error:
        raise ToolError(error.message, code=f"tool.{error.code}") from None
    return ProposalResult(change=change, proposal_id=applied.proposal_id, status="applied")


def preview_reject_attribute_proposal(ctx: ToolContext, p: DecideInput) -> Change:
    proposal = proposal_by_id(ctx, p.proposal_id)
    return Change(
        entity_type="attribute_proposal",
        entity_id=str(proposal.id),
        before={"status": proposal.status},
        after={"status": "rejected"},
    )


def reject_attribute_proposal(ctx: ToolContext, p: DecideInput) -> ProposalResult:
    """Reject a pending proposal; the product is unchanged and the proposal is kept for the record.
    Needs approval (the rejection is a decision like any other).
    """
    change = preview_reject_attribute_proposal(ctx, p)
    proposal = proposal_by_id(ctx, p.proposal_id)
    proposal.status = "rejected"
    proposal.decided_by = ctx.approval.approved_by if ctx.approval else ctx.actor
    proposal.decided_at = ctx.now()
    ctx.db().flush()
    return ProposalResult(change=change, proposal_id=proposal.id, status=proposal.status)


TOOLS: list[Tool[Any, Any]] = [
    Tool(
        "propose_attribute_fill",
        "write",
        ProposeInput,
        ProposalResult,
        propose_attribute_fill,
        preview=preview_propose_attribute_fill,
    ),
    Tool(
        "apply_attribute_proposal",
        "write",
        DecideInput,
        ProposalResult,
        apply_attribute_proposal,
        preview=preview_apply_attribute_proposal,
    ),
    Tool(
        "reject_attribute_proposal",
        "write",
        DecideInput,
        ProposalResult,
        reject_attribute_proposal,
        preview=preview_reject_attribute_proposal,
    ),
]
