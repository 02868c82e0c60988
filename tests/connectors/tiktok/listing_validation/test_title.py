from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .drafts import found, good

TITLE = [("title", "title")]


def _with_title(title: str, region: str = "US") -> list[tuple[str, str]]:
    data = good()
    data["title"] = title
    data["region"] = region
    return found(data)


def test_title_good_passes() -> None:
    assert _with_title("Classic Cotton Crew Neck T-Shirt") == []


@pytest.mark.parametrize("title", ["", "   "])
def test_title_empty_is_required(title: str) -> None:
    assert _with_title(title) == [("title.required", "title")]


def test_title_over_255_characters_is_too_long() -> None:
    assert _with_title("Cotton tee " * 23 + "abc") == [("title.max_length", "title")]
    assert _with_title(("Cotton tee " * 24)[:255]) == []


def test_title_min_length_depends_on_region() -> None:
    short = "Cotton Crew Neck Tee 2pk"  # 24 characters
    assert _with_title(short, region="DE") == [("title.min_length", "title")]
    assert _with_title(short + "!", region="DE") == []
    assert _with_title("T", region="US") == []
    assert _with_title("T", region="UK") == []


def test_title_chinese_character_is_rejected() -> None:
    assert _with_title("Cotton Tee 棉质 T恤") == [("title.chinese_characters", "title")]


def test_title_emoji_is_rejected_but_text_symbols_pass() -> None:
    assert _with_title("Cotton Tee \U0001f525 Hot") == [("title.emoji", "title")]
    assert _with_title("Cotton Tee \u2764\ufe0f") == [("title.emoji", "title")]
    assert _with_title("Northwind\u00ae Cotton Tee \u2605 5 Star") == []


def test_title_control_character_is_rejected() -> None:
    assert _with_title("Cotton\tTee") == [("title.control_character", "title")]
    assert _with_title("Cotton Tee\x00") == [("title.control_character", "title")]


def test_title_html_escape_is_rejected_but_a_bare_ampersand_passes() -> None:
    assert _with_title("Salt &amp; Pepper Tee") == [("title.html_escape", "title")]
    assert _with_title("Tee &#8482;") == [("title.html_escape", "title")]
    assert _with_title("AT&T; Salt & Pepper Tee") == []


def test_title_more_than_nine_repeated_characters_is_rejected() -> None:
    assert _with_title("Big Sale " + "!" * 10) == [("title.repeated_characters", "title")]
    assert _with_title("Big Sale " + "!" * 9) == []


def test_title_symbols_only_is_rejected() -> None:
    assert _with_title("*** --- ???") == [("title.symbols_only", "title")]


_HAN = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),
)


@given(han=_HAN, where=st.integers(min_value=0, max_value=32))
def test_title_any_chinese_character_anywhere_is_caught(han: str, where: int) -> None:
    title = "Classic Cotton Crew Neck T-Shirt"
    rules = [rule for rule, _ in _with_title(title[:where] + han + title[where:])]
    assert "title.chinese_characters" in rules


@given(
    st.text(alphabet=st.characters(categories=["Lu", "Ll"], max_codepoint=0x24F), min_size=1, max_size=255)
)
def test_title_latin_letters_within_255_never_break_length_rules(title: str) -> None:
    rules = [rule for rule, _ in _with_title(title)]
    assert "title.max_length" not in rules
    assert "title.min_length" not in rules
