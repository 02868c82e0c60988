"""Description rules: length, allowed HTML tags and nesting, images, and forbidden characters."""

from __future__ import annotations

from .description_html import ALLOWED_TAGS, INLINE_TAGS, ImageTag, Misplaced, outline_description
from .issue import ListingIssue, invalid, quote
from .text import (
    MAX_REPEATED_CHARACTERS,
    describe_char,
    find_control,
    find_emoji,
    find_repeated_run,
    is_symbols_only,
)

__all__ = [
    "MAX_DESCRIPTION_IMAGES",
    "MAX_DESCRIPTION_IMAGE_SIDE",
    "MAX_DESCRIPTION_LENGTH",
    "check_description",
]

# Counted over the HTML as sent, tags included: the limit applies to the field's value (error 12052013).
MAX_DESCRIPTION_LENGTH = 10_000
# Only a second-hand source gives 30 (UNCERTAIN); error 12052056 confirms that some limit exists.
MAX_DESCRIPTION_IMAGES = 30
MAX_DESCRIPTION_IMAGE_SIDE = 4000

_FIELD = "description"
# Line breaks and tabs are ordinary in HTML source; every other control character is rejected.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_ALLOWED_LIST = ", ".join(f"<{tag}>" for tag in sorted(ALLOWED_TAGS))


def check_description(description: str) -> list[ListingIssue]:
    """Return the rules the description HTML breaks."""
    outline = outline_description(description)
    if not outline.text.strip() and not outline.images:
        return [
            invalid(
                _FIELD,
                "description.required",
                "The description has no text or images; write a description of the product.",
            )
        ]
    issues: list[ListingIssue] = []
    if len(description) > MAX_DESCRIPTION_LENGTH:
        issues.append(
            invalid(
                _FIELD,
                "description.max_length",
                f"The description is {len(description)} characters long (HTML included); "
                f"TikTok Shop allows at most {MAX_DESCRIPTION_LENGTH}, so shorten it by "
                f"{len(description) - MAX_DESCRIPTION_LENGTH}.",
            )
        )
    for tag, (count, line, column) in sorted(outline.disallowed.items()):
        where = f"at line {line}, column {column}"
        times = where if count == 1 else f"{count} times (first {where})"
        issues.append(
            invalid(
                _FIELD,
                "description.tag_not_allowed",
                f"The description uses <{tag}> {times}; TikTok Shop "
                f"accepts only {_ALLOWED_LIST}, so replace it with one of those.",
            )
        )
    issues.extend(_nesting_issue(item) for item in outline.misplaced)
    if len(outline.images) > MAX_DESCRIPTION_IMAGES:
        issues.append(
            invalid(
                _FIELD,
                "description.max_images",
                f"The description has {len(outline.images)} images; TikTok Shop allows at most "
                f"{MAX_DESCRIPTION_IMAGES}, so remove {len(outline.images) - MAX_DESCRIPTION_IMAGES}.",
            )
        )
    for number, image in enumerate(outline.images, start=1):
        issues.extend(_image_issues(number, image))
    issues.extend(_character_issues(description))
    for escape, line, column in outline.escapes[:1]:
        issues.append(
            invalid(
                _FIELD,
                "description.html_escape",
                f"The description contains the HTML escape {quote(escape)} at line {line}, column {column}; "
                "TikTok Shop rejects escapes, so write the character itself.",
            )
        )
    if (run := find_repeated_run(outline.text)) is not None:
        issues.append(
            invalid(
                _FIELD,
                "description.repeated_characters",
                f"The description repeats {describe_char(run.text[0])} {len(run.text)} times in a row; "
                f"TikTok Shop allows at most {MAX_REPEATED_CHARACTERS}, so shorten the run.",
            )
        )
    if is_symbols_only(outline.text):
        issues.append(
            invalid(
                _FIELD,
                "description.symbols_only",
                "The description text has no letters or digits; describe the product in words.",
            )
        )
    return issues


def _nesting_issue(item: Misplaced) -> ListingIssue:
    where = f"at line {item.line}, column {item.column}"
    if item.tag in INLINE_TAGS and item.parent is None:
        message = f"The description has <{item.tag}> outside any <p> or <li> {where}; wrap that text in <p>."
    elif item.tag in INLINE_TAGS:
        message = (
            f"The description puts <{item.tag}> inside <{item.parent}> {where}; "
            "TikTok Shop allows it only inside <p> or <li>, so move it there."
        )
    elif item.tag == "li":
        message = (
            f"The description has <li> outside <ul> or <ol> {where}; wrap the list items in <ul> or <ol>."
        )
    else:
        message = (
            f"The description puts <{item.tag}> inside <{item.parent}> {where}; TikTok Shop does not "
            f"allow <{item.tag}> to be nested, so move it to the top level."
        )
    return invalid(_FIELD, "description.nesting", message)


def _image_issues(number: int, image: ImageTag) -> list[ListingIssue]:
    where = f"Description image {number} (line {image.line}, column {image.column})"
    lacking = [name for name in ("src", "width", "height") if not (image.attributes.get(name) or "").strip()]
    if lacking:
        return [
            invalid(
                _FIELD,
                "description.image_attributes",
                f"{where} has no {' or '.join(lacking)}; give every <img> a src, a width and a height.",
            )
        ]
    issues: list[ListingIssue] = []
    for side in ("width", "height"):
        raw = (image.attributes.get(side) or "").strip()
        if not raw.isdigit() or int(raw) == 0:
            issues.append(
                invalid(
                    _FIELD,
                    "description.image_size",
                    f"{where} has {side} {quote(raw)}; set it to a whole number of pixels.",
                )
            )
        elif int(raw) > MAX_DESCRIPTION_IMAGE_SIDE:
            issues.append(
                invalid(
                    _FIELD,
                    "description.image_size",
                    f"{where} is {raw} px in {side}; TikTok Shop allows at most "
                    f"{MAX_DESCRIPTION_IMAGE_SIDE} px, so resize it.",
                )
            )
    # Whether src is a TikTok-hosted URL is not checked here: the push uploads description images and
    # rewrites their src, so before a push every src is expected to point elsewhere.
    return issues


def _character_issues(description: str) -> list[ListingIssue]:
    issues: list[ListingIssue] = []
    if (found := find_emoji(description)) is not None:
        issues.append(
            invalid(
                _FIELD,
                "description.emoji",
                f"The description contains the emoji '{found.text}' at character "
                f"{found.position}; remove it.",
            )
        )
    if (found := find_control(description, _ALLOWED_CONTROLS)) is not None:
        issues.append(
            invalid(
                _FIELD,
                "description.control_character",
                f"The description contains the control character {describe_char(found.text)} at character "
                f"{found.position}; remove it.",
            )
        )
    return issues
