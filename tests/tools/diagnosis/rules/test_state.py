"""State rows of EXCEPTIONS.md: on hold, and statuses that are not pushed."""

from __future__ import annotations

from datetime import timedelta

from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import NOW, Seed
from tools.registry import ToolContext


def test_on_hold_says_when_it_is_released(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.product("SKU-1")
    seed.order(tiktok, status="onHold", hold_until=NOW + timedelta(minutes=25))
    diagnosis = diagnose(ctx)
    finding = only(diagnosis, "order.on_hold")
    assert "on hold until 2026-11-23 12:25 UTC" in finding.summary
    assert finding.fix is None
    assert diagnosis.healthy is True


def test_on_hold_past_its_end_points_at_the_flow(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.order(tiktok, status="onHold", hold_until=NOW - timedelta(minutes=10))
    finding = only(diagnose(ctx), "order.on_hold")
    assert "hold ended at 2026-11-23 11:50 UTC" in finding.summary


def test_status_not_pushed_when_push_is_off(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard(push_orders=False)
    seed.order(tiktok)
    diagnosis = diagnose(ctx)
    finding = only(diagnosis, "order.status_not_pushed")
    assert "pushing orders is switched off on connection sfcc-main" in finding.summary
    assert diagnosis.healthy is False


def test_status_not_pushed_when_status_is_not_listed(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard(order_statuses_to_push=["sentToFulfillment"])
    seed.order(tiktok)
    finding = only(diagnose(ctx), "order.status_not_pushed")
    assert "status readyForFulfillment is not among the statuses" in finding.summary


def test_status_not_pushed_when_channel_is_filtered(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard(push_source_channels=["TikTok Shop US"])
    seed.order(tiktok, source_channel="TikTok Shop UK")
    finding = only(diagnose(ctx), "order.status_not_pushed")
    assert 'source channel "TikTok Shop UK"' in finding.summary
