"""Catalog failures recorded on an order's products: shared SKUs, conflicting products, variants."""

from __future__ import annotations

from store.models import ChannelListing
from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import Seed
from tools import run_tool
from tools.registry import ToolContext


def test_duplicate_sku_names_both_tiktok_products(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.order(tiktok)
    seed.exception(
        "catalog.duplicate_sku",
        entity_type="sku",
        entity_id="SKU-1",
        category="catalog",
        fault={"sku": "SKU-1", "products": ["1729", "1730"]},
    )
    finding = only(diagnose(ctx), "catalog.duplicate_sku")
    assert finding.summary.startswith('TikTok products 1729, 1730 all use seller SKU "SKU-1"')
    assert finding.evidence["tiktok_products"] == ["1729", "1730"]


def test_duplicate_sku_within_one_product(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.order(tiktok)
    seed.exception(
        "catalog.duplicate_sku",
        entity_type="sku",
        entity_id="SKU-1",
        fault={"sku": "SKU-1", "products": ["1729"]},
    )
    finding = only(diagnose(ctx), "catalog.duplicate_sku")
    assert finding.summary.startswith('TikTok product 1729 uses, on several SKUs, seller SKU "SKU-1"')


def test_sku_conflict_offers_map_sku_for_the_sfcc_product(
    seed: Seed, ctx: ToolContext, approved: ToolContext
) -> None:
    tiktok, sfcc = seed.standard()
    seed.product("SKU-1")
    seed.product("SKU-1-BLUE")
    seed.order(tiktok)
    seed.exception(
        "catalog.sku_conflict",
        entity_type="product",
        entity_id="SKU-1",
        category="catalog",
        connection=sfcc,
        fault={
            "sfcc_product_id": "SKU-1",
            "master_sku": "SKU-1",
            "reason": "is already the master product of SFCC product 'P-77'",
        },
    )
    finding = only(diagnose(ctx), "catalog.sku_conflict")
    assert 'SFCC product "SKU-1" on connection sfcc-main claims master SKU "SKU-1"' in finding.summary
    assert finding.evidence["reason"] == "is already the master product of SFCC product 'P-77'"
    assert finding.fix is not None
    assert finding.fix.tool == "map_sku"
    assert finding.fix.arguments == {"connection": "sfcc-main", "channel_sku": "SKU-1"}
    assert finding.fix.missing_arguments == ["sku"]
    run_tool("map_sku", approved, finding.fix.arguments | {"sku": "SKU-1-BLUE"})
    mapped = seed.session.query(ChannelListing).filter_by(channel_sku="SKU-1").one()
    assert mapped.connection_id == sfcc.id


def test_variants_inconsistent_on_the_master_of_a_variant(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.product("SHIRT")
    seed.product("SKU-1", parent_sku="SHIRT")
    seed.order(tiktok)
    seed.exception(
        "catalog.variants_inconsistent",
        entity_type="product",
        entity_id="SHIRT",
        category="catalog",
        fault={"extra": ["SHIRT-XXL"], "absent": ["SKU-1", "SHIRT-S"]},
    )
    finding = only(diagnose(ctx), "catalog.variants_inconsistent")
    assert "(1 only on TikTok, 2 missing on TikTok)" in finding.summary
    assert finding.next_steps[0] == 'Only on TikTok: "SHIRT-XXL". Missing on TikTok: "SKU-1", "SHIRT-S".'
    assert "[connections.tiktok-us.catalog]" in finding.next_steps[2]


def test_a_refusal_by_tiktok_is_explained_from_the_record(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    product = seed.product("SKU-1")
    seed.listing(product, tiktok, status="active", validation_errors=[], missing_attributes=[])
    seed.order(tiktok)
    seed.exception(
        "tiktok.listing_invalid",
        entity_type="product",
        entity_id="SKU-1",
        category="catalog",
        fault={"errors": [{"code": 12052034, "message": "product does not belong to this shop"}]},
    )
    finding = only(diagnose(ctx), "tiktok.listing_invalid")
    assert finding.summary.startswith('Product "SKU-1" was refused by TikTok or its audit: it breaks a rule')


def test_a_listing_that_shows_the_problem_is_not_reported_twice(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    product = seed.product("SKU-1")
    seed.listing(product, tiktok, status="draft", missing_attributes=[{"id": "100198", "name": "Colour"}])
    seed.order(tiktok)
    seed.exception("tiktok.attribute_missing", entity_type="product", entity_id="SKU-1", category="catalog")
    finding = only(diagnose(ctx), "tiktok.attribute_missing")
    assert "stuck as draft" in finding.summary


def test_sku_unmapped_recorded_on_the_order_keeps_its_evidence(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.order(tiktok, skus=("sku-1",))
    seed.product("SKU-1")
    seed.exception("sku.unmapped", category="ingestion", fault={"seller_sku": "sku-1", "near_miss": "SKU-1"})
    finding = only(diagnose(ctx), "sku.unmapped")
    assert 'change the seller SKU on TikTok to "SKU-1"' in finding.summary
    assert finding.evidence["fault_arguments"] == {} and finding.evidence["count"] == 2
