"""An OpenAI-compatible chat model through the ``openai`` package, with tool calling.

Works with any endpoint that speaks Chat Completions (``OPENAI_BASE_URL``). The key comes from
the environment only and is never logged. Tool results are sent as ``tool`` messages whose
content is already wrapped as untrusted data by the graph.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from agent.backends.base import ModelReply, ModelRequest, ToolSpec

logger = logging.getLogger(__name__)


class OpenAIBackend:
    """Chat Completions with tools; ``client`` is an ``openai.OpenAI`` (injected in tests)."""

    name = "openai"

    def __init__(self, client: Any, model: str, *, max_output_tokens: int = 1024) -> None:
        self._client = client
        self._model = model
        self._max_output_tokens = max_output_tokens

    @classmethod
    def from_environment(cls, model: str, environ: Mapping[str, str] | None = None) -> OpenAIBackend:
        """A backend from ``OPENAI_API_KEY`` (required) and ``OPENAI_BASE_URL`` (optional)."""
        import openai

        env = os.environ if environ is None else environ
        key = env.get("OPENAI_API_KEY")
        if not key:
            raise RuntimeError("OPENAI_API_KEY is not set; set it, or run with the offline backend.")
        client = openai.OpenAI(api_key=key, base_url=env.get("OPENAI_BASE_URL") or None, max_retries=2)
        return cls(client, model)

    def respond(self, request: ModelRequest) -> ModelReply:
        """Send the conversation and tools; turn the reply into an ``AIMessage``."""
        response = self._client.chat.completions.create(
            model=self._model,
            messages=to_chat_messages(request.system, request.messages),
            tools=[to_chat_tool(spec) for spec in request.tools],
            max_tokens=self._max_output_tokens,
        )
        choice = response.choices[0].message
        calls = []
        for call in choice.tool_calls or []:
            try:
                arguments = json.loads(call.function.arguments or "{}")
            except json.JSONDecodeError:
                # Malformed arguments go to the tool node as-is; validation there says what is wrong.
                arguments = {"_unparsed": call.function.arguments}
            calls.append({"id": call.id, "name": call.function.name, "args": arguments})
        usage = getattr(response, "usage", None)
        tokens = int(getattr(usage, "total_tokens", 0) or 0)
        logger.debug("model %s answered with %d tool calls, %d tokens", self._model, len(calls), tokens)
        return ModelReply(AIMessage(content=choice.content or "", tool_calls=calls), tokens=tokens)


def to_chat_tool(spec: ToolSpec) -> dict[str, Any]:
    """A tool in the Chat Completions ``tools`` format."""
    effect = "WRITE (shown to an approver; runs only after Approve)" if spec.effect == "write" else "READ"
    return {
        "type": "function",
        "function": {
            "name": spec.name,
            "description": f"[{effect}] {spec.description}"[:1024],
            "parameters": spec.parameters,
        },
    }


def to_chat_messages(system: str, messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """The conversation in Chat Completions format.

    Tool calls that never got a result (a proposal superseded by a new message) are dropped,
    because the API refuses an assistant tool call without its tool message.
    """
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    out: list[dict[str, Any]] = [{"role": "system", "content": system}]
    for message in messages:
        if isinstance(message, SystemMessage):
            continue
        if isinstance(message, HumanMessage):
            entry: dict[str, Any] = {"role": "user", "content": _text(message)}
            if message.name:
                entry["name"] = message.name
            out.append(entry)
        elif isinstance(message, AIMessage):
            calls = [call for call in message.tool_calls if call["id"] in answered]
            entry = {"role": "assistant", "content": _text(message) or None}
            if calls:
                entry["tool_calls"] = [
                    {
                        "id": call["id"],
                        "type": "function",
                        "function": {
                            "name": call["name"],
                            "arguments": json.dumps(call["args"], sort_keys=True),
                        },
                    }
                    for call in calls
                ]
            if entry["content"] is None and not calls:
                continue
            out.append(entry)
        elif isinstance(message, ToolMessage):
            out.append({"role": "tool", "tool_call_id": message.tool_call_id, "content": _text(message)})
    return out


def _text(message: BaseMessage) -> str:
    return message.content if isinstance(message.content, str) else json.dumps(message.content)
