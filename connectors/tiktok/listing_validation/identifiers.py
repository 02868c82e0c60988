"""Identifier code rules: length and characters per type, check digits, priority, uniqueness."""

from __future__ import annotations

from .issue import ListingIssue, invalid, quote
from .model import IdentifierType, Sku

__all__ = [
    "IDENTIFIER_LENGTHS",
    "IDENTIFIER_PRIORITY",
    "VERIFY_CHECK_DIGITS",
    "check_identifiers",
    "gs1_check_digit",
    "identifier_problem",
    "select_identifier",
]

IDENTIFIER_LENGTHS: dict[IdentifierType, tuple[int, ...]] = {
    IdentifierType.GTIN: (14,),
    IdentifierType.EAN: (8, 13, 14),
    IdentifierType.UPC: (12,),
    IdentifierType.ISBN: (13,),
}
# A TikTok SKU carries one identifier code. When the master catalog has several, the first valid one
# in this order is sent. The docs set no order (UNCERTAIN); the broadest scheme goes first because a
# GTIN-14 can express every other code, and ISBN last because an ISBN-13 is also a valid EAN-13.
IDENTIFIER_PRIORITY: tuple[IdentifierType, ...] = (
    IdentifierType.GTIN,
    IdentifierType.EAN,
    IdentifierType.UPC,
    IdentifierType.ISBN,
)
# TikTok does not document a check digit test (UNCERTAIN). Codes are verified anyway: a wrong GS1
# check digit almost always means a mistyped code, which would list the product under another one.
VERIFY_CHECK_DIGITS = True


def _is_digits(text: str) -> bool:
    # str.isdigit also accepts non-ASCII digits such as Arabic-Indic ones, which no code scheme allows.
    return text.isascii() and text.isdigit()


def gs1_check_digit(body: str) -> int:
    """Return the GS1 (mod 10) check digit for ``body``, the code without its last digit."""
    total = sum(int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def identifier_problem(kind: IdentifierType, code: str) -> tuple[str, str] | None:
    """Return ``(rule, reason)`` when ``code`` is not a valid ``kind`` code, else None."""
    lengths = IDENTIFIER_LENGTHS[kind]
    shape = " or ".join(str(length) for length in lengths)
    if kind is IdentifierType.ISBN:
        body, last = code[:-1], code[-1:]
        if len(code) != 13 or not _is_digits(body) or not (_is_digits(last) or last == "X"):
            hint = " (the final X must be uppercase)" if last == "x" else ""
            return (
                "identifier.format",
                f"an ISBN has 13 characters, all digits except an optional final X{hint}",
            )
        if last == "X":
            return None
    elif len(code) not in lengths or not _is_digits(code):
        return "identifier.format", f"a {kind.value} code has {shape} digits and nothing else"
    if VERIFY_CHECK_DIGITS and int(code[-1]) != gs1_check_digit(code[:-1]):
        return (
            "identifier.check_digit",
            f"its check digit should be {gs1_check_digit(code[:-1])}, so a digit is probably mistyped",
        )
    return None


def select_identifier(sku: Sku) -> tuple[IdentifierType, str] | None:
    """Return the identifier code to send for ``sku``: the first valid one in priority order."""
    for kind in IDENTIFIER_PRIORITY:
        code = sku.identifier_codes.get(kind)
        if code is not None and identifier_problem(kind, code) is None:
            return kind, code
    return None


def _comparable(code: str) -> str:
    # The same product can be written as UPC-12, EAN-13 or GTIN-14; padding to 14 makes them equal.
    return code.zfill(14) if _is_digits(code) else code


def check_identifiers(skus: list[Sku]) -> list[ListingIssue]:
    """Return identifier code issues: SKUs with no usable code, and codes shared by two SKUs."""
    issues: list[ListingIssue] = []
    owners: dict[str, int] = {}
    for index, sku in enumerate(skus):
        selected = select_identifier(sku)
        if selected is None:
            issues.extend(_code_issues(index, sku))
            continue
        kind, code = selected
        first = owners.setdefault(_comparable(code), index)
        if first != index:
            issues.append(
                invalid(
                    f"skus[{index}].identifier_codes.{kind.value}",
                    "identifier.duplicate",
                    f"SKU {quote(sku.seller_sku)} has the {kind.value} code {code}, which SKU "
                    f"{quote(skus[first].seller_sku)} already uses; each SKU needs its own code.",
                )
            )
    return issues


def _code_issues(index: int, sku: Sku) -> list[ListingIssue]:
    # Reported only when no code is usable: an unused bad code does not stop the listing.
    issues: list[ListingIssue] = []
    for kind in IDENTIFIER_PRIORITY:
        code = sku.identifier_codes.get(kind)
        if code is None:
            continue
        problem = identifier_problem(kind, code)
        if problem is not None:
            rule, reason = problem
            issues.append(
                invalid(
                    f"skus[{index}].identifier_codes.{kind.value}",
                    rule,
                    f"SKU {quote(sku.seller_sku)} has the {kind.value} code {quote(code)}, but {reason}; "
                    "correct the code or remove it.",
                )
            )
    return issues
