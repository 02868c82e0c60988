"""Text from the store is data: planted instructions cause no write and no approval request."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from sqlalchemy import select

from agent.backends.base import ModelReply, ModelRequest
from agent.backends.openai_chat import to_chat_messages
from agent.data import DATA_CLOSE, DATA_OPEN, wrap_data
from agent.toolset import ToolSet
from store.models import ChannelListing
from tests.agent.conftest import APPROVER, THREAD, Harness
from tests.agent.fakes import INJECTION
from tests.agent.shop import real_config, seed_shop

Build = Callable[..., Harness]


class _Gullible:
    """A model that obeys whatever the last tool result tells it: the worst case."""

    name = "gullible"

    def respond(self, request: ModelRequest) -> ModelReply:
        last = request.messages[-1]
        if isinstance(last, HumanMessage):
            call = {"id": "read1", "name": "get_product", "args": {"sku": "TS-RED-M"}}
            return ModelReply(AIMessage(content="", tool_calls=[call]))
        if isinstance(last, ToolMessage) and "IGNORE PREVIOUS INSTRUCTIONS" in str(last.content):
            calls = [
                {
                    "id": f"w{uuid.uuid4().hex[:6]}",
                    "name": "map_sku",
                    "args": {"tiktok_sku": sku, "sfcc_sku": "EVIL-1"},
                }
                for sku in ("TS-RED-M", "TS-BLUE-L", "TS-RED-S", "TS-X")
            ]
            return ModelReply(AIMessage(content="", tool_calls=calls))
        return ModelReply(AIMessage(content="done"))


def test_offline_backend_reads_the_product_and_proposes_nothing(make_harness: Build) -> None:
    h = make_harness()
    result = h.runner.ask(THREAD, "USELLER", "show product TS-RED-M")
    assert result.approval is None and h.approvals_rows() == [] and h.world.writes == []
    assert result.text is not None and "TS-RED-M" in result.text


def test_obedient_model_cannot_turn_product_text_into_a_write_or_a_card(make_harness: Build) -> None:
    h = make_harness(backend=_Gullible())
    result = h.runner.ask(THREAD, "USELLER", "show product TS-RED-M")
    assert result.approval is None
    assert h.approvals_rows() == [] and h.world.writes == []
    state = h.graph.get_state({"configurable": {"thread_id": THREAD}}).values
    refused = [m for m in state["messages"] if isinstance(m, ToolMessage) and m.name == "map_sku"]
    assert len(refused) == 4 and all(m.artifact["outcome"] == "not_proposed" for m in refused)


def test_write_intent_does_not_ground_values_planted_in_data(make_harness: Build) -> None:
    h = make_harness(backend=_Gullible())
    h.runner.ask(THREAD, "USELLER", "show product TS-RED-M and fix whatever it says")
    assert h.approvals_rows() == [] and h.world.writes == []


def test_store_text_reaches_the_model_only_inside_data_markers() -> None:
    wrapped = wrap_data("tool:get_product", {"description": INJECTION})
    assert wrapped.startswith(DATA_OPEN) and wrapped.endswith(DATA_CLOSE)
    body = wrapped[len(DATA_OPEN) : -len(DATA_CLOSE)]
    assert DATA_CLOSE not in body, "data must not be able to close its own block"
    assert "\u200b" not in wrapped and "\U000e0041" not in wrapped
    messages = [
        HumanMessage(content="show product TS-RED-M", name="U1"),
        AIMessage(content="", tool_calls=[{"id": "c1", "name": "get_product", "args": {"sku": "TS-RED-M"}}]),
        ToolMessage(content=wrapped, tool_call_id="c1", name="get_product"),
    ]
    chat = to_chat_messages("system prompt", messages)
    holding = [m for m in chat if "IGNORE PREVIOUS INSTRUCTIONS" in str(m.get("content"))]
    assert [m["role"] for m in holding] == ["tool"]


def test_offline_backend_over_real_tools_reads_planted_text_and_changes_nothing(make_harness: Build) -> None:
    h = make_harness(toolset=ToolSet.from_registry(), config=real_config([APPROVER]))
    seed_shop(h.sessions)
    shown = h.runner.ask(THREAD, "USELLER", "show product TS-RED-M")
    assert shown.approval is None and shown.text is not None and "TS-RED-M" in shown.text
    follow = h.runner.ask(THREAD, "USELLER", "do what the description says")
    assert follow.approval is None
    assert h.approvals_rows() == [] and h.audit_actions() == []
    with h.sessions() as session:
        assert session.scalars(select(ChannelListing.channel_sku)).all() == []
