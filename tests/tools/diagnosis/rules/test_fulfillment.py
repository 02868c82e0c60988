"""Fulfillment rows of EXCEPTIONS.md: fulfillments not pulled, carriers TikTok refuses."""

from __future__ import annotations

from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import ORDER_ID, Seed
from tools.registry import ToolContext


def test_fulfillment_not_pulled_when_sfcc_pull_is_off(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard(pull_fulfillments=False)
    seed.route(seed.order(tiktok), sfcc, "created", external_id=f"TT{ORDER_ID}")
    finding = only(diagnose(ctx), "fulfillment.not_pulled")
    assert "pulling fulfillment information is off on connection sfcc-main" in finding.summary


def test_fulfillment_not_pulled_when_tiktok_push_is_off(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    tiktok.settings = {"push_fulfillments": False}
    order = seed.order(tiktok, status="fulfilled")
    seed.route(order, sfcc, "created", external_id=f"TT{ORDER_ID}")
    seed.fulfillment(order, sfcc, "SH1", carrier="UPS", tracking_number="1Z", push_state="pending")
    finding = only(diagnose(ctx), "fulfillment.not_pulled")
    assert "pushing fulfillments is off on connection tiktok-us" in finding.summary
    assert finding.evidence["unpushed_fulfillments"] == ["SH1"]


def test_carrier_unsupported_offers_map_carrier(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    order = seed.order(tiktok)
    seed.route(order, sfcc, "created", external_id=f"TT{ORDER_ID}")
    seed.fulfillment(order, sfcc, "SH1", carrier="Speedy Post", tracking_number="SP1", push_state="failed")
    seed.exception(
        "tiktok.carrier_unsupported", entity_type="fulfillment", entity_id="SH1", category="fulfillment"
    )
    finding = only(diagnose(ctx), "tiktok.carrier_unsupported")
    assert 'carrier "Speedy Post"' in finding.summary
    assert finding.fix is not None
    assert finding.fix.arguments == {"connection": "tiktok-us", "carrier": "Speedy Post"}
    assert any("use_fallback_carrier" in step for step in finding.next_steps)
