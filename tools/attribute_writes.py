"""Attribute proposal writes (approval required): propose a fill, apply it, or reject it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from store.models import AttributeProposal, ChannelListing, Product
from tools.attributes import proposal_by_id, tiktok_connection
from tools.lookups import find_product
from tools.models import ToolInput
from tools.registry import Change, Tool, ToolContext, WriteResult


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
    current = (product.attributes or {}).get(proposal.attribute_name)
    return Change(
        entity_type="product",
        entity_id=product.sku,
        before={"attributes": {proposal.attribute_name: current}, "proposal_status": proposal.status},
        after={
            "attributes": {proposal.attribute_name: list(proposal.values)},
            "proposal_status": "applied",
            "proposal_id": proposal.id,
        },
    )


def apply_attribute_proposal(ctx: ToolContext, p: DecideInput) -> ProposalResult:
    """Approve and apply a pending proposal: the value(s) are written to the product's attributes
    under the attribute name, the attribute leaves the listing's missing list, and the listing is
    pushed again by the catalog flow. Needs approval.
    """
    change = preview_apply_attribute_proposal(ctx, p)
    session = ctx.db()
    proposal = proposal_by_id(ctx, p.proposal_id)
    product = _product_of(ctx, proposal)
    # Assign a new dict: JSON columns do not track in-place mutation.
    product.attributes = dict(product.attributes or {}) | {proposal.attribute_name: list(proposal.values)}
    product.updated_at = ctx.now()
    for listing in session.scalars(select(ChannelListing).where(ChannelListing.product_id == product.id)):
        if proposal.connection_id is not None and listing.connection_id != proposal.connection_id:
            continue
        listing.missing_attributes = [m for m in listing.missing_attributes or [] if not _names(m, proposal)]
    proposal.status = "applied"
    proposal.decided_by = ctx.approval.approved_by if ctx.approval else ctx.actor
    proposal.decided_at = ctx.now()
    session.flush()
    return ProposalResult(change=change, proposal_id=proposal.id, status=proposal.status)


def _names(item: Any, proposal: AttributeProposal) -> bool:
    keys = {proposal.attribute_id.casefold(), proposal.attribute_name.casefold()}
    if isinstance(item, dict):
        return any(str(item.get(k, "")).casefold() in keys for k in ("id", "name", "attribute_name"))
    return str(item).casefold() in keys


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
