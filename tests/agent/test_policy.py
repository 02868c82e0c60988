"""The write policy and offered fixes: which write calls may reach an approver, decided in code."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.fixes import fix_values
from agent.policy import refusal_reason
from tools import TOOLS

DIAGNOSIS = {
    "order_id": "576653688135258101",
    "findings": [
        {
            "code": "mapping.shipping_method_missing",
            "fix": {
                "tool": "map_shipping_method",
                "arguments": {"connection": "sfcc-main", "delivery_option": "Express Delivery"},
                "missing_arguments": ["shipping_method_id"],
            },
            "next_steps": ['Shipping method ids known for this site: "001".'],
        }
    ],
}


def _thread(*said: str) -> list[BaseMessage]:
    call = {"id": "c1", "name": "diagnose_order", "args": {"order_id": "576653688135258101"}}
    artifact = {"tool": "diagnose_order", "ok": True, "output": DIAGNOSIS}
    messages: list[BaseMessage] = [
        HumanMessage(content="why did order 576653688135258101 fail?"),
        AIMessage(content="", tool_calls=[call]),
        ToolMessage(content="(data)", tool_call_id="c1", name="diagnose_order", artifact=artifact),
    ]
    return messages + [HumanMessage(content=text) for text in said]


def _reason(
    tool: str, arguments: dict[str, Any], messages: list[BaseMessage], admitted: int = 0
) -> str | None:
    return refusal_reason(
        tool,
        arguments,
        messages,
        admitted_this_turn=admitted,
        max_writes_per_turn=3,
        schema=TOOLS[tool].json_schema(),
    )


@pytest.mark.parametrize(
    ("text", "missing", "expected"),
    [
        ("apply the fix with shipping_method_id 001", ["shipping_method_id"], {"shipping_method_id": "001"}),
        (
            "apply the fix with shipping method id = 001",
            ["shipping_method_id"],
            {"shipping_method_id": "001"},
        ),
        (
            "apply the fix using shipping method `EXP2`",
            ["shipping_method_id"],
            {"shipping_method_id": "EXP2"},
        ),
        ("apply the fix with 001", ["shipping_method_id"], {"shipping_method_id": "001"}),
        ("apply the fix with channel sku 100245", ["channel_sku"], {"channel_sku": "100245"}),
        ("apply the fix", ["shipping_method_id"], {}),
        ("apply the fix for order 576653688135258101", ["shipping_method_id"], {}),
        ("apply the fix with 001 and 002", ["a_id", "b_id"], {}),
    ],
)
def test_fix_values_reads_only_what_the_person_named(
    text: str, missing: list[str], expected: dict[str, str]
) -> None:
    assert fix_values(text, missing) == expected


def test_offered_fix_with_the_persons_value_is_admitted() -> None:
    arguments = {
        "connection": "sfcc-main",
        "delivery_option": "Express Delivery",
        "shipping_method_id": "001",
    }
    assert _reason("map_shipping_method", arguments, _thread("apply the fix with 001")) is None
    left_out = {"delivery_option": "Express Delivery", "shipping_method_id": "001"}
    assert _reason("map_shipping_method", left_out, _thread("apply the fix with 001")) is None


def test_offered_fix_with_a_value_nobody_said_is_refused() -> None:
    arguments = {
        "connection": "sfcc-main",
        "delivery_option": "Express Delivery",
        "shipping_method_id": "EVIL",
    }
    reason = _reason("map_shipping_method", arguments, _thread("apply the fix"))
    assert reason is not None and "EVIL" in reason


def test_changing_a_value_the_fix_stated_is_refused() -> None:
    arguments = {
        "connection": "sfcc-main",
        "delivery_option": "Standard Shipping",
        "shipping_method_id": "001",
    }
    assert _reason("map_shipping_method", arguments, _thread("apply the fix with 001")) is not None


def test_no_write_without_a_request_for_a_change() -> None:
    arguments = {"sku": "TS-RED-M", "channel_sku": "100245"}
    reason = _reason("map_sku", arguments, _thread("show me sku TS-RED-M and 100245"))
    assert reason is not None and "does not ask for a change" in reason


def test_closed_choices_need_no_grounding_but_ids_do() -> None:
    said = _thread("dismiss exception 7")
    assert _reason("resolve_exception", {"exception_id": 7, "outcome": "dismissed"}, said) is None
    assert _reason("resolve_exception", {"exception_id": 8, "outcome": "dismissed"}, said) is not None


def test_one_request_proposes_a_bounded_number_of_changes() -> None:
    said = _thread("map sku A to 1")
    assert _reason("map_sku", {"sku": "A", "channel_sku": "1"}, said, admitted=3) is not None
