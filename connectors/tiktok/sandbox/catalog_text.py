"""The sandbox's checks of a product's title and description, with TikTok's error codes.

Written from the reference independently of the connector's local validator, so that a rule the
validator gets wrong shows up as a disagreement in the paired tests instead of being mirrored.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from connectors.tiktok.sandbox.catalog_rejection import Rejection

TITLE_MAX = 255
TITLE_MIN_OUTSIDE_US_GB = 25
DESCRIPTION_MAX = 10_000
DESCRIPTION_MAX_IMAGES = 30
MAX_RUN = 9
STRICT_TAGS = frozenset({"p", "img", "ul", "ol", "li", "br", "strong", "b", "i", "em", "u"})
_INLINE = frozenset({"br", "strong", "b", "i", "em", "u"})
_BLOCK_PARENTS: dict[str, set[str | None]] = {
    "li": {"ul", "ol"},
    "p": {None},
    "ul": {None},
    "ol": {None},
    "img": {None},
}
_ESCAPE = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_RUN = re.compile(r"(.)\1{" + str(MAX_RUN) + ",}", re.DOTALL)


def _has_chinese(text: str) -> bool:
    return any(
        0x3400 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF or 0x20000 <= ord(c) <= 0x3134F for c in text
    )


def _has_emoji(text: str) -> bool:
    # Pictographs live above U+1F000 or are symbols with emoji presentation; the sandbox is strict.
    return any(
        ord(c) >= 0x1F000
        or ord(c) in (0xFE0F, 0x20E3)
        or (unicodedata.category(c) == "So" and 0x2600 <= ord(c) <= 0x27BF)
        for c in text
    )


def _has_control(text: str, allowed: str = "") -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in text)


def _formatting_problem(text: str, allowed_controls: str = "", raw: str | None = None) -> str | None:
    """The first formatting rule ``text`` breaks; escapes are looked for in ``raw`` when given."""
    if _has_emoji(text):
        return "contains an emoji"
    if _has_control(text, allowed_controls):
        return "contains an ASCII control character"
    if _ESCAPE.search(text if raw is None else raw):
        return "contains an HTML escape sequence"
    if _RUN.search(text):
        return f"repeats a character more than {MAX_RUN} times"
    if text.strip() and not any(c.isalnum() for c in text):
        return "consists of symbols only"
    return None


def check_title(title: object, region: str) -> list[Rejection]:
    """Title rules: present, 1-255 characters (25-255 outside US and GB), no Chinese, formatting."""
    if not isinstance(title, str) or not title.strip():
        return [Rejection(12052261, "The product name cannot be empty.")]
    problems: list[Rejection] = []
    minimum = 1 if region in ("US", "GB") else TITLE_MIN_OUTSIDE_US_GB
    if not minimum <= len(title) <= TITLE_MAX:
        problems.append(
            Rejection(12052051, f"The product name must have {minimum} to {TITLE_MAX} characters.")
        )
    if _has_chinese(title):
        problems.append(Rejection(12052262, "The product name cannot contain Chinese characters."))
    problem = _formatting_problem(title)
    if problem:
        problems.append(Rejection(12052931, f"The product name {problem}."))
    return problems


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.images = 0
        self.bad_tags: list[str] = []
        self.bad_nesting: list[str] = []
        self.bad_images = 0
        self.sources: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1] if self.stack else None
        if tag not in STRICT_TAGS:
            self.bad_tags.append(tag)
        elif tag in _INLINE:
            if parent is not None and parent not in ("p", "li") and parent not in _INLINE:
                self.bad_nesting.append(tag)
        elif parent not in _BLOCK_PARENTS.get(tag, {None}):
            self.bad_nesting.append(tag)
        if tag == "img":
            self.images += 1
            given = {name for name, value in attrs if value}
            self.sources.extend(value for name, value in attrs if name == "src" and value)
            if not {"src", "width", "height"} <= given:
                self.bad_images += 1
        elif tag != "br":
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                continue

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        # Kept as written (less the semicolon): escapes are judged on the raw description.
        self.text.append(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self.text.append(f"&#{name}")


def check_description(
    description: object, *, required: bool, strict: bool, image_urls: set[str] | None = None
) -> list[Rejection]:
    """Description rules: present, at most 10,000 characters and 30 images, tags, formatting.

    With ``image_urls`` (the URLs image upload handed out), every <img> must show one of them.
    """
    if not isinstance(description, str) or not description.strip():
        return [Rejection(12052015, "The product description is required.")] if required else []
    problems: list[Rejection] = []
    if len(description) > DESCRIPTION_MAX:
        problems.append(Rejection(12052013, f"The description exceeds {DESCRIPTION_MAX} characters."))
    outline = _Outline()
    outline.feed(description)
    outline.close()
    if outline.images > DESCRIPTION_MAX_IMAGES:
        problems.append(
            Rejection(12052056, f"The description has more than {DESCRIPTION_MAX_IMAGES} images.")
        )
    if strict and (outline.bad_tags or outline.bad_nesting or outline.bad_images):
        what = (
            f"tag <{outline.bad_tags[0]}> is not supported"
            if outline.bad_tags
            else f"tag <{outline.bad_nesting[0]}> is nested where it is not allowed"
            if outline.bad_nesting
            else "an <img> lacks src, width or height"
        )
        problems.append(Rejection(12019006, f"Invalid description: {what}."))
    foreign = [src for src in outline.sources if image_urls is not None and src not in image_urls]
    if foreign:
        problems.append(
            Rejection(
                12019006,
                f"Invalid description: image {foreign[0]} is not a TikTok Shop image; upload it first.",
            )
        )
    problem = _formatting_problem("".join(outline.text), allowed_controls="\t\n\r", raw=description)
    if problem:
        problems.append(Rejection(12052932, f"The description {problem}."))
    return problems
