"""run_tool: input validation, approval enforcement, audit of every write, previews."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AuditLog, Mapping
from tests.tools.seeding import Seed
from tools import TOOLS, preview_tool, run_tool
from tools.registry import ApprovalRequiredError, ToolContext, ToolError

MAP_ARGS = {"delivery_option": "Express", "shipping_method_id": "EXP"}


def test_every_write_tool_has_a_preview_and_docstring() -> None:
    for tool in TOOLS.values():
        assert tool.description, tool.name
        assert (tool.preview is not None) == (tool.effect == "write"), tool.name


def test_invalid_input_names_the_field(seed: Seed, ctx: ToolContext) -> None:
    with pytest.raises(ToolError) as raised:
        run_tool("get_order", ctx, {"order": "1"})
    assert raised.value.code == "tool.invalid_input"
    assert "order_id" in raised.value.message


def test_unknown_tool_is_refused(ctx: ToolContext) -> None:
    with pytest.raises(ToolError, match="python -m tools list"):
        run_tool("drop_tables", ctx, {})


def test_write_without_approval_is_refused_and_changes_nothing(
    seed: Seed, ctx: ToolContext, session: Session
) -> None:
    seed.standard()
    with pytest.raises(ApprovalRequiredError) as raised:
        run_tool("map_shipping_method", ctx, MAP_ARGS)
    assert "U-APPROVER" in raised.value.message
    session.expire_all()
    assert session.scalars(select(Mapping)).all() == []
    assert session.scalars(select(AuditLog)).all() == []


def test_write_with_approval_is_applied_and_audited(
    seed: Seed, approved: ToolContext, session: Session
) -> None:
    seed.standard()
    run_tool("map_shipping_method", approved, MAP_ARGS)
    session.expire_all()
    mapping = session.scalars(select(Mapping)).one()
    assert (mapping.source, mapping.target, mapping.created_by) == ("Express", "EXP", "U-APPROVER")
    audit = session.scalars(select(AuditLog)).one()
    assert audit.action == "map_shipping_method"
    assert audit.actor == "U-ASKER"
    assert (audit.entity_type, audit.entity_id) == ("mapping", "shipping_method:sfcc-main:Express")
    assert audit.before is None
    assert audit.after == {
        "kind": "shipping_method",
        "connection": "sfcc-main",
        "source": "Express",
        "target": "EXP",
    }
    assert (audit.source, audit.approval_id) == ("slack:C1/p1", "ap-1")
    assert audit.details["approved_by"] == "U-APPROVER"


def test_a_failing_write_leaves_no_audit_row(seed: Seed, approved: ToolContext, session: Session) -> None:
    seed.standard()
    with pytest.raises(ToolError):
        run_tool("map_shipping_method", approved, MAP_ARGS | {"connection": "nope"})
    session.expire_all()
    assert session.scalars(select(AuditLog)).all() == []


def test_preview_shows_the_change_without_making_it(seed: Seed, ctx: ToolContext, session: Session) -> None:
    _, sfcc = seed.standard()
    session.add(Mapping(kind="shipping_method", connection_id=sfcc.id, source="Express", target="OLD"))
    session.flush()
    change = preview_tool("map_shipping_method", ctx, MAP_ARGS)
    assert change.before is not None and change.before["target"] == "OLD"
    assert change.after is not None and change.after["target"] == "EXP"
    session.expire_all()
    assert session.scalars(select(Mapping.target)).one() == "OLD"


def test_preview_of_a_read_tool_is_refused(ctx: ToolContext) -> None:
    with pytest.raises(ToolError, match="read tool"):
        preview_tool("get_order", ctx, {"order_id": "1"})


def test_approval_message_without_approvers_says_how_to_add_them(seed: Seed, ctx: ToolContext) -> None:
    seed.standard()
    bare = replace(ctx, config=None)
    with pytest.raises(ApprovalRequiredError, match=r"\[bot\]"):
        run_tool("map_shipping_method", bare, MAP_ARGS)
