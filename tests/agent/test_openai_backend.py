"""The OpenAI-compatible backend against a local transport (httpx MockTransport): no real host."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import openai

from agent.backends.openai_chat import OpenAIBackend
from tests.agent.conftest import THREAD, Harness
from tests.agent.fakes import ORDER_ID

Build = Callable[..., Harness]


def _completion(message: dict[str, Any], total_tokens: int) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1763899200,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if "tool_calls" in message else "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": total_tokens - 20, "completion_tokens": 20, "total_tokens": total_tokens},
    }


def _tool_call(call_id: str, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": call_id,
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)},
            }
        ],
    }


def test_openai_backend_calls_tools_and_explains_the_result(make_harness: Build) -> None:
    seen: list[dict[str, Any]] = []
    replies = [
        _completion(_tool_call("call_1", "diagnose_order", {"order_id": ORDER_ID}), 900),
        _completion(
            {"role": "assistant", "content": f"Order {ORDER_ID} failed: shipping method EXP is invalid."},
            1200,
        ),
    ]

    def handler(request: httpx2.Request) -> httpx2.Response:
        assert request.url.path == "/v1/chat/completions"
        assert request.headers["authorization"] == "Bearer test-key"
        seen.append(json.loads(request.content))
        return httpx2.Response(200, json=replies[len(seen) - 1])

    client = openai.OpenAI(
        api_key="test-key",
        base_url="http://model.test/v1",
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        max_retries=0,
    )
    h = make_harness(backend=OpenAIBackend(client, "gpt-4o-mini"))
    result = h.runner.ask(THREAD, "USELLER", f"why did order {ORDER_ID} fail?")
    assert result.text == f"Order {ORDER_ID} failed: shipping method EXP is invalid."
    first, second = seen
    assert first["model"] == "gpt-4o-mini" and first["messages"][0]["role"] == "system"
    assert {tool["function"]["name"] for tool in first["tools"]} >= {"diagnose_order", "map_sku"}
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "call_1"
    assert (
        tool_message["content"].startswith("<<<SHOPWRIGHT_DATA")
        and "InvalidShippingMethodIdException" in tool_message["content"]
    )
    state = h.graph.get_state({"configurable": {"thread_id": THREAD}}).values
    assert state["turn_tokens"] == 2100
