"""Character checks shared by the title and the description.

TikTok rejects titles and descriptions that contain Chinese characters (titles), emoji, ASCII control
characters, HTML escapes, text made only of symbols, or a character repeated more than nine times in
a row (errors 12052262, 12052931, 12052932). Each finder returns the first offending piece, or None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.entities import html5

__all__ = [
    "MAX_REPEATED_CHARACTERS",
    "Finding",
    "describe_char",
    "find_chinese",
    "find_control",
    "find_emoji",
    "find_html_escape",
    "find_repeated_run",
    "is_symbols_only",
]

# TikTok allows a character to repeat at most nine times in a row (error 12052931).
MAX_REPEATED_CHARACTERS = 9

# Han ideographs and their radicals. Chinese, Japanese kanji and Korean hanja share these code
# points, and TikTok's check cannot tell them apart either, so all of them are caught.
_CHINESE_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x2FA1F),  # extensions B to F and the compatibility supplement
    (0x30000, 0x323AF),  # extensions G and H
)

# TikTok does not publish which characters it counts as emoji (UNCERTAIN). These are the code points
# that render as emoji by default, plus the joiners that turn text symbols into emoji. Symbols that
# render as text by default (the registered sign, the star) are left alone: they are common in titles.
_EMOJI_RANGES: tuple[tuple[int, int], ...] = (
    (0x231A, 0x231B),
    (0x23E9, 0x23EC),
    (0x23F0, 0x23F0),
    (0x23F3, 0x23F3),
    (0x25FD, 0x25FE),
    (0x2614, 0x2615),
    (0x2648, 0x2653),
    (0x267F, 0x267F),
    (0x2693, 0x2693),
    (0x26A1, 0x26A1),
    (0x26AA, 0x26AB),
    (0x26BD, 0x26BE),
    (0x26C4, 0x26C5),
    (0x26CE, 0x26CE),
    (0x26D4, 0x26D4),
    (0x26EA, 0x26EA),
    (0x26F2, 0x26F3),
    (0x26F5, 0x26F5),
    (0x26FA, 0x26FA),
    (0x26FD, 0x26FD),
    (0x2705, 0x2705),
    (0x270A, 0x270B),
    (0x2728, 0x2728),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2795, 0x2797),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x20E3, 0x20E3),  # combining keycap
    (0xFE0F, 0xFE0F),  # emoji presentation selector (turns a text symbol into an emoji)
    (0x1F000, 0x1F0FF),  # mahjong, dominoes, playing cards
    (0x1F170, 0x1F2FF),  # enclosed letters and ideographs, regional indicators (flags)
    (0x1F300, 0x1F6FF),  # pictographs, emoticons, transport (includes skin tone modifiers)
    (0x1F7E0, 0x1F7FF),  # coloured circles and squares
    (0x1F900, 0x1F9FF),  # supplemental pictographs
    (0x1FA70, 0x1FAFF),  # pictographs extended-A
    (0xE0020, 0xE007F),  # tag characters (subdivision flags)
)

_HTML_ESCAPE = re.compile(r"&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


@dataclass(frozen=True)
class Finding:
    """An offending piece of text and its 1-based position."""

    text: str
    position: int


def _in_ranges(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in ranges)


def describe_char(char: str) -> str:
    """Show a character in a message with its code point, so that invisible ones can be found."""
    point = f"U+{ord(char):04X}"
    if unicodedata.category(char) == "Cc" or char.isspace():
        return point
    return f"'{char}' ({point})"


def find_chinese(text: str) -> Finding | None:
    """Return the first Chinese (Han) character in ``text``."""
    for index, char in enumerate(text):
        if _in_ranges(char, _CHINESE_RANGES):
            return Finding(char, index + 1)
    return None


def find_emoji(text: str) -> Finding | None:
    """Return the first emoji in ``text``; a presentation selector is reported with the symbol it styles."""
    for index, char in enumerate(text):
        if _in_ranges(char, _EMOJI_RANGES):
            if char in ("\ufe0f", "\u20e3") and index > 0:
                return Finding(text[index - 1 : index + 1], index)
            return Finding(char, index + 1)
    return None


def find_control(text: str, allowed: frozenset[str] = frozenset()) -> Finding | None:
    """Return the first control character in ``text`` that is not in ``allowed``."""
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cc" and char not in allowed:
            return Finding(char, index + 1)
    return None


def find_html_escape(text: str) -> Finding | None:
    """Return the first HTML character reference (``&amp;``, ``&#39;``, ``&#x2F;``) in ``text``."""
    for match in _HTML_ESCAPE.finditer(text):
        body = match.group(1)
        # A named reference counts only if HTML knows the name: "AT&T;" is text, "&amp;" is an escape.
        if body.startswith("#") or body + ";" in html5:
            return Finding(match.group(0), match.start() + 1)
    return None


def find_repeated_run(text: str, limit: int = MAX_REPEATED_CHARACTERS) -> Finding | None:
    """Return the first run of one non-space character repeated more than ``limit`` times."""
    run_start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or text[index] != text[run_start]:
            if index - run_start > limit and not text[run_start].isspace():
                return Finding(text[run_start:index], run_start + 1)
            run_start = index
    return None


def is_symbols_only(text: str) -> bool:
    """Tell whether ``text`` has visible characters but no letter or digit in any script."""
    visible = [char for char in text if not char.isspace()]
    return bool(visible) and not any(unicodedata.category(char)[0] in "LN" for char in visible)
