"""map_sku, map_payment_method, map_carrier (map_shipping_method is covered in test_runner)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ChannelListing, Mapping
from tests.tools.seeding import Seed
from tools import run_tool
from tools.registry import ToolContext, ToolError


def test_map_sku_creates_the_sfcc_listing(seed: Seed, approved: ToolContext, session: Session) -> None:
    seed.standard()
    seed.product("SKU-1")
    result = run_tool(
        "map_sku", approved, {"connection": "sfcc-main", "sku": "SKU-1", "channel_sku": "sfcc-1"}
    )
    session.expire_all()
    assert session.scalars(select(ChannelListing.channel_sku)).one() == "sfcc-1"
    assert result.model_dump()["change"]["before"] is None


def test_map_sku_refuses_tiktok(seed: Seed, approved: ToolContext) -> None:
    seed.standard()
    seed.product("SKU-1")
    with pytest.raises(ToolError, match="TikTok has no channel SKU"):
        run_tool("map_sku", approved, {"connection": "tiktok-us", "sku": "SKU-1", "channel_sku": "x"})


def test_map_sku_refuses_a_channel_sku_taken_by_another_product(seed: Seed, approved: ToolContext) -> None:
    _, sfcc = seed.standard()
    other = seed.product("SKU-0")
    seed.listing(other, sfcc, channel_sku="sfcc-1")
    seed.product("SKU-1")
    with pytest.raises(ToolError, match="already maps to master SKU 'SKU-0'"):
        run_tool("map_sku", approved, {"connection": "sfcc-main", "sku": "SKU-1", "channel_sku": "sfcc-1"})


def test_map_payment_and_carrier_write_mapping_rows(
    seed: Seed, approved: ToolContext, session: Session
) -> None:
    seed.standard()
    run_tool("map_payment_method", approved, {"payment_method_id": "TTS"})
    run_tool("map_carrier", approved, {"carrier": "*", "shipping_provider_id": "7117858858072016686"})
    session.expire_all()
    rows = {(m.kind, m.source, m.target) for m in session.scalars(select(Mapping))}
    assert rows == {("payment_method", "*", "TTS"), ("carrier", "*", "7117858858072016686")}


def test_map_carrier_on_an_sfcc_connection_is_refused(seed: Seed, approved: ToolContext) -> None:
    seed.standard()
    with pytest.raises(ToolError, match="not tiktok"):
        run_tool(
            "map_carrier",
            approved,
            {"connection": "sfcc-main", "carrier": "UPS", "shipping_provider_id": "1"},
        )
