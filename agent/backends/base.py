"""The boundary between the graph and a model: one request in, one assistant message out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from langchain_core.messages import AIMessage, BaseMessage


@dataclass(frozen=True)
class ToolSpec:
    """What a model is told about one tool: its name, contract (docstring) and input schema."""

    name: str
    description: str
    parameters: dict[str, Any]
    effect: Literal["read", "write"]


@dataclass(frozen=True)
class ModelRequest:
    """One model call: the system prompt, the conversation so far and the tools on offer."""

    system: str
    messages: Sequence[BaseMessage]
    tools: Sequence[ToolSpec]


@dataclass(frozen=True)
class ModelReply:
    """The assistant's message (text and/or tool calls) and the tokens the call cost."""

    message: AIMessage
    tokens: int = 0


class ModelBackend(Protocol):
    """Anything that can answer a :class:`ModelRequest`."""

    name: str

    def respond(self, request: ModelRequest) -> ModelReply: ...
