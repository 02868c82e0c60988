"""list_exceptions, explain_exception, resolve_exception."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from store.models import ExceptionRecord
from tests.tools.seeding import Seed
from tools import run_tool
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


def test_resolve_exception_records_who(seed: Seed, approved: ToolContext, session: Session) -> None:
    record = seed.exception("sku.unmapped", entity_type="sku", entity_id="A")
    run_tool("resolve_exception", approved, {"exception_id": record.id, "outcome": "dismissed"})
    session.expire_all()
    row = session.get(ExceptionRecord, record.id)
    assert row is not None
    assert (row.status, row.resolved_by) == ("dismissed", "U-APPROVER")
    with pytest.raises(ToolError, match="already dismissed"):
        run_tool("resolve_exception", approved, {"exception_id": record.id})
