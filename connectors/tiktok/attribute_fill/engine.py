"""The entry point: run a backend on a request and hold its answer to the contract.

``suggest(request, backend)`` returns only proposals the attribute allows (see ``guard``). When the
model backend fails (network, refusal, unreadable reply) and a fallback is given, the rules answer
instead, and the reason is logged; a caller that wants the failure passes no fallback.
"""

from __future__ import annotations

import logging
from typing import Protocol

from .guard import enforce_contract
from .models import SuggestRequest, SuggestResponse

__all__ = ["AttributeFillBackend", "AttributeFillError", "suggest"]

logger = logging.getLogger(__name__)


class AttributeFillError(Exception):
    """A backend could not produce an answer; ``code`` is stable, the message says what to do."""

    def __init__(self, message: str, *, code: str = "attribute_fill.backend_failed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class AttributeFillBackend(Protocol):
    """Anything that proposes attribute values: the rules, or a model."""

    name: str

    def suggest(self, request: SuggestRequest) -> SuggestResponse: ...


def suggest(
    request: SuggestRequest,
    backend: AttributeFillBackend,
    *,
    fallback: AttributeFillBackend | None = None,
) -> SuggestResponse:
    """Proposals for ``request`` from ``backend`` (``fallback`` if it fails), held to the contract."""
    try:
        response = backend.suggest(request)
    except AttributeFillError as error:
        if fallback is None:
            raise
        logger.warning(
            "attribute fill backend %s failed (%s); using %s", backend.name, error.code, fallback.name
        )
        response = fallback.suggest(request)
    return enforce_contract(request, response)
