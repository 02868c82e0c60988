"""A product missing required attributes: held, proposals made, approved, then listed on the sandbox."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from connectors.engine.app import DaemonApp
from connectors.tiktok.attribute_fill.apply import apply_approved_proposal
from connectors.tiktok.attribute_fill.category_attributes import shared_cache
from store.models import AttributeProposal, Product
from tests.connectors.tiktok.catalog.catalog_data import listing_of, open_codes
from tests.connectors.tiktok.catalog.conftest import run_flow, tiktok_product
from tests.connectors.tiktok.conftest import START


@pytest.fixture
def store_url(database_url: str) -> str:
    # The whole path runs on SQLite and on PostgreSQL.
    return database_url


def add_tee_missing_attributes(session: Any, image_host: str) -> None:
    """A T-shirt whose text says its pattern, neckline and sleeves, but whose attributes do not."""
    session.add(
        Product(
            sku="TEE-PLAIN",
            title="Organic Cotton Crew Neck T-Shirt for Women",
            description="Soft organic cotton tee with short sleeves, in solid colours.\n\nMachine washable.",
            category_id="womens-tops",
            price=Decimal("18.00"),
            currency="USD",
            weight=Decimal("0.2"),
            weight_unit="kg",
            length=Decimal("30"),
            width=Decimal("25"),
            height=Decimal("3"),
            dimension_unit="cm",
            images=[f"{image_host}/images/tee-plain-1000x1000.png"],
            attributes={
                "brand": "Northloom",
                "Material": ["Organic Cotton"],
                "size_chart": f"{image_host}/images/tee-sizes-800x800.png",
            },
        )
    )


def test_missing_attributes_are_proposed_and_the_product_goes_live_after_approval(
    app: DaemonApp, sandbox: Any, image_host: str
) -> None:
    shared_cache().clear()
    with app.session_factory.begin() as session:
        add_tee_missing_attributes(session, image_host)
    assert run_flow(app, "push_products").get("held_missing_attributes") == 1
    assert tiktok_product(sandbox, "TEE-PLAIN") is None

    assert run_flow(app, "propose_attributes").get("proposals_created") == 3
    assert "proposals_created" not in run_flow(app, "propose_attributes")  # no duplicates
    with app.session_factory() as session:
        pending = session.scalars(select(AttributeProposal).order_by(AttributeProposal.attribute_name)).all()
        assert [(p.attribute_name, p.status, [v["name"] for v in p.values]) for p in pending] == [
            ("Neckline", "pending", ["Crew Neck"]),
            ("Pattern", "pending", ["Solid"]),
            ("Sleeve Length", "pending", ["Short Sleeve"]),
        ]
        ids = [p.id for p in pending]
    # Nothing is applied before approval: the product stays off TikTok.
    assert run_flow(app, "push_products").get("unchanged") == 1
    assert tiktok_product(sandbox, "TEE-PLAIN") is None

    with app.session_factory.begin() as session:
        for proposal_id in ids:
            apply_approved_proposal(session, proposal_id, decided_by="U-APPROVER", now=START)
        assert listing_of(session, "TEE-PLAIN").missing_attributes == []

    assert run_flow(app, "push_products").get("created") == 1
    listed = tiktok_product(sandbox, "TEE-PLAIN")
    assert listed is not None and listed["status"] == "PENDING"
    given = {a["id"]: [v.get("id") for v in a["values"]] for a in listed["product_attributes"]}
    assert given["100198"] == ["1000517"]  # Pattern: Solid
    assert given["100393"] == ["1000647"]  # Neckline: Crew Neck
    assert given["100394"] == ["1000725"]  # Sleeve Length: Short Sleeve
    with app.session_factory() as session:
        assert "tiktok.attribute_missing" not in open_codes(session, "TEE-PLAIN")
