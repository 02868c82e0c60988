"""Which TikTok failures stop a whole run, and which belong to one record.

A refused token, a rate limit that outlasted the client's retries, or an outage is the
connection's problem: the run stops (rolled back) and the daemon retries it with backoff. A
validation error or a missing entity is one record's problem: it becomes an Exception on that
record and the run moves on to the others.
"""

from __future__ import annotations

from connectors.engine.errors import FlowError
from connectors.tiktok.errors import NotFoundError, RequestRejectedError, TikTokError, ValidationError


def is_record_failure(error: TikTokError) -> bool:
    """True when ``error`` concerns the entity the call was about, not the connection.

    36009004 is overloaded (reference section 4); its "invalid param error" form refuses this
    request's parameters (an unknown delivery option, say), unlike its timestamp or token forms.
    """
    if isinstance(error, ValidationError | NotFoundError):
        return True
    return isinstance(error, RequestRejectedError) and "invalid param" in error.message.lower()


def connection_failure(error: TikTokError, what: str) -> FlowError:
    """A FlowError for a failure that stops the run; ``what`` says what the run was doing."""
    return FlowError(
        f"{what}: {error}",
        code=error.exception_code,
        retryable=error.retryable,
        retry_after=getattr(error, "retry_after", None),
        fault={"error": type(error).__name__, "code": error.code, "request_id": error.request_id},
    )


def fault_of(error: TikTokError) -> dict[str, object]:
    """The raw fault kept on an Exception row for diagnosis."""
    return {
        "error": type(error).__name__,
        "code": error.code,
        "message": error.message,
        "request_id": error.request_id,
        "path": error.path,
    }
