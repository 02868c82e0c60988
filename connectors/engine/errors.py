"""How a flow tells the engine that it failed, and how the failure becomes an Exception row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class FlowError(Exception):
    """A whole-run failure with a stable exception code.

    ``retryable`` failures (429, 5xx, timeouts) are retried by the daemon with backoff; the others
    wait for the next interval. ``retry_after`` is a server's own hint, in seconds.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        category: str = "connector",
        retryable: bool = False,
        retry_after: float | None = None,
        fault: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.category = category
        self.retryable = retryable
        self.retry_after = retry_after
        self.fault = fault


@dataclass(frozen=True)
class FailureDescription:
    """A failure ready to be stored: code, category, message a person reads, raw fault."""

    code: str
    category: str
    message: str
    retryable: bool
    retry_after: float | None
    fault: Any


UNEXPECTED_FAILURE_CODE = "engine.flow_crashed"


def describe_failure(error: BaseException, flow_key: str) -> FailureDescription:
    """Turn whatever a flow raised into something the Exception table and a person understand."""
    if isinstance(error, FlowError):
        return FailureDescription(
            code=error.code,
            category=error.category,
            message=error.message,
            retryable=error.retryable,
            retry_after=error.retry_after,
            fault=error.fault,
        )
    # An exception nobody classified is a bug or an unforeseen outage: retry it (the run rolled
    # back, so nothing is half-written) and tell the on-call engineer where to look.
    return FailureDescription(
        code=UNEXPECTED_FAILURE_CODE,
        category="connector",
        message=(
            f"Flow {flow_key} stopped on an unexpected {type(error).__name__}: {error}. "
            "Nothing from this run was saved; it will be retried. If it repeats, check the daemon log "
            "for this flow and report it."
        ),
        retryable=True,
        retry_after=None,
        fault={"type": type(error).__name__, "message": str(error)},
    )
