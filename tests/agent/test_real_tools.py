"""The agent over the real tool registry (``tools.TOOLS`` and ``tools.run_tool``) and a migrated store."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from agent.toolset import ToolSet
from store.repositories import ExceptionRepository
from tests.agent.conftest import APPROVER, THREAD, Harness

Build = Callable[..., Harness]
CONFIG = SimpleNamespace(bot=SimpleNamespace(approvers=[APPROVER]), connections={})


def test_real_tools_list_exceptions_and_explain_a_missing_order(make_harness: Build) -> None:
    h = make_harness(toolset=ToolSet.from_registry(), config=CONFIG)
    with h.sessions.begin() as session:
        ExceptionRepository(session).observe(
            code="sku.unmapped",
            category="ingestion",
            entity_type="sku",
            entity_id="TS-RED-M",
            message="TikTok SKU TS-RED-M matches no master SKU",
            now=h.clock.now(),
        )
    listed = h.runner.ask(THREAD, "USELLER", "list exceptions")
    assert listed.text is not None and "sku.unmapped" in listed.text
    missing = h.runner.ask(THREAD, "USELLER", "why did order 999999999999 fail?")
    assert missing.text is not None and "999999999999" in missing.text
    assert h.approvals_rows() == []


def test_real_write_tool_never_runs_without_a_decision(make_harness: Build) -> None:
    h = make_harness(toolset=ToolSet.from_registry(), config=CONFIG)
    result = h.runner.ask(THREAD, "USELLER", "map sku TS-RED-M to 100245 on sfcc-main")
    assert result.text is not None or result.approval is not None
    assert h.audit_actions() in ([], ["approval.requested"])
