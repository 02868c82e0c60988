"""The tool registry as the agent sees it: typed tools plus the one function that runs them.

The graph never imports ``tools`` itself; it receives a :class:`ToolSet`, so tests can pass a
small registry of fake typed tools and production passes the real ``tools.TOOLS``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from tools.registry import ApprovalRequiredError, Tool, ToolContext, ToolError

RunTool = Callable[[str, ToolContext, dict[str, Any]], BaseModel]


@dataclass(frozen=True)
class ToolSet:
    """Tools by name and the runner that validates, enforces approval and audits."""

    tools: Mapping[str, Tool[Any, Any]]
    run: RunTool

    @classmethod
    def from_tools(cls, tools: Iterable[Tool[Any, Any]]) -> ToolSet:
        """A tool set over ``tools`` run by :func:`run_checked` (tests, small deployments)."""
        by_name = {tool.name: tool for tool in tools}

        def run(name: str, ctx: ToolContext, arguments: dict[str, Any]) -> BaseModel:
            return run_checked(by_name, name, ctx, arguments)

        return cls(tools=by_name, run=run)

    @classmethod
    def from_registry(cls) -> ToolSet:
        """The real registry: ``tools.TOOLS`` run through ``tools.run_tool``."""
        import tools  # imported here: the registry module is optional while it is being built

        registry = getattr(tools, "TOOLS", None)
        runner = getattr(tools, "run_tool", None)
        if registry is None or runner is None:
            raise RuntimeError(
                "tools.TOOLS and tools.run_tool are not available; the tool registry is not installed. "
                "Update the checkout, or pass a ToolSet built with ToolSet.from_tools()."
            )
        return cls(tools=dict(registry), run=runner)

    def get(self, name: str) -> Tool[Any, Any] | None:
        return self.tools.get(name)

    def is_write(self, name: str) -> bool:
        tool = self.tools.get(name)
        return tool is not None and tool.effect == "write"

    def preview(self, name: str, ctx: ToolContext, params: BaseModel) -> dict[str, Any] | None:
        """The change a write would make (entity, before, after), computed in a rolled-back session.

        None when the tool has no ``preview``; the card then shows the exact arguments instead.
        """
        tool = self.tools.get(name)
        preview = getattr(tool, "preview", None)
        if not callable(preview):
            return None
        with ctx.session_factory() as session:
            try:
                change = preview(dataclasses.replace(ctx, session=session), params)
            finally:
                session.rollback()
        shown = change.model_dump(mode="json") if isinstance(change, BaseModel) else dict(change)
        if "entity" not in shown and "entity_type" in shown:
            shown["entity"] = f"{shown['entity_type']}:{shown.get('entity_id', '')}"
        return shown


def run_checked(
    tools: Mapping[str, Tool[Any, Any]], name: str, ctx: ToolContext, arguments: dict[str, Any]
) -> BaseModel:
    """Validate ``arguments``, refuse a write without an approval, run the tool."""
    tool = tools.get(name)
    if tool is None:
        raise ToolError(f"There is no tool named {name!r}; use one of: {', '.join(sorted(tools))}.")
    try:
        params = tool.input_model.model_validate(arguments)
    except ValidationError as error:
        raise ToolError(f"Invalid arguments for {name}: {describe_validation(error)}") from None
    if tool.effect == "write" and ctx.approval is None:
        raise ApprovalRequiredError(f"{name} changes the store and needs an approval from an approver.")
    result: BaseModel = tool.fn(ctx, params)
    return result


def describe_validation(error: ValidationError) -> str:
    """One line per problem: ``field: message``."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "input"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)
