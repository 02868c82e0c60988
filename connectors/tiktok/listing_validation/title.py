"""Title rules: length per region, no Chinese characters, and TikTok's formatting rules."""

from __future__ import annotations

from .issue import ListingIssue, invalid, quote
from .text import (
    MAX_REPEATED_CHARACTERS,
    describe_char,
    find_chinese,
    find_control,
    find_emoji,
    find_html_escape,
    find_repeated_run,
    is_symbols_only,
)

__all__ = ["MAX_TITLE_LENGTH", "MIN_TITLE_LENGTH", "SHORT_TITLE_REGIONS", "check_title"]

MAX_TITLE_LENGTH = 255
# The official text gives US and UK titles a minimum of 1 character and every other region 25.
# Second-hand pages quote other bounds (25-200; up to 500 in the US); none is official, so the
# documented ones are used (UNCERTAIN). Lengths are counted in characters (code points).
MIN_TITLE_LENGTH = 25
SHORT_TITLE_REGIONS = frozenset({"US", "GB"})

_FIELD = "title"


def check_title(title: str, region: str) -> list[ListingIssue]:
    """Return the rules ``title`` breaks for a shop in ``region``."""
    if not title.strip():
        return [invalid(_FIELD, "title.required", "The title is empty; give the product a title.")]
    issues: list[ListingIssue] = []
    length = len(title)
    if length > MAX_TITLE_LENGTH:
        issues.append(
            invalid(
                _FIELD,
                "title.max_length",
                f"The title is {length} characters long; TikTok Shop allows at most {MAX_TITLE_LENGTH}, "
                f"so shorten it by {length - MAX_TITLE_LENGTH} characters.",
            )
        )
    minimum = 1 if region in SHORT_TITLE_REGIONS else MIN_TITLE_LENGTH
    if length < minimum:
        issues.append(
            invalid(
                _FIELD,
                "title.min_length",
                f"The title {quote(title)} is {length} characters long; TikTok Shop in {region} needs at "
                f"least {minimum}, so add {minimum - length} more (for example brand, type and key feature).",
            )
        )
    if (found := find_chinese(title)) is not None:
        issues.append(
            invalid(
                _FIELD,
                "title.chinese_characters",
                f"The title contains the Chinese character {describe_char(found.text)} at "
                f"position {found.position}; TikTok Shop rejects Chinese characters in titles, so "
                "translate or remove it.",
            )
        )
    if (found := find_emoji(title)) is not None:
        issues.append(
            invalid(
                _FIELD,
                "title.emoji",
                f"The title contains the emoji '{found.text}' at position {found.position}; remove it.",
            )
        )
    if (found := find_control(title)) is not None:
        issues.append(
            invalid(
                _FIELD,
                "title.control_character",
                f"The title contains the control character {describe_char(found.text)} at position "
                f"{found.position}; remove it (titles are one line of plain text).",
            )
        )
    if (found := find_html_escape(title)) is not None:
        issues.append(
            invalid(
                _FIELD,
                "title.html_escape",
                f"The title contains the HTML escape {quote(found.text)} at position {found.position}; "
                "write the character itself instead.",
            )
        )
    if (found := find_repeated_run(title)) is not None:
        issues.append(
            invalid(
                _FIELD,
                "title.repeated_characters",
                f"The title repeats {describe_char(found.text[0])} {len(found.text)} times in a row "
                f"at position {found.position}; TikTok Shop allows at most "
                f"{MAX_REPEATED_CHARACTERS}, so shorten the run.",
            )
        )
    if is_symbols_only(title):
        issues.append(
            invalid(
                _FIELD,
                "title.symbols_only",
                f"The title {quote(title)} has no letters or digits; describe the product in words.",
            )
        )
    return issues
