from __future__ import annotations

import pytest

from .drafts import found, good

DESCRIPTION = "description"
IMG = '<img src="https://cdn.example.com/d.jpg" width="800" height="600">'


def _with(description: str) -> list[tuple[str, str]]:
    data = good()
    data["description"] = description
    return found(data)


def test_description_good_passes() -> None:
    assert _with("<p>A soft tee.</p><ol><li>One</li></ol>" + IMG + "<p>Plain<br>lines<br/>too</p>") == []


def test_description_images_only_pass() -> None:
    assert _with(IMG) == []


@pytest.mark.parametrize("html", ["", "  ", "<p> </p>", "<ul><li></li></ul>"])
def test_description_empty_is_required(html: str) -> None:
    assert _with(html) == [("description.required", DESCRIPTION)]


def test_description_over_10000_characters_is_too_long() -> None:
    body = "Soft breathable cotton tee. " * 400
    assert _with("<p>" + body[: 10_000 - 7] + "</p>") == []
    assert _with("<p>" + body[: 10_000 - 6] + "</p>") == [("description.max_length", DESCRIPTION)]


def test_description_disallowed_tag_is_reported_once_per_tag() -> None:
    html = "<div><p>Tee</p></div><div><p>Soft</p></div><h2>Care</h2>"
    assert _with(html) == [("description.tag_not_allowed", DESCRIPTION)] * 2


def test_description_script_is_not_allowed() -> None:
    assert _with("<p>Tee</p><script>alert(1)</script>") == [("description.tag_not_allowed", DESCRIPTION)]


@pytest.mark.parametrize(
    "html",
    [
        "<ul><li><p>Nested paragraph</p></li></ul>",
        "<ul><li>Outer<ul><li>Inner</li></ul></li></ul>",
        "<li>Loose item</li>",
        "<b>Bold outside a paragraph</b>",
        "<p>Text <img src='x.jpg' width='10' height='10'></p>",
        "<p>Outer <p>inner</p></p>",
        "<ul><b>Bold in a list</b><li>Item</li></ul>",
    ],
)
def test_description_nesting_beyond_inline_in_p_or_li_is_rejected(html: str) -> None:
    assert _with(html) == [("description.nesting", DESCRIPTION)]


def test_description_inline_tags_may_nest_inside_a_paragraph() -> None:
    assert (
        _with("<p><strong><em>Bold italic</em></strong> and <u>under</u></p><ul><li><i>x</i></li></ul>") == []
    )


def test_description_same_misplacement_is_reported_once() -> None:
    assert _with("<b>one</b> <b>two</b> <i>three</i>") == [("description.nesting", DESCRIPTION)] * 2


def test_description_more_than_30_images_is_rejected() -> None:
    assert _with("<p>Tee</p>" + IMG * 30) == []
    assert _with("<p>Tee</p>" + IMG * 31) == [("description.max_images", DESCRIPTION)]


@pytest.mark.parametrize(
    ("img", "rule"),
    [
        ('<img src="a.jpg" width="800">', "description.image_attributes"),
        ('<img width="800" height="800">', "description.image_attributes"),
        ('<img src="a.jpg" width="4001" height="800">', "description.image_size"),
        ('<img src="a.jpg" width="80%" height="800">', "description.image_size"),
        ('<img src="a.jpg" width="800" height="0">', "description.image_size"),
    ],
)
def test_description_image_needs_src_and_size_within_4000(img: str, rule: str) -> None:
    assert _with("<p>Tee</p>" + img) == [(rule, DESCRIPTION)]


def test_description_image_of_4000_px_passes() -> None:
    assert _with('<p>Tee</p><img src="a.jpg" width="4000" height="4000">') == []


def test_description_emoji_is_rejected() -> None:
    assert _with("<p>Great tee \U0001f44d</p>") == [("description.emoji", DESCRIPTION)]


def test_description_control_character_is_rejected_but_line_breaks_pass() -> None:
    assert _with("<p>Tee\x07</p>") == [("description.control_character", DESCRIPTION)]
    assert _with("<p>Tee</p>\r\n\t<p>Soft</p>\n") == []


@pytest.mark.parametrize("escape", ["&amp;", "&nbsp;", "&#39;", "&#x2F;", "&copy"])
def test_description_html_escape_is_rejected(escape: str) -> None:
    assert _with(f"<p>Salt {escape} pepper</p>") == [("description.html_escape", DESCRIPTION)]


def test_description_bare_ampersand_passes() -> None:
    assert _with("<p>Salt & pepper, AT&T compatible</p>") == []


def test_description_repeated_characters_are_rejected_across_inline_tags_only() -> None:
    assert _with("<p>Tee ==========</p>") == [("description.repeated_characters", DESCRIPTION)]
    assert _with("<p>Tee aaaaa<b>aaaaa</b></p>") == [("description.repeated_characters", DESCRIPTION)]
    assert _with("<p>aaaaa</p><p>aaaaa</p>") == []


def test_description_symbols_only_is_rejected() -> None:
    assert _with("<p>*** !!!</p>") == [("description.symbols_only", DESCRIPTION)]


def test_description_malformed_html_is_read_leniently() -> None:
    assert _with("<p>Unclosed <b>bold</p></i><p>next") == []
