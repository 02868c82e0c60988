"""get_product, find_sku, list_unmapped_skus, inventory_for_sku."""

from __future__ import annotations

from sqlalchemy.orm import Session

from store.models import InventoryLevel, Location
from tests.tools.seeding import NOW, Seed
from tools import run_tool
from tools.catalog import FindSkuOutput, InventoryOutput, ListUnmappedOutput, ProductOut
from tools.registry import ToolContext


def test_get_product_includes_listings(seed: Seed, ctx: ToolContext) -> None:
    _, sfcc = seed.standard()
    product = seed.product("SKU-1", attributes={"colour": "Red"})
    seed.listing(product, sfcc, channel_sku="sfcc-1")
    result = run_tool("get_product", ctx, {"sku": "SKU-1"})
    assert isinstance(result, ProductOut)
    assert result.attributes == {"colour": "Red"}
    assert result.listings[0].channel_sku == "sfcc-1"


def test_find_sku_exact_then_near_misses(seed: Seed, ctx: ToolContext) -> None:
    _, sfcc = seed.standard()
    product = seed.product("ABC-1")
    seed.product("abc- 1")
    seed.listing(product, sfcc, channel_sku="abc-1")
    result = run_tool("find_sku", ctx, {"sku": "abc-1"})
    assert isinstance(result, FindSkuOutput)
    assert result.exact is None
    assert result.channel_matches == [{"connection": "sfcc-main", "master_sku": "ABC-1"}]
    assert result.near_misses == ["ABC-1", "abc- 1"]
    exact = run_tool("find_sku", ctx, {"sku": "ABC-1"})
    assert isinstance(exact, FindSkuOutput)
    assert exact.exact == "ABC-1"
    assert exact.near_misses == ["abc- 1"]


def test_list_unmapped_skus_counts_lines(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.product("ABC-1")
    seed.order(tiktok, external_id="1", skus=("abc-1", "ABC-1"))
    seed.order(tiktok, external_id="2", skus=("abc-1",))
    result = run_tool("list_unmapped_skus", ctx, {})
    assert isinstance(result, ListUnmappedOutput)
    assert [(s.sku, s.order_lines, s.near_misses) for s in result.skus] == [("abc-1", 2, ["ABC-1"])]


def test_inventory_for_sku_sums_locations(seed: Seed, ctx: ToolContext, session: Session) -> None:
    _, sfcc = seed.standard()
    for n, available in enumerate((4, 6)):
        location = Location(connection_id=sfcc.id, external_id=f"inv-{n}", name=f"List {n}")
        session.add(location)
        session.flush()
        session.add(
            InventoryLevel(
                sku="SKU-1",
                location_id=location.id,
                on_hand=available,
                available=available,
                source="sfcc",
                at=NOW,
            )
        )
    session.flush()
    result = run_tool("inventory_for_sku", ctx, {"sku": "SKU-1"})
    assert isinstance(result, InventoryOutput)
    assert result.total_available == 10
    assert [lvl.location for lvl in result.levels] == ["List 0", "List 1"]
