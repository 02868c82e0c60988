"""Stock the inventory push could not bring to TikTok: unlisted SKUs, refused quantities, sold items."""

from __future__ import annotations

from typing import Any

from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import Seed
from tools.registry import ToolContext


def _stock_failure(
    seed: Seed,
    code: str,
    *,
    fault: Any = None,
    product: bool = True,
    tiktok_settings: dict[str, Any] | None = None,
    **listing: Any,
) -> None:
    tiktok, _ = seed.standard()
    tiktok.settings = tiktok_settings or {}
    if product:
        row = seed.product("SKU-1")
        if listing:
            seed.listing(row, tiktok, **listing)
    seed.order(tiktok)
    seed.exception(code, entity_type="sku", entity_id="SKU-1", category="inventory", fault=fault)


def test_listing_missing_says_to_list_the_exact_seller_sku(seed: Seed, ctx: ToolContext) -> None:
    _stock_failure(seed, "tiktok.listing_missing", fault={"sku": "SKU-1"})
    finding = only(diagnose(ctx), "tiktok.listing_missing")
    assert "no TikTok product of connection tiktok-us has this seller SKU" in finding.summary
    assert 'seller SKU "SKU-1" exactly' in finding.next_steps[0]
    assert "inventory_skus" in finding.next_steps[1]
    assert finding.fix is None  # TikTok has no SKU mapping a tool could write


def test_listing_missing_without_a_master_product_points_at_the_catalog(seed: Seed, ctx: ToolContext) -> None:
    _stock_failure(seed, "tiktok.listing_missing", product=False)
    seed.product("sku-1 ")
    finding = only(diagnose(ctx), "tiktok.listing_missing")
    assert "no master product has this SKU" in finding.summary
    assert finding.next_steps[0] == 'Master SKU "sku-1 " differs only by case or whitespace.'


def test_listing_missing_found_since_needs_nothing(seed: Seed, ctx: ToolContext) -> None:
    _stock_failure(
        seed, "tiktok.listing_missing", status="active", external_product_id="1729", external_sku_id="1729001"
    )
    finding = only(diagnose(ctx), "tiktok.listing_missing")
    assert 'TikTok lists SKU "SKU-1" now (TikTok SKU 1729001)' in finding.summary
    assert finding.next_steps == []


def test_inventory_rejected_blames_a_listing_that_is_not_live(seed: Seed, ctx: ToolContext) -> None:
    fault = {"code": 12019022, "message": "no valid warehouse", "detail": {"sku_id": "1729001"}}
    _stock_failure(
        seed,
        "tiktok.inventory_rejected",
        fault=fault,
        status="inactive",
        external_product_id="1729",
        external_sku_id="1729001",
    )
    finding = only(diagnose(ctx), "tiktok.inventory_rejected")
    assert "its TikTok listing is inactive" in finding.summary
    assert finding.evidence["tiktok_code"] == 12019022
    assert finding.evidence["tiktok_sku_id"] == "1729001"
    assert "the shop's default warehouse" in finding.next_steps[1]


def test_inventory_rejected_names_the_configured_warehouse(seed: Seed, ctx: ToolContext) -> None:
    _stock_failure(
        seed,
        "tiktok.inventory_rejected",
        tiktok_settings={"default_warehouse_id": "7068517275539719942"},
        status="active",
        external_sku_id="1729001",
    )
    finding = only(diagnose(ctx), "tiktok.inventory_rejected")
    assert "check the product is live and the warehouse is one of the shop's" in finding.summary
    assert "default_warehouse_id 7068517275539719942" in finding.next_steps[1]


def test_inventory_rejected_names_the_mapped_warehouses(seed: Seed, ctx: ToolContext) -> None:
    fault = {"code": 12052990, "message": "refused", "detail": {"sku_id": "1729001"}}
    _stock_failure(
        seed,
        "tiktok.inventory_rejected",
        fault=fault,
        tiktok_settings={"inventory_warehouses": {"east-list": "7001", "west-list": "7002", "spare": "7001"}},
        status="active",
        external_sku_id="1729001",
    )
    finding = only(diagnose(ctx), "tiktok.inventory_rejected")
    assert "the warehouses of inventory_warehouses (7001, 7002)" in finding.next_steps[1]
    assert "inventory_warehouses" in finding.next_steps[1].rsplit("change", 1)[1]
    assert "default_warehouse_id" not in finding.next_steps[1]
    assert finding.evidence["inventory_warehouses"]["west-list"] == "7002"


def test_deactivate_failed_names_the_product_and_the_risk(seed: Seed, ctx: ToolContext) -> None:
    fault = {"code": 12052034, "message": "not yours", "detail": {"product_id": "1729"}}
    _stock_failure(seed, "tiktok.deactivate_failed", fault=fault, status="active", external_product_id="1729")
    finding = only(diagnose(ctx), "tiktok.deactivate_failed")
    assert "refused to deactivate its product 1729" in finding.summary
    assert "can be sold twice" in finding.summary
