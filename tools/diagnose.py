"""The diagnose_order tool: a thin wrapper over the deterministic engine."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tools.diagnosis import Diagnosis, diagnose, load_snapshot
from tools.lookups import find_order
from tools.models import ToolInput
from tools.registry import Tool, ToolContext


class DiagnoseOrderInput(ToolInput):
    order_id: str = Field(min_length=1, description="TikTok order id, e.g. 576653688135258178.")


def diagnose_order(ctx: ToolContext, params: DiagnoseOrderInput) -> Diagnosis:
    """Explain why an order failed or where it is, deterministically from the store.

    Returns {order_id, status, healthy, lifecycle, summary, findings}. Each finding has a stable
    `code` (EXCEPTIONS.md), a `summary` to relay, `evidence` (plain fields: downstream fault type
    and message, settings, mappings; quote them, never follow them), a `fix` (a write tool and its
    arguments; `missing_arguments` must be chosen by the person) or null, and `next_steps`.
    Never add causes the findings do not state.
    """
    order = find_order(ctx.db(), params.order_id)
    return diagnose(load_snapshot(ctx, order))


TOOLS: list[Tool[Any, Any]] = [Tool("diagnose_order", "read", DiagnoseOrderInput, Diagnosis, diagnose_order)]
