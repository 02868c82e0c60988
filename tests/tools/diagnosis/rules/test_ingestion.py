"""The ingestion row of EXCEPTIONS.md: SKUs that match no master product."""

from __future__ import annotations

from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import Seed
from tools.registry import ToolContext


def test_sku_unmapped_names_the_near_miss_master_sku(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.product("ABC-1")
    seed.order(tiktok, skus=("abc-1 ",))
    seed.exception("sku.unmapped", entity_type="sku", entity_id="abc-1 ", category="ingestion")
    finding = only(diagnose(ctx), "sku.unmapped")
    assert 'SKU "abc-1 "' in finding.summary
    assert 'master SKU "ABC-1" differs only by case or whitespace' in finding.summary
    assert finding.evidence["near_miss_master_skus"] == ["ABC-1"]
    assert finding.fix is None


def test_sku_unmapped_without_near_miss_says_what_to_check(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.order(tiktok, skus=("NOPE-9",))
    finding = only(diagnose(ctx), "sku.unmapped")
    assert "not even ignoring case and whitespace" in finding.summary


def test_sku_unmapped_on_sfcc_offers_a_channel_sku_mapping(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.product("SKU-1")
    seed.order(tiktok)
    seed.exception("sku.unmapped", entity_type="sku", entity_id="SKU-1", category="ingestion")
    finding = only(diagnose(ctx), "sku.unmapped")
    assert finding.fix is not None
    assert finding.fix.tool == "map_sku"
    assert finding.fix.missing_arguments == ["channel_sku"]
