"""The result type of listing validation: one precise, seller-readable problem."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = ["IssueCode", "ListingIssue", "invalid", "missing", "quote"]


class IssueCode(StrEnum):
    """Exception codes from the shared exception table that listing validation can raise."""

    # Something the category asks for is absent: the fix is to supply it (AI proposal or a list to fill).
    ATTRIBUTE_MISSING = "tiktok.attribute_missing"
    # Something present breaks a rule: the fix is to change it.
    LISTING_INVALID = "tiktok.listing_invalid"


class ListingIssue(BaseModel):
    """One rule a listing draft breaks.

    ``field`` is a path into :class:`ListingDraft` (``skus[2].identifier_codes.EAN``), ``rule`` a stable
    id (``title.max_length``) that callers may match on, and ``message`` one sentence for the seller.
    """

    model_config = ConfigDict(frozen=True)

    code: IssueCode
    field: str
    rule: str
    message: str


def invalid(field: str, rule: str, message: str) -> ListingIssue:
    """Build an issue for a value that is present but breaks a rule."""
    return ListingIssue(code=IssueCode.LISTING_INVALID, field=field, rule=rule, message=message)


def missing(field: str, rule: str, message: str) -> ListingIssue:
    """Build an issue for something the category requires that the draft lacks."""
    return ListingIssue(code=IssueCode.ATTRIBUTE_MISSING, field=field, rule=rule, message=message)


def quote(value: str, limit: int = 60) -> str:
    """Quote a seller value for a message, shortened so that one message stays one readable line."""
    if len(value) > limit:
        value = value[: limit - 1] + "\u2026"
    return "'" + value + "'"
