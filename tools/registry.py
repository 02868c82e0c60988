"""The tool contract: typed functions over the store, each with a declared effect.

A tool is a function ``(ctx: ToolContext, params: InputModel) -> OutputModel`` whose docstring is
the contract the model reads. ``read`` tools run at once; ``write`` tools run only with an
approval (the agent's approval node, a Slack Approve click, or ``python -m tools call
--approved-by``), and every write is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session, sessionmaker

from connectors.engine.clock import Clock

Effect = Literal["read", "write"]
In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


@dataclass(frozen=True)
class Approval:
    """Who approved a write, and from where (a Slack message permalink, or "cli")."""

    approved_by: str
    source: str
    approval_id: str | None = None


@dataclass
class ToolContext:
    """What every tool receives: the store, the clock, the configuration and who is asking."""

    session_factory: sessionmaker[Session]
    clock: Clock
    config: Any  # connectors.config.ShopwrightConfig; Any keeps tools importable without a config
    actor: str = "agent"
    approval: Approval | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # The open session of the current call; ``run_tool`` sets it (read session or write transaction).
    session: Session | None = None

    def db(self) -> Session:
        """The session of the running call; tools never open their own."""
        if self.session is None:
            raise ToolError("this tool was called outside run_tool; call it through tools.run_tool")
        return self.session

    def now(self) -> datetime:
        """The current time on the injected clock."""
        return self.clock.now()


class Change(BaseModel):
    """The exact change a write makes: what an approval card shows and what the audit log keeps.

    ``before`` and ``after`` are JSON documents of the changed entity (None when it does not exist
    on that side). Values that came from TikTok, SFCC or buyers appear only inside them, as data.
    """

    model_config = ConfigDict(frozen=True)

    entity_type: str = Field(description="Kind of entity changed, e.g. 'mapping' or 'order_route'.")
    entity_id: str = Field(description="Stable id of that entity.")
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def entity(self) -> str:
        return f"{self.entity_type}:{self.entity_id}"


class WriteResult(BaseModel):
    """Base of every write tool's output: the change that was made."""

    change: Change


@dataclass(frozen=True)
class Tool(Generic[In, Out]):
    """One typed tool."""

    name: str
    effect: Effect
    input_model: type[In]
    output_model: type[Out]
    fn: Callable[[ToolContext, In], Out]
    # Write tools: the same change computed without writing, for approval cards.
    preview: Callable[[ToolContext, In], Change] | None = None

    @property
    def description(self) -> str:
        return (self.fn.__doc__ or "").strip()

    def json_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema()


class ToolError(Exception):
    """A tool could not do what was asked; ``message`` says what and what to do next."""

    def __init__(self, message: str, *, code: str = "tool.error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ApprovalRequiredError(ToolError):
    """A write tool was called without an approval."""

    def __init__(self, message: str, *, code: str = "tool.approval_required") -> None:
        super().__init__(message, code=code)
