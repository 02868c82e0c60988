"""Base classes shared by every tool's input and output models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ToolInput(BaseModel):
    """Input of a tool: unknown fields are refused so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class ToolOutput(BaseModel):
    """Output of a tool. Text that came from TikTok, SFCC or buyers sits in its own fields, as data."""

    model_config = ConfigDict(extra="forbid")
