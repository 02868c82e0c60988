"""What an order push records and returns: the step journal protocol, planned requests, results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class StepRecorder(Protocol):
    """Where the push writes its progress; the store implements it per OrderRoute.

    `record` upserts a step with its data (a later record of the same step replaces it) and must
    be durable before it returns; `completed_steps` returns what was recorded so far.
    """

    def record(self, step: str, data: Mapping[str, Any]) -> None: ...

    def completed_steps(self) -> Mapping[str, Mapping[str, Any]]: ...


class MemoryStepRecorder:
    """A StepRecorder in a dict, for tests, dry runs and one-off pushes."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, Any]] = {}
        self.history: list[str] = []

    def record(self, step: str, data: Mapping[str, Any]) -> None:
        """Remember the step and its data."""
        self.steps[step] = dict(data)
        self.history.append(step)

    def completed_steps(self) -> Mapping[str, Mapping[str, Any]]:
        """Everything recorded so far."""
        return self.steps


@dataclass(frozen=True)
class PlannedRequest:
    """One request a push would send (dry run); `{basket_id}`-style braces stand for ids SFCC assigns.

    `note` says when the request is conditional (e.g. only sent when a lookup finds nothing).
    """

    step: str
    method: str
    url: str
    json: Any = None
    note: str = ""


@dataclass(frozen=True)
class PushResult:
    """Outcome of a push: the SFCC order number and whether this call created it."""

    order_no: str
    created: bool
    order: Mapping[str, Any] | None = None
    steps_sent: list[str] = field(default_factory=list)
