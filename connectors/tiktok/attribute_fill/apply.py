"""Apply an approved attribute proposal: write the value, re-validate the listing, mark it for re-push.

The value goes into ``Product.attributes`` under the attribute's name (or the key the product already
uses for it), as ``{"id", "name"}`` items the push sends by id. The listing's missing attributes are
checked again with the listing validation rules against the attribute descriptions the push recorded,
and its content hash is cleared: the push flow pushes any listing whose hash differs from the
product's, so the product goes live on its next run (or becomes a draft, per the catalog settings)
once nothing required is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.tiktok.flows.catalog_source import read_source
from connectors.tiktok.flows.catalog_store import attribute_name_mappings
from connectors.tiktok.flows.propose_attributes import OPEN_STATUSES, missing_attribute_ids
from store.models import AttributeProposal, ChannelListing, Connection, Product

from .models import AttributeItem

__all__ = ["AppliedProposal", "AttributeProposalError", "apply_approved_proposal", "attribute_key"]


class AttributeProposalError(Exception):
    """A proposal cannot be applied; ``code`` is ``not_found`` or ``conflict``."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class AppliedProposal:
    """What applying changed: the product's value, and what each listing still lacks."""

    proposal_id: int
    sku: str
    attribute_name: str
    values: list[Any]
    still_missing: dict[int, list[str]] = field(default_factory=dict)  # listing id -> attribute names


def attribute_key(attributes: dict[str, Any], proposal: AttributeProposal) -> str:
    """The key the product already uses for this attribute (id or name, any case), else its name."""
    wanted = {proposal.attribute_id.casefold(), proposal.attribute_name.strip().casefold()}
    return next((k for k in attributes if str(k).strip().casefold() in wanted), proposal.attribute_name)


def _as_required(entry: dict[str, Any]) -> dict[str, Any]:
    """A recorded entry as an attribute to check. It was missing, so it was required: outright, or by a
    condition the entry does not keep (then it stays required until the push validates again)."""
    if entry.get("rule") == "attributes.conditionally_required" or not (
        "is_requried" in entry or "is_required" in entry
    ):
        return {**entry, "is_requried": True, "is_required": True}
    return entry


def _revalidate(session: Session, listing: ChannelListing, product: Product) -> list[str]:
    """Recompute the listing's missing attributes; returns the names still missing."""
    entries = list(listing.missing_attributes or [])
    described = [e for e in entries if isinstance(e, dict) and e.get("id")]
    if not described:
        return []
    category_id = str(described[0].get("category_id") or product.category_id or "")
    items = [AttributeItem.model_validate(_as_required(e)) for e in described]
    source = read_source(session, product, attribute_name_mappings(session, listing.connection_id))
    still = set(missing_attribute_ids(source, category_id, items))
    # Entries without an attribute id (certifications, size chart, TikTok rejections) stay as they are.
    kept = [e for e in entries if not (isinstance(e, dict) and e.get("id")) or str(e["id"]) in still]
    listing.missing_attributes = kept
    return [str(e.get("name") or e["id"]) for e in kept if isinstance(e, dict) and e.get("id")]


def apply_approved_proposal(
    session: Session, proposal_id: int, *, decided_by: str, now: datetime
) -> AppliedProposal:
    """Apply proposal ``proposal_id`` (pending or approved), approved by ``decided_by``.

    Flushes, never commits: the caller owns the transaction.
    """
    proposal = session.get(AttributeProposal, proposal_id)
    if proposal is None:
        raise AttributeProposalError(
            f"No attribute proposal has id {proposal_id}; list the pending ones to find the right id.",
            code="not_found",
        )
    if proposal.status not in OPEN_STATUSES:
        raise AttributeProposalError(
            f"Attribute proposal {proposal_id} is already {proposal.status}; it cannot be applied again. "
            "Propose a new value if the product still needs one.",
            code="conflict",
        )
    product = session.get(Product, proposal.product_id)
    if product is None:  # the foreign key cascades deletes, so this is a race with a deletion
        raise AttributeProposalError(
            f"The product of proposal {proposal_id} no longer exists.", code="not_found"
        )
    values = list(proposal.values or [])
    attributes = dict(product.attributes or {})
    # Assign a new dict: JSON columns do not track in-place mutation.
    product.attributes = attributes | {attribute_key(attributes, proposal): values}
    product.updated_at = now
    query = select(ChannelListing).where(ChannelListing.product_id == product.id)
    if proposal.connection_id is not None:
        query = query.where(ChannelListing.connection_id == proposal.connection_id)
    else:
        query = query.join(Connection, Connection.id == ChannelListing.connection_id).where(
            Connection.type == "tiktok"
        )
    still_missing: dict[int, list[str]] = {}
    for listing in session.scalars(query):
        still_missing[listing.id] = _revalidate(session, listing, product)
        listing.content_hash = None  # the push compares hashes: this listing is pushed again
    proposal.status = "applied"
    proposal.decided_by = decided_by
    proposal.decided_at = now
    session.flush()
    return AppliedProposal(proposal.id, product.sku, proposal.attribute_name, values, still_missing)
