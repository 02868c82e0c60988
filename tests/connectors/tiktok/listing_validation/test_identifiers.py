from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.tiktok.listing_validation import IdentifierType, Sku, select_identifier
from connectors.tiktok.listing_validation.identifiers import gs1_check_digit

from .drafts import ean_with_check_digit, found, good


def _codes(*codes: dict[str, str]) -> list[tuple[str, str]]:
    data = good()
    for sku, sku_codes in zip(data["skus"], codes, strict=True):
        sku["identifier_codes"] = sku_codes
    return found(data)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("GTIN", "10614141000415"),
        ("EAN", "96385074"),
        ("EAN", "4006381333931"),
        ("EAN", "10614141000415"),
        ("UPC", "036000291452"),
        ("ISBN", "9780306406157"),
        ("ISBN", "978030640615X"),
    ],
)
def test_identifier_valid_codes_pass(kind: str, code: str) -> None:
    assert _codes({kind: code}, {}) == []


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("GTIN", "4006381333931"),
        ("EAN", "123456789"),
        ("EAN", "400638133393A"),
        ("EAN", "4006381 333931"),
        ("UPC", "36000291452"),
        ("UPC", "03600029145\u0662"),
        ("ISBN", "978-0306406157"),
        ("ISBN", "978030640615x"),
        ("ISBN", "97803064061X7"),
        ("UPC", ""),
    ],
)
def test_identifier_wrong_length_or_characters_is_rejected(kind: str, code: str) -> None:
    assert _codes({kind: code}, {}) == [("identifier.format", f"skus[0].identifier_codes.{kind}")]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("EAN", "4006381333932"),
        ("UPC", "036000291453"),
        ("ISBN", "9780306406158"),
        ("GTIN", "10614141000416"),
    ],
)
def test_identifier_wrong_check_digit_is_rejected(kind: str, code: str) -> None:
    assert _codes({kind: code}, {}) == [("identifier.check_digit", f"skus[0].identifier_codes.{kind}")]


def test_identifier_shared_by_two_skus_is_rejected_on_the_second() -> None:
    assert _codes({"EAN": "4006381333931"}, {"EAN": "4006381333931"}) == [
        ("identifier.duplicate", "skus[1].identifier_codes.EAN")
    ]


def test_identifier_shared_across_types_is_rejected() -> None:
    assert _codes({"UPC": "036000291452"}, {"GTIN": "00036000291452"}) == [
        ("identifier.duplicate", "skus[1].identifier_codes.GTIN")
    ]


def test_identifier_priority_prefers_gtin_then_ean_then_upc_then_isbn() -> None:
    sku = Sku(
        seller_sku="A",
        identifier_codes={
            IdentifierType.UPC: "036000291452",
            IdentifierType.EAN: "4006381333931",
            IdentifierType.GTIN: "10614141000415",
        },
    )
    assert select_identifier(sku) == (IdentifierType.GTIN, "10614141000415")
    sku = Sku(
        seller_sku="A",
        identifier_codes={IdentifierType.UPC: "036000291452", IdentifierType.ISBN: "9780306406157"},
    )
    assert select_identifier(sku) == (IdentifierType.UPC, "036000291452")


def test_identifier_invalid_code_is_skipped_when_a_valid_one_follows() -> None:
    assert _codes({"GTIN": "123", "EAN": "4006381333931"}, {}) == []
    assert select_identifier(Sku(seller_sku="A", identifier_codes={IdentifierType.GTIN: "123"})) is None


def test_identifier_all_invalid_reports_each_in_priority_order() -> None:
    assert _codes({"UPC": "1", "GTIN": "2"}, {}) == [
        ("identifier.format", "skus[0].identifier_codes.GTIN"),
        ("identifier.format", "skus[0].identifier_codes.UPC"),
    ]


def test_identifier_is_optional() -> None:
    assert _codes({}, {}) == []


_DIGITS = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(body=_DIGITS)
def test_identifier_any_ean13_with_its_check_digit_passes(body: str) -> None:
    code = ean_with_check_digit(body)
    assert gs1_check_digit(body) == int(code[-1])
    sku = Sku(seller_sku="A", identifier_codes={IdentifierType.EAN: code})
    assert select_identifier(sku) == (IdentifierType.EAN, code)


@given(body=_DIGITS, position=st.integers(min_value=0, max_value=12), shift=st.integers(1, 9))
def test_identifier_any_single_mistyped_digit_is_caught(body: str, position: int, shift: int) -> None:
    code = ean_with_check_digit(body)
    typo = code[:position] + str((int(code[position]) + shift) % 10) + code[position + 1 :]
    assert select_identifier(Sku(seller_sku="A", identifier_codes={IdentifierType.EAN: typo})) is None


@given(body=st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_identifier_any_ean8_with_its_check_digit_passes(body: str) -> None:
    code = ean_with_check_digit(body)
    assert select_identifier(Sku(seller_sku="A", identifier_codes={IdentifierType.EAN: code})) is not None
