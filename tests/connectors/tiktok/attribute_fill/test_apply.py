"""apply_approved_proposal: the value lands on the product, the listing is re-validated and re-pushed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from connectors.tiktok.attribute_fill.apply import AttributeProposalError, apply_approved_proposal
from store.models import AttributeProposal, ChannelListing, Connection, Product
from tests.connectors.tiktok.attribute_fill.conftest import seed_items

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def setup(session: Session, **attributes: object) -> tuple[Product, ChannelListing, Connection]:
    connection = Connection(name="tt", type="tiktok", settings={})
    session.add(connection)
    session.flush()
    product = Product(sku="TEE-1", title="Crew neck tee", category_id="601226", attributes=attributes)
    session.add(product)
    session.flush()
    missing = [
        {
            **item,
            "field": f"product_attributes[id={item['id']}]",
            "rule": "attributes.required",
            "category_id": "601226",
        }
        for item in seed_items("601226", "Material", "Neckline")
    ]
    certification = {"field": "size_chart", "rule": "size_chart.required", "message": "needs a size chart"}
    listing = ChannelListing(
        product_id=product.id,
        connection_id=connection.id,
        status="draft",
        missing_attributes=[*missing, certification],
        content_hash="pushed-before",
    )
    session.add(listing)
    session.flush()
    return product, listing, connection


def proposal(
    session: Session, product: Product, connection: Connection, name: str, values: list[object]
) -> int:
    attribute_id = seed_items("601226", name)[0]["id"]
    row = AttributeProposal(
        product_id=product.id,
        connection_id=connection.id,
        category_id="601226",
        attribute_id=attribute_id,
        attribute_name=name,
        values=values,
        confidence=0.9,
        rationale="r",
        source="rules",
        status="pending",
    )
    session.add(row)
    session.flush()
    return row.id


def test_apply_writes_the_value_revalidates_and_marks_for_push(session: Session) -> None:
    product, listing, connection = setup(session, brand="Northline", fabric_note="soft")
    proposal_id = proposal(session, product, connection, "Material", [{"id": "1000387", "name": "Cotton"}])
    applied = apply_approved_proposal(session, proposal_id, decided_by="U-APPROVER", now=NOW)
    session.expire_all()
    assert product.attributes == {
        "brand": "Northline",
        "fabric_note": "soft",
        "Material": [{"id": "1000387", "name": "Cotton"}],
    }
    # Material left the missing list; Neckline and the non-attribute entry stay.
    names = [m.get("name") or m["field"] for m in listing.missing_attributes]
    assert names == ["Neckline", "size_chart"]
    assert applied.still_missing == {listing.id: ["Neckline"]}
    assert listing.content_hash is None
    row = session.get(AttributeProposal, proposal_id)
    assert row is not None and (row.status, row.decided_by, row.decided_at) == ("applied", "U-APPROVER", NOW)


def test_apply_uses_the_key_the_product_already_has(session: Session) -> None:
    product, _listing, connection = setup(session, material="")
    proposal_id = proposal(session, product, connection, "Material", [{"id": "1000387", "name": "Cotton"}])
    apply_approved_proposal(session, proposal_id, decided_by="U-APPROVER", now=NOW)
    session.expire_all()
    assert product.attributes == {"material": [{"id": "1000387", "name": "Cotton"}]}


def test_a_value_the_category_does_not_allow_keeps_the_attribute_missing(session: Session) -> None:
    product, listing, connection = setup(session)
    # A person-typed proposal (propose_attribute_fill takes names); this one is not a listed value.
    proposal_id = proposal(session, product, connection, "Neckline", ["Turtleneck"])
    applied = apply_approved_proposal(session, proposal_id, decided_by="U-APPROVER", now=NOW)
    # The value is written and the push will report it as invalid; it is no longer "missing".
    assert applied.still_missing == {listing.id: ["Material"]}


def test_apply_twice_or_unknown_is_refused(session: Session) -> None:
    product, _listing, connection = setup(session)
    proposal_id = proposal(session, product, connection, "Material", [{"id": "1000387", "name": "Cotton"}])
    apply_approved_proposal(session, proposal_id, decided_by="U-APPROVER", now=NOW)
    with pytest.raises(AttributeProposalError) as info:
        apply_approved_proposal(session, proposal_id, decided_by="U-APPROVER", now=NOW)
    assert info.value.code == "conflict" and "already applied" in info.value.message
    with pytest.raises(AttributeProposalError) as info:
        apply_approved_proposal(session, 987654, decided_by="U-APPROVER", now=NOW)
    assert info.value.code == "not_found"
