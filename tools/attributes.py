"""Attribute tools: list proposals, and suggest values for missing TikTok attributes (read-only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from connectors.tiktok.attribute_fill import RulesBackend, SuggestRequest, SuggestResponse, suggest
from store.models import AttributeProposal, Connection, Product
from tools.attribute_rules import request_for_product, tool_backend
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


class SuggestAttributesInput(SuggestRequest):
    """``{"product": {...}, "attributes": [<Get Attributes items>]}``; unknown fields are refused."""


def suggest_attributes(ctx: ToolContext, params: SuggestAttributesInput) -> SuggestResponse:
    """Propose values for a product's TikTok category attributes. Input: {"product": {"title",
    "description", "brand", "variant_options": {name: [values]}, "attributes": {key: value},
    "category_id"}, "attributes": [items exactly as TikTok's Get Attributes returns them]}. Output:
    {"proposals": [{"attribute_id", "attribute_name", "values": [{"id", "name"}], "confidence",
    "rationale", "source": "rules"|"llm"}], "unfilled": [{"attribute_id", "reason"}]}. Values are ids
    from each attribute's own list (id null only for a custom value where the attribute allows one);
    nothing is invented: an attribute the product data does not support is unfilled, with the reason.
    Changes nothing; follow with propose_attribute_fill to ask a person to approve a value.
    """
    return suggest(params, tool_backend(ctx), fallback=RulesBackend())


class SuggestForSkuInput(ToolInput):
    sku: str = Field(min_length=1, description="Master SKU of the product.")
    attribute: str | None = Field(
        default=None, description="One missing attribute, by name or id (default: every missing one)."
    )
    connection: str | None = Field(default=None, description="TikTok connection; optional when there is one.")


class SuggestForSkuOutput(SuggestResponse):
    sku: str
    category_id: str


def suggest_attributes_for_sku(ctx: ToolContext, params: SuggestForSkuInput) -> SuggestForSkuOutput:
    """Propose values for the missing TikTok attributes of a stored product (all, or the one named),
    from its master data and the attribute descriptions its listing recorded when it was validated.
    Same output as suggest_attributes, plus the SKU and category. Changes nothing.
    """
    session = ctx.db()
    product = find_product(session, params.sku)
    connection = tiktok_connection(session, params.connection) if params.connection else None
    category_id, request = request_for_product(session, product, params.attribute, connection)
    response = suggest(request, tool_backend(ctx), fallback=RulesBackend())
    return SuggestForSkuOutput(
        sku=product.sku, category_id=category_id, proposals=response.proposals, unfilled=response.unfilled
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
    Tool("suggest_attributes", "read", SuggestAttributesInput, SuggestResponse, suggest_attributes),
    Tool(
        "suggest_attributes_for_sku",
        "read",
        SuggestForSkuInput,
        SuggestForSkuOutput,
        suggest_attributes_for_sku,
    ),
]
