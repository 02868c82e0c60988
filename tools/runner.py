"""Running a tool: validate the input, enforce approvals, pick the transaction, audit every write."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from store.repositories import AuditRepository
from tools.registry import (
    Approval,
    ApprovalRequiredError,
    Change,
    Tool,
    ToolContext,
    ToolError,
    WriteResult,
)
from tools.transactions import begin_write, retry_when_locked


def approvers_of(config: Any) -> list[str]:
    """The ``[bot] approvers`` list of the configuration (empty without a configuration)."""
    bot = getattr(config, "bot", None)
    return list(getattr(bot, "approvers", []) or [])


def who_may_approve(config: Any) -> str:
    """A sentence naming who may approve writes, for refusals people read."""
    approvers = approvers_of(config)
    if not approvers:
        return (
            "No approvers are configured yet: add Slack user ids to `approvers` under [bot] in "
            "shopwright.toml."
        )
    return f"Only the approvers listed under [bot] approvers may approve it: {', '.join(approvers)}."


def is_approver(config: Any, user: str) -> bool:
    """Whether ``user`` is on the configured approvers list."""
    return user in approvers_of(config)


def lookup(tools: Mapping[str, Tool[Any, Any]], name: str) -> Tool[Any, Any]:
    """The tool called ``name``, or a ToolError listing the names that exist."""
    tool = tools.get(name)
    if tool is None:
        raise ToolError(
            f"There is no tool called '{name}'; run `python -m tools list` to see every tool.",
            code="tool.unknown",
        )
    return tool


def validate_input(tool: Tool[Any, Any], arguments: Mapping[str, Any]) -> BaseModel:
    """Parse ``arguments`` into the tool's input model, or a ToolError naming every bad field."""
    try:
        params: BaseModel = tool.input_model.model_validate(dict(arguments))
        return params
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"]) or "(input)"
            problems.append(f"{where}: {item['msg']}")
        raise ToolError(
            f"Invalid input for {tool.name}: "
            + "; ".join(problems)
            + ". Fix those arguments and call again.",
            code="tool.invalid_input",
        ) from None


def execute(tool: Tool[Any, Any], ctx: ToolContext, arguments: Mapping[str, Any]) -> BaseModel:
    """Run one tool: reads in a session that is rolled back, writes in one audited transaction."""
    params = validate_input(tool, arguments)
    if tool.effect == "read":
        with ctx.session_factory() as session:
            try:
                result = tool.fn(dataclasses.replace(ctx, session=session), params)
            finally:
                session.rollback()
        if not isinstance(result, BaseModel):
            raise TypeError(f"tool {tool.name} must return a pydantic model")
        return result
    approval = ctx.approval
    if approval is None:
        raise ApprovalRequiredError(
            f"{tool.name} changes the store, so it runs only after a person approves it. "
            + who_may_approve(ctx.config)
        )
    return retry_when_locked(lambda: _write(tool, ctx, params, approval), what=f"write tool {tool.name}")


def _write(tool: Tool[Any, Any], ctx: ToolContext, params: BaseModel, approval: Approval) -> BaseModel:
    """One write and its AuditLog row, in one transaction."""
    with ctx.session_factory.begin() as session:
        begin_write(session)
        bound = dataclasses.replace(ctx, session=session)
        result = tool.fn(bound, params)
        if not isinstance(result, WriteResult):
            raise TypeError(f"write tool {tool.name} must return a WriteResult")
        change = result.change
        AuditRepository(session).append(
            actor=ctx.actor,
            action=tool.name,
            entity_type=change.entity_type,
            entity_id=change.entity_id,
            before=change.before,
            after=change.after,
            at=ctx.now(),
            source=approval.source,
            approval_id=approval.approval_id,
            details={
                "approved_by": approval.approved_by,
                "arguments": params.model_dump(mode="json"),
            },
        )
    return result


def preview(tool: Tool[Any, Any], ctx: ToolContext, arguments: Mapping[str, Any]) -> Change:
    """The change a write tool would make, computed in a session that is rolled back."""
    if tool.effect != "write" or tool.preview is None:
        raise ToolError(f"{tool.name} is a read tool; it changes nothing, so there is nothing to preview.")
    params = validate_input(tool, arguments)
    with ctx.session_factory() as session:
        try:
            change: Change = tool.preview(dataclasses.replace(ctx, session=session), params)
        finally:
            session.rollback()
    return change
