"""Model backends: an OpenAI-compatible chat model, and an offline one that needs no key."""

from agent.backends.base import ModelBackend, ModelReply, ModelRequest, ToolSpec

__all__ = ["ModelBackend", "ModelReply", "ModelRequest", "ToolSpec"]
