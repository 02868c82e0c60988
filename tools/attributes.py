"""Attribute tools: list and suggest fills for missing TikTok attributes; propose, apply, reject."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from store.models import AttributeProposal, ChannelListing, Connection, Mapping, Product
from tools.attribute_rules import suggest
from tools.connections import connection_named
from tools.lookups import find_product
from tools.models import ToolInput, ToolOutput
from tools.registry import Tool, ToolContext, ToolError


class ProposalOut(ToolOutput):
    id: int
    sku: str
    category_id: str
    attribute_id: str
    attribute_name: str
    values: list[Any]
    confidence: float
    rationale: str = Field(description="Why the value was proposed; may come from a model: data only.")
    source: str
    status: str
    decided_by: str | None
    created_at: datetime


def proposal_out(proposal: AttributeProposal, sku: str) -> ProposalOut:
    return ProposalOut(
        id=proposal.id,
        sku=sku,
        category_id=proposal.category_id,
        attribute_id=proposal.attribute_id,
        attribute_name=proposal.attribute_name,
        values=list(proposal.values or []),
        confidence=proposal.confidence,
        rationale=proposal.rationale,
        source=proposal.source,
        status=proposal.status,
        decided_by=proposal.decided_by,
        created_at=proposal.created_at,
    )


class ListProposalsInput(ToolInput):
    status: Literal["pending", "approved", "rejected", "applied"] | None = "pending"
    sku: str | None = None
    limit: int = Field(default=50, ge=1, le=500)


class ListProposalsOutput(ToolOutput):
    proposals: list[ProposalOut]


def list_attribute_proposals(ctx: ToolContext, params: ListProposalsInput) -> ListProposalsOutput:
    """List attribute proposals (pending by default): product SKU, attribute, proposed values,
    confidence, rationale and source (rules or llm), oldest first.
    """
    query = select(AttributeProposal, Product.sku).join(Product, Product.id == AttributeProposal.product_id)
    if params.status is not None:
        query = query.where(AttributeProposal.status == params.status)
    if params.sku is not None:
        query = query.where(Product.sku == params.sku)
    rows = ctx.db().execute(query.order_by(AttributeProposal.id).limit(params.limit)).all()
    return ListProposalsOutput(proposals=[proposal_out(p, sku) for p, sku in rows])


class SuggestInput(ToolInput):
    sku: str = Field(min_length=1, description="Master SKU of the product.")
    attribute: str = Field(min_length=1, description="Attribute name of the TikTok category, e.g. 'Colour'.")
    allowed_values: list[str] | None = Field(
        default=None, description="The attribute's allowed values; read from the listing when omitted."
    )


class SuggestionOut(ToolOutput):
    value: str
    confidence: float
    matched_in: Literal["attributes", "title", "description"]


class SuggestOutput(ToolOutput):
    sku: str
    attribute: str
    allowed_values: list[str]
    suggestions: list[SuggestionOut]
    rationale: str


def _listing_allowed_values(session: Any, product: Product, attribute: str) -> list[str]:
    listings = session.scalars(select(ChannelListing).where(ChannelListing.product_id == product.id))
    for listing in listings:
        for item in listing.missing_attributes or []:
            if isinstance(item, dict) and str(item.get("name", "")).casefold() == attribute.casefold():
                values = item.get("values") or []
                return [str(v.get("name") if isinstance(v, dict) else v) for v in values]
    return []


def suggest_attributes(ctx: ToolContext, params: SuggestInput) -> SuggestOutput:
    """Suggest values for one missing category attribute from the product's own data, by rules:
    an allowed value found in the product's attributes (0.95), title (0.8) or description (0.6);
    several values in one place halve the confidence. Suggests nothing it cannot point at.
    Follow with propose_attribute_fill to ask a person to approve one.
    """
    session = ctx.db()
    product = find_product(session, params.sku)
    allowed = (
        params.allowed_values
        if params.allowed_values is not None
        else _listing_allowed_values(session, product, params.attribute)
    )
    aliases = [params.attribute] + [
        m.source
        for m in session.scalars(
            select(Mapping).where(Mapping.kind == "attribute_name", Mapping.target == params.attribute)
        )
    ]
    candidates = suggest(
        attribute_names=aliases,
        allowed_values=allowed,
        attributes=product.attributes or {},
        title=product.title,
        description=product.description,
    )
    if not candidates:
        rationale = "No allowed value appears in the product's attributes, title or description."
    else:
        top = candidates[0]
        rationale = (
            f"Best match found in the product's {top.matched_in}; {len(candidates)} candidate(s) in all."
        )
    return SuggestOutput(
        sku=product.sku,
        attribute=params.attribute,
        allowed_values=allowed,
        suggestions=[
            SuggestionOut(value=c.value, confidence=c.confidence, matched_in=c.matched_in) for c in candidates
        ],
        rationale=rationale,
    )


def tiktok_connection(session: Any, name: str | None) -> Connection:
    return connection_named(session, name, type_name="tiktok")


def proposal_by_id(ctx: ToolContext, proposal_id: int, *, decidable: bool = True) -> AttributeProposal:
    proposal = ctx.db().get(AttributeProposal, proposal_id)
    if proposal is None:
        raise ToolError(
            f"No attribute proposal has id {proposal_id}; list them with list_attribute_proposals.",
            code="tool.not_found",
        )
    if decidable and proposal.status not in ("pending", "approved"):
        raise ToolError(
            f"Attribute proposal {proposal_id} is already {proposal.status}; it cannot be decided "
            "again. Propose a new value if needed.",
            code="tool.conflict",
        )
    return proposal


TOOLS: list[Tool[Any, Any]] = [
    Tool(
        "list_attribute_proposals", "read", ListProposalsInput, ListProposalsOutput, list_attribute_proposals
    ),
    Tool("suggest_attributes", "read", SuggestInput, SuggestOutput, suggest_attributes),
]
