"""How SFCC errors leave a flow: as a FlowError with the EXCEPTIONS.md code and the raw fault."""

from __future__ import annotations

import functools

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowFunction, FlowResult
from connectors.sfcc.errors import SfccError, SfccUnavailableError


def fault_document(error: SfccError) -> dict[str, object]:
    """What an Exception row keeps of an SFCC error: the parsed fault and the raw document."""
    fault = error.fault
    return {
        "type": fault.type if fault else None,
        "message": fault.message if fault else error.message,
        "arguments": fault.arguments if fault else {},
        "status_code": error.status_code,
        "step": error.step,
        "raw": error.raw,
    }


def as_flow_error(error: SfccError) -> FlowError:
    """A whole-run failure: outages are retried by the daemon, rejections wait for a fix."""
    retry_after: float | None = None
    if error.retry_after is not None:
        try:
            retry_after = float(error.retry_after)
        except ValueError:
            retry_after = None  # an HTTP date: the daemon's own backoff applies
    return FlowError(
        error.message,
        code=error.code,
        retryable=isinstance(error, SfccUnavailableError),
        retry_after=retry_after,
        fault=fault_document(error),
    )


def reports_sfcc_errors(flow: FlowFunction) -> FlowFunction:
    """Wrap a flow so an SFCC error that ends its run is stored under its own code."""

    @functools.wraps(flow)
    def run(ctx: FlowContext) -> FlowResult:
        try:
            return flow(ctx)
        except SfccError as error:
            raise as_flow_error(error) from error

    return run
