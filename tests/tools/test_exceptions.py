"""list_exceptions, explain_exception, resolve_exception."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from store.models import ExceptionRecord
from tests.tools.seeding import NOW, ORDER_ID, Seed
from tools import run_tool
from tools.diagnosis.codes import REGISTRY
from tools.exceptions import ExplainExceptionOutput, ListExceptionsOutput
from tools.registry import ToolContext, ToolError


def test_list_exceptions_filters_and_counts(seed: Seed, ctx: ToolContext) -> None:
    _, sfcc = seed.standard()
    seed.exception("sku.unmapped", entity_type="sku", entity_id="A", category="ingestion")
    seed.exception("sku.unmapped", entity_type="sku", entity_id="B", category="ingestion")
    seed.exception("sfcc.unavailable", entity_type="connection", entity_id="sfcc-main", connection=sfcc)
    result = run_tool("list_exceptions", ctx, {"category": "ingestion"})
    assert isinstance(result, ListExceptionsOutput)
    assert result.counts_by_code == {"sku.unmapped": 2}
    by_connection = run_tool("list_exceptions", ctx, {"connection": "sfcc-main"})
    assert isinstance(by_connection, ListExceptionsOutput)
    assert [e.code for e in by_connection.exceptions] == ["sfcc.unavailable"]


def test_explain_exception_includes_meaning_fault_and_findings(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.product("SKU-1")
    seed.route(seed.order(tiktok, shipping_option="Express"), sfcc, "failed")
    record = seed.exception("mapping.shipping_method_missing", fault={"type": "x"})
    result = run_tool("explain_exception", ctx, {"exception_id": record.id})
    assert isinstance(result, ExplainExceptionOutput)
    assert "shipping method" in result.meaning
    assert result.fault == {"type": "x"}
    assert [f.code for f in result.findings] == ["mapping.shipping_method_missing"]


def _explain(ctx: ToolContext, record: ExceptionRecord) -> ExplainExceptionOutput:
    result = run_tool("explain_exception", ctx, {"exception_id": record.id})
    assert isinstance(result, ExplainExceptionOutput)
    return result


def test_explain_exception_on_a_shipment_explains_that_shipment_of_its_order(
    seed: Seed, ctx: ToolContext
) -> None:
    tiktok, sfcc = seed.standard()
    order = seed.order(tiktok, channel_status="AWAITING_SHIPMENT")
    seed.route(order, sfcc, "created", external_id=f"TT{ORDER_ID}")
    for shipment in ("SH1", "SH2"):
        lines = [{"sku": "SKU-1", "quantity": 1, "line_ids": [f"L-{shipment}"]}]
        seed.fulfillment(order, sfcc, shipment, carrier="UPS", lines=lines, push_state="failed")
    failures = [
        seed.exception(
            "fulfillment.tracking_missing",
            entity_type="fulfillment",
            entity_id=shipment,
            category="fulfillment",
        )
        for shipment in ("SH1", "SH2")
    ]
    result = _explain(ctx, failures[1])
    assert result.related_order == ORDER_ID
    assert result.note == (
        f'Shipment "SH2" belongs to order {ORDER_ID}; the findings come from that order\'s diagnosis.'
    )
    # Only the finding of this shipment, not the one of its sibling with the same code.
    [finding] = result.findings
    assert finding.summary.startswith(f"Shipment SH2 of order {ORDER_ID} has no tracking number")
    assert (finding.evidence["exception_id"], finding.evidence["shipment"]) == (failures[1].id, "SH2")
    assert finding.evidence["lines"] == [{"sku": "SKU-1", "quantity": 1, "line_ids": ["L-SH2"]}]
    assert finding.fix is not None and finding.fix.arguments == {"exception_id": failures[1].id}


def test_explain_exception_on_a_sku_reads_the_most_recent_order_with_it(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.product("SKU-1")
    seed.product("SKU-2")
    seed.order(tiktok, skus=("SKU-1", "SKU-2"))
    # Stored later (a higher row id) but placed earlier: not the most recent order.
    older = seed.order(tiktok, external_id="577000000000000001", skus=("SKU-1",))
    older.placed_at = NOW - timedelta(days=3)
    seed.session.flush()
    record = seed.exception(
        "tiktok.listing_missing", entity_type="sku", entity_id="SKU-1", category="inventory"
    )
    seed.exception("tiktok.listing_missing", entity_type="sku", entity_id="SKU-2", category="inventory")
    result = _explain(ctx, record)
    assert result.related_order == ORDER_ID
    assert result.note == (
        f'The findings come from order {ORDER_ID}, the most recent order with SKU "SKU-1".'
    )
    [finding] = result.findings
    assert finding.summary.startswith(
        'Stock of SKU "SKU-1" is not pushed to TikTok: no TikTok product of connection tiktok-us has this '
        "seller SKU."
    )
    assert (finding.evidence["exception_id"], finding.evidence["sku"]) == (record.id, "SKU-1")


def test_explain_exception_on_a_sku_prefers_an_order_of_the_failures_shop(
    seed: Seed, ctx: ToolContext
) -> None:
    tiktok, _ = seed.standard()
    uk = seed.connection("tiktok-uk", "tiktok")
    seed.product("SKU-1")
    seed.order(tiktok, skus=("SKU-1",))
    newer = seed.order(uk, external_id="577000000000000002", skus=("SKU-1",))
    newer.placed_at = NOW - timedelta(minutes=5)
    seed.session.flush()
    record = seed.exception(
        "tiktok.listing_missing",
        entity_type="sku",
        entity_id="SKU-1",
        category="inventory",
        connection=tiktok,
    )
    result = _explain(ctx, record)
    assert result.related_order == ORDER_ID
    [finding] = result.findings
    assert "no TikTok product of connection tiktok-us has this seller SKU" in finding.summary


def test_explain_exception_on_a_master_product_reads_an_order_of_its_variant(
    seed: Seed, ctx: ToolContext
) -> None:
    tiktok, _ = seed.standard()
    seed.product("TSHIRT")
    seed.product("TSHIRT-M", parent_sku="TSHIRT")
    seed.order(tiktok, skus=("TSHIRT-M",))
    fault: dict[str, Any] = {"extra": ["TSHIRT-XL"], "absent": ["TSHIRT-S", "TSHIRT-L"]}
    record = seed.exception(
        "catalog.variants_inconsistent",
        entity_type="product",
        entity_id="TSHIRT",
        category="catalog",
        fault=fault,
    )
    result = _explain(ctx, record)
    assert result.related_order == ORDER_ID
    [finding] = result.findings
    assert finding.summary.startswith(
        'Product "TSHIRT" is not updated on TikTok: its TikTok variants differ from the master\'s '
        "(1 only on TikTok, 2 missing on TikTok) and connection tiktok-us blocks such updates."
    )
    assert finding.evidence["missing_on_tiktok"] == ["TSHIRT-S", "TSHIRT-L"]


def test_explain_exception_on_a_sku_no_order_has_keeps_the_catalogue_text(
    seed: Seed, ctx: ToolContext
) -> None:
    tiktok, _ = seed.standard()
    seed.product("SKU-9")
    seed.order(tiktok, skus=("SKU-1",))  # an order exists, but not with this SKU
    record = seed.exception(
        "tiktok.listing_missing", entity_type="sku", entity_id="SKU-9", category="inventory"
    )
    result = _explain(ctx, record)
    assert (result.findings, result.related_order) == ([], None)
    assert result.note == (
        'No order in the store has SKU "SKU-9" yet, and the diagnosis rules read an order\'s state, so only '
        "the catalogue text applies."
    )
    assert result.meaning == REGISTRY["tiktok.listing_missing"].meaning
    assert result.fix == REGISTRY["tiktok.listing_missing"].fix


def test_explain_exception_on_a_route_explains_the_push_of_its_order(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    route = seed.route(seed.order(tiktok), sfcc, "failed", attempts=1, external_id=f"TT{ORDER_ID}")
    record = seed.exception(
        "sfcc.request_rejected",
        entity_type="order_route",
        entity_id=str(route.id),
        fault={"step": "add_items", "type": "ProductItemNotAvailableException"},
    )
    result = _explain(ctx, record)
    assert result.related_order == ORDER_ID
    [finding] = result.findings
    assert finding.summary.startswith(
        f"SFCC refused the order's items of order {ORDER_ID} at step add_items (fault "
        '"ProductItemNotAvailableException")'
    )


def test_explain_exception_on_a_refused_return_reads_the_order_it_names(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.order(tiktok)
    fault = {"order_id": ORDER_ID, "refund_amount": {"refund_total": "-5.00", "currency": "USD"}}
    record = seed.exception(
        "tiktok.record_invalid", entity_type="return", entity_id="R7", category="ingestion", fault=fault
    )
    result = _explain(ctx, record)
    assert result.related_order == ORDER_ID
    [finding] = result.findings
    assert finding.summary.startswith(
        f"TikTok return R7 of order {ORDER_ID} was not stored: its refund total is negative."
    )


def test_explain_exception_on_a_closed_sku_failure_says_why_nothing_is_found(
    seed: Seed, ctx: ToolContext, session: Session
) -> None:
    tiktok, _ = seed.standard()
    seed.order(tiktok, skus=("SKU-1",))
    record = seed.exception(
        "tiktok.listing_missing", entity_type="sku", entity_id="SKU-1", category="inventory"
    )
    record.status = "dismissed"
    session.flush()
    result = _explain(ctx, record)
    assert (result.findings, result.related_order) == ([], ORDER_ID)
    assert result.note is not None
    assert result.note.endswith(
        "This failure is dismissed and the diagnosis reads open failures, so only the catalogue text applies."
    )


def test_explain_exception_on_a_connection_points_at_its_orders(seed: Seed, ctx: ToolContext) -> None:
    _, sfcc = seed.standard()
    record = seed.exception(
        "sfcc.unavailable", entity_type="connection", entity_id="sfcc-main", connection=sfcc
    )
    result = _explain(ctx, record)
    assert (result.findings, result.related_order) == ([], None)
    assert result.note is not None and result.note.startswith(
        "A failure of connection sfcc-main concerns every order it handles rather than one"
    )


def test_resolve_exception_records_who(seed: Seed, approved: ToolContext, session: Session) -> None:
    record = seed.exception("sku.unmapped", entity_type="sku", entity_id="A")
    run_tool("resolve_exception", approved, {"exception_id": record.id, "outcome": "dismissed"})
    session.expire_all()
    row = session.get(ExceptionRecord, record.id)
    assert row is not None
    assert (row.status, row.resolved_by) == ("dismissed", "U-APPROVER")
    with pytest.raises(ToolError, match="already dismissed"):
        run_tool("resolve_exception", approved, {"exception_id": record.id})
