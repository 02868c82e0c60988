"""Typed tools over the store: the registry, and one way to run them.

``TOOLS`` maps each tool name to its :class:`~tools.registry.Tool`. ``run_tool`` validates the
input, runs read tools in a session that is rolled back and write tools in one transaction with an
AuditLog row, and refuses a write without an approval. ``preview_tool`` shows the exact change a
write would make, for an approval card.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from tools import (
    attribute_writes,
    attributes,
    catalog,
    diagnose,
    exceptions,
    health,
    mappings,
    orders,
    routes,
)
from tools.registry import (
    Approval,
    ApprovalRequiredError,
    Change,
    Tool,
    ToolContext,
    ToolError,
    WriteResult,
)
from tools.runner import execute, is_approver, lookup, preview, who_may_approve


def _registry() -> dict[str, Tool[Any, Any]]:
    registry: dict[str, Tool[Any, Any]] = {}
    for module in (
        orders,
        diagnose,
        exceptions,
        catalog,
        health,
        attributes,
        mappings,
        routes,
        attribute_writes,
    ):
        for tool in module.TOOLS:
            if tool.name in registry:
                raise ValueError(f"tool {tool.name} is registered twice")
            if tool.effect == "write" and (
                tool.preview is None or not issubclass(tool.output_model, WriteResult)
            ):
                raise ValueError(f"write tool {tool.name} needs a preview and a WriteResult output")
            registry[tool.name] = tool
    return registry


TOOLS: dict[str, Tool[Any, Any]] = _registry()


def run_tool(name: str, ctx: ToolContext, arguments: Mapping[str, Any]) -> BaseModel:
    """Validate ``arguments`` and run tool ``name``; writes need ``ctx.approval`` and are audited."""
    return execute(lookup(TOOLS, name), ctx, arguments)


def preview_tool(name: str, ctx: ToolContext, arguments: Mapping[str, Any]) -> Change:
    """The change write tool ``name`` would make with ``arguments``, without making it."""
    return preview(lookup(TOOLS, name), ctx, arguments)


__all__ = [
    "TOOLS",
    "Approval",
    "ApprovalRequiredError",
    "Change",
    "Tool",
    "ToolContext",
    "ToolError",
    "WriteResult",
    "is_approver",
    "preview_tool",
    "run_tool",
    "who_may_approve",
]
