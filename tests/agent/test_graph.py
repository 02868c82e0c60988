"""The graph with the offline backend and fake tools: reads run, writes wait for an approver."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from langgraph.types import Command

from agent.approvals import ApprovalRefusedError
from agent.backends.base import ModelReply, ModelRequest
from agent.context import Limits
from tests.agent.conftest import APPROVER, OTHER, THREAD, Harness
from tests.agent.fakes import ORDER_ID

Build = Callable[..., Harness]


def _propose_fix(h: Harness) -> dict[str, object]:
    first = h.runner.ask(THREAD, "USELLER", f"why did order {ORDER_ID} fail?")
    assert first.approval is None
    second = h.runner.ask(THREAD, "USELLER", "apply the fix")
    assert second.approval is not None
    return second.approval


def test_read_tool_answers_without_interrupt(make_harness: Build) -> None:
    h = make_harness()
    result = h.runner.ask(THREAD, "USELLER", f"why did order {ORDER_ID} fail?")
    assert result.approval is None
    assert result.text is not None
    assert ORDER_ID in result.text and "sfcc.invalid_shipping_method" in result.text
    assert "InvalidShippingMethodIdException" in result.text
    assert h.approvals_rows() == [] and h.world.writes == []


def test_write_tool_stops_at_approval_node_and_applies_nothing(make_harness: Build) -> None:
    h = make_harness()
    card = _propose_fix(h)
    assert card["tool"] == "map_shipping_method"
    change = card["change"]
    assert isinstance(change, dict)
    assert change["entity"] == "mapping:shipping:Standard Shipping"
    assert change["before"] is None and change["after"] == {"shipping_method_id": "001"}
    assert h.world.writes == []
    assert h.runner.pending(THREAD) is not None
    [row] = h.approvals_rows()
    assert row.status == "pending" and row.arguments == {
        "delivery_option": "Standard Shipping",
        "shipping_method_id": "001",
    }


def test_approve_by_approver_applies_once(make_harness: Build) -> None:
    h = make_harness()
    token = str(_propose_fix(h)["token"])
    done = h.runner.decide(token, APPROVER, "approve", source="test")
    assert done.text is not None and "Done" in done.text
    assert h.world.writes == [
        (
            "map_shipping_method",
            {"delivery_option": "Standard Shipping", "shipping_method_id": "001"},
            APPROVER,
        )
    ]
    with pytest.raises(ApprovalRefusedError) as refused:
        h.runner.decide(token, APPROVER, "approve", source="test")
    assert refused.value.reason == "already_decided"
    assert len(h.world.writes) == 1
    assert h.approvals_rows()[0].status == "applied"
    assert h.audit_actions() == ["approval.requested", "approval.approved", "approval.refused"]


def test_reject_applies_nothing(make_harness: Build) -> None:
    h = make_harness()
    token = str(_propose_fix(h)["token"])
    result = h.runner.decide(token, APPROVER, "reject", source="test")
    assert result.text is not None and "not applied" in result.text
    assert h.world.writes == [] and h.approvals_rows()[0].status == "rejected"
    assert h.runner.pending(THREAD) is None


def test_non_approver_cannot_approve(make_harness: Build) -> None:
    h = make_harness()
    token = str(_propose_fix(h)["token"])
    with pytest.raises(ApprovalRefusedError) as refused:
        h.runner.decide(token, OTHER, "approve", source="test")
    assert refused.value.reason == "not_approver" and f"<@{APPROVER}>" in refused.value.message
    assert h.world.writes == [] and h.approvals_rows()[0].status == "pending"
    assert h.runner.pending(THREAD) is not None
    h.runner.decide(token, APPROVER, "approve", source="test")
    assert len(h.world.writes) == 1


def test_expired_approval_is_refused(make_harness: Build) -> None:
    h = make_harness()
    token = str(_propose_fix(h)["token"])
    h.clock.advance(timedelta(minutes=61))
    with pytest.raises(ApprovalRefusedError) as refused:
        h.runner.decide(token, APPROVER, "approve", source="test")
    assert refused.value.reason == "expired" and "expired" in refused.value.message
    assert h.world.writes == [] and h.approvals_rows()[0].status == "expired"


def test_resume_without_a_recorded_decision_applies_nothing(make_harness: Build) -> None:
    h = make_harness()
    token = str(_propose_fix(h)["token"])
    forged = {"token": token, "decision": "approve", "by": APPROVER}
    h.graph.invoke(Command(resume=forged), {"configurable": {"thread_id": THREAD}})
    assert h.world.writes == []
    assert h.runner.pending(THREAD) is not None


def test_new_message_supersedes_a_waiting_card(make_harness: Build) -> None:
    h = make_harness()
    token = str(_propose_fix(h)["token"])
    h.runner.ask(THREAD, "USELLER", "find sku TS-RED-M")
    assert h.approvals_rows()[0].status == "superseded"
    with pytest.raises(ApprovalRefusedError):
        h.runner.decide(token, APPROVER, "approve", source="test")
    assert h.world.writes == []


def test_map_sku_from_the_persons_words(make_harness: Build) -> None:
    h = make_harness()
    card = h.runner.ask(THREAD, "USELLER", "map sku TS-RED-M to 100245").approval
    assert card is not None and card["arguments"] == {"tiktok_sku": "TS-RED-M", "sfcc_sku": "100245"}
    h.runner.decide(str(card["token"]), APPROVER, "approve", source="test")
    assert h.world.skus == {"TS-RED-M": "100245"}


class _Looping:
    name = "looping"

    def respond(self, request: ModelRequest) -> ModelReply:
        from langchain_core.messages import AIMessage

        call = {"id": f"c{len(request.messages)}", "name": "find_sku", "args": {"sku": "A"}}
        return ModelReply(AIMessage(content="", tool_calls=[call]), tokens=10)


def test_step_limit_stops_a_runaway_turn(make_harness: Build) -> None:
    h = make_harness(backend=_Looping(), limits=Limits(max_steps=3))
    result = h.runner.ask(THREAD, "USELLER", "find sku A")
    assert result.text is not None and "stopped after 3 steps" in result.text
