"""Run the diagnosis through run_tool and pick findings by code."""

from __future__ import annotations

from tests.tools.seeding import ORDER_ID
from tools import run_tool
from tools.diagnosis import Diagnosis, Finding
from tools.registry import ToolContext


def diagnose(ctx: ToolContext, order_id: str = ORDER_ID) -> Diagnosis:
    result = run_tool("diagnose_order", ctx, {"order_id": order_id})
    assert isinstance(result, Diagnosis)
    return result


def only(diagnosis: Diagnosis, code: str) -> Finding:
    """The single finding with ``code``; fails with every code found otherwise."""
    found = [f for f in diagnosis.findings if f.code == code]
    assert len(found) == 1, f"expected one {code}, got {[f.code for f in diagnosis.findings]}"
    return found[0]
