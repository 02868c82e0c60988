"""Why an order's push stopped: unclassified SFCC refusals, addresses, refused after-sales records."""

from __future__ import annotations

from typing import Any

from store.models import OrderRoute
from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import ORDER_ID, Seed
from tools import run_tool
from tools.registry import ToolContext

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Byron",
    "address1": "1 Main St",
    "city": "Austin",
    "postal_code": "78701",
    "state_code": "TX",
    "country_code": "US",
}


def _refused(seed: Seed, code: str, step: str, kind: str, status: int) -> None:
    tiktok, sfcc = seed.standard()
    seed.product("SKU-1")
    seed.route(
        seed.order(tiktok, shipping_address=ADDRESS), sfcc, "failed", attempts=1, external_id=f"TT{ORDER_ID}"
    )
    fault: dict[str, Any] = {
        "type": kind,
        "message": "refused",
        "arguments": {},
        "status_code": status,
        "step": step,
    }
    seed.exception(code, fault=fault)


def test_a_vanished_basket_is_fixed_by_a_retry(seed: Seed, ctx: ToolContext, approved: ToolContext) -> None:
    _refused(seed, "sfcc.not_found", "add_payment_instrument", "BasketNotFoundException", 404)
    finding = only(diagnose(ctx), "sfcc.not_found")
    assert "SFCC refused the payment of order" in finding.summary
    assert "the basket of this push is gone" in finding.summary
    assert finding.fix is not None
    assert finding.fix.tool == "retry_order_push"
    assert finding.fix.arguments == {"order_id": ORDER_ID}
    run_tool(finding.fix.tool, approved, finding.fix.arguments)
    assert seed.session.query(OrderRoute).one().state == "pending"


def test_not_found_outside_the_basket_points_at_the_site(seed: Seed, ctx: ToolContext) -> None:
    _refused(seed, "sfcc.not_found", "resolve_customer", "NotFound", 404)
    finding = only(diagnose(ctx), "sfcc.not_found")
    assert finding.fix is None
    assert finding.next_steps[0].startswith(
        "Check site_id RefArch in `site_id` under [connections.sfcc-main]"
    )


def test_conflict_names_the_order_number_and_the_prefix(seed: Seed, ctx: ToolContext) -> None:
    _refused(seed, "sfcc.conflict", "create_order", "OrderNoConflictException", 409)
    finding = only(diagnose(ctx), "sfcc.conflict")
    assert f"order number TT{ORDER_ID} is taken, but not by this order" in finding.summary
    assert "order_number_prefix" in finding.next_steps[1]


def test_request_rejected_says_what_to_check_at_the_failing_step(seed: Seed, ctx: ToolContext) -> None:
    _refused(seed, "sfcc.request_rejected", "set_shipping_address", "InvalidAddressException", 400)
    finding = only(diagnose(ctx), "sfcc.request_rejected")
    assert "SFCC refused the shipping address of order" in finding.summary
    assert 'fault "InvalidAddressException"' in finding.summary
    assert finding.next_steps[0] == "To fix it, check the order's shipping address with get_order."
    assert finding.evidence["step"] == "set_shipping_address"


def test_address_missing_names_the_fields_and_not_the_address(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    partial = {k: v for k, v in ADDRESS.items() if k not in ("address1", "postal_code")}
    seed.route(seed.order(tiktok, shipping_address=partial), sfcc, "failed")
    seed.exception("order.address_missing", category="ingestion")
    finding = only(diagnose(ctx), "order.address_missing")
    assert "its shipping address lacks address1, postal_code" in finding.summary
    assert finding.evidence["missing_or_invalid_fields"] == ["address1", "postal_code"]
    assert "Austin" not in str(finding.model_dump())


def test_address_missing_once_the_address_arrived(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok, shipping_address=ADDRESS), sfcc, "pending")
    seed.exception("order.address_missing", category="ingestion")
    finding = only(diagnose(ctx), "order.address_missing")
    assert "has a usable shipping address now" in finding.summary


def test_a_refused_return_of_the_order_is_found_through_its_fault(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.product("SKU-1")
    seed.route(seed.order(tiktok), sfcc, "created", external_id=f"TT{ORDER_ID}")
    fault = {"order_id": ORDER_ID, "refund_amount": {"currency": "USD", "refund_total": "-5.00"}}
    seed.exception(
        "tiktok.record_invalid", entity_type="return", entity_id="4035", category="ingestion", fault=fault
    )
    other = {"order_id": "576000000000000001", "refund_amount": None}
    seed.exception("tiktok.record_invalid", entity_type="return", entity_id="4036", fault=other)
    finding = only(diagnose(ctx), "tiktok.record_invalid")
    assert finding.summary.startswith(f"TikTok return 4035 of order {ORDER_ID} was not stored")
    assert "its refund total is negative" in finding.summary
