"""Catalog and inventory rows of EXCEPTIONS.md."""

from __future__ import annotations

from store.models import AttributeProposal
from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import Seed
from tools.registry import ToolContext


def test_catalog_not_pulled_when_the_pull_is_off(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard(pull_product_catalog=False)
    seed.order(tiktok)
    finding = only(diagnose(ctx), "catalog.not_pulled")
    assert "pulling the product catalog is off on connection sfcc-main" in finding.summary
    assert finding.evidence["unknown_skus"] == ["SKU-1"]
    assert any("force_catalog_resync" in step for step in finding.next_steps)


def test_catalog_not_pulled_for_missing_scope(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _sfcc = seed.standard()
    seed.product("SKU-1")
    seed.order(tiktok)
    seed.exception(
        "catalog.not_pulled",
        entity_type="connection",
        entity_id="sfcc-main",
        category="catalog",
        fault={"type": "insufficient_scope", "arguments": {"scope": "sfcc.catalogs.rw"}},
    )
    finding = only(diagnose(ctx), "catalog.not_pulled")
    assert "scopes" in finding.summary
    assert (
        finding.next_steps[0]
        == "Make sure the B2C API client has the scope sfcc.catalogs.rw in Account Manager."
    )


def test_inventory_mismatch_explains_the_buffer(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    tiktok.settings = {"inventory_buffer": 3}
    seed.product("SKU-1")
    seed.order(tiktok)
    seed.exception("inventory.mismatch", entity_type="sku", entity_id="SKU-1", category="inventory")
    finding = only(diagnose(ctx), "inventory.mismatch")
    assert "buffer of 3 units" in finding.summary


def test_attribute_missing_offers_the_pending_proposal(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    product = seed.product("SKU-1", category_id="601226")
    seed.listing(product, tiktok, status="draft", missing_attributes=[{"id": "100198", "name": "Colour"}])
    proposal = AttributeProposal(
        product_id=product.id,
        category_id="601226",
        attribute_id="100198",
        attribute_name="Colour",
        values=["Red"],
        confidence=0.8,
        rationale="title",
        source="rules",
        status="pending",
    )
    seed.session.add(proposal)
    seed.session.flush()
    seed.order(tiktok)
    finding = only(diagnose(ctx), "tiktok.attribute_missing")
    assert "stuck as draft" in finding.summary
    assert finding.fix is not None
    assert finding.fix.tool == "apply_attribute_proposal"
    assert finding.fix.arguments == {"proposal_id": proposal.id}


def test_listing_invalid_names_field_and_rule(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    product = seed.product("SKU-1")
    seed.listing(
        product,
        tiktok,
        status="failed",
        validation_errors=[
            {
                "code": "tiktok.listing_invalid",
                "field": "title",
                "rule": "title.max_length",
                "message": "too long",
            }
        ],
    )
    seed.order(tiktok)
    finding = only(diagnose(ctx), "tiktok.listing_invalid")
    assert 'first "title.max_length" on field "title"' in finding.summary
