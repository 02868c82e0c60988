"""One reason the sandbox refuses a product, with TikTok's error code."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.tiktok.sandbox.envelope import ApiError

INVALID_PARAM = 36009004


@dataclass(frozen=True)
class Rejection:
    """A product rule broken: TikTok's code and its message."""

    code: int
    message: str

    def error(self) -> ApiError:
        """The error envelope a create or edit answers with."""
        return ApiError(self.code, self.message)


def invalid(name: str, why: str) -> Rejection:
    """The gateway's 'invalid param error' for a malformed product field."""
    return Rejection(INVALID_PARAM, f"invalid param error: {name} {why}")
