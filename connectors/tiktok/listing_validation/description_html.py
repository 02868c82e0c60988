"""An outline of a description's HTML: which tags appear, where they nest, and its images.

Only the standard library parser is used. The outline records facts; description.py decides which
of them break TikTok's rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.entities import html5
from html.parser import HTMLParser

__all__ = [
    "ALLOWED_TAGS",
    "ALLOW_NESTED_INLINE",
    "BLOCK_TAGS",
    "INLINE_TAGS",
    "DescriptionOutline",
    "ImageTag",
    "Misplaced",
    "outline_description",
]

# The strict tag set from the official text (newer text accepts any HTML but rewrites some tags;
# the strict set is the one every version accepts unchanged).
BLOCK_TAGS = frozenset({"p", "ul", "ol", "li", "img"})
INLINE_TAGS = frozenset({"strong", "b", "i", "em", "u", "br"})
ALLOWED_TAGS = BLOCK_TAGS | INLINE_TAGS

# The official text forbids nesting except inline tags inside <p> or <li>. Whether an inline tag
# may sit inside another (bold italic) is not said (UNCERTAIN); allowing it is the likelier reading,
# since the rule is aimed at nested blocks.
ALLOW_NESTED_INLINE = True

# Elements that never have an end tag, so that they are not kept open on the stack.
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Tags after which text belongs to a new line, so that text checks do not join separate blocks.
_BREAKING_TAGS = BLOCK_TAGS | {"br"}


@dataclass(frozen=True)
class ImageTag:
    """An <img> tag: its attributes and its place in the source (1-based line and column)."""

    attributes: dict[str, str | None]
    line: int
    column: int


@dataclass(frozen=True)
class Misplaced:
    """A tag whose nearest allowed ancestor (None at top level) is not a permitted parent."""

    tag: str
    parent: str | None
    line: int
    column: int


@dataclass
class DescriptionOutline:
    """What the description's HTML contains."""

    disallowed: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # tag -> (count, line, column)
    misplaced: list[Misplaced] = field(default_factory=list)
    images: list[ImageTag] = field(default_factory=list)
    escapes: list[tuple[str, int, int]] = field(default_factory=list)  # (escape, line, column)
    text: str = ""


def parent_allowed(tag: str, parent: str | None) -> bool:
    """Tell whether the allowed ``tag`` may sit directly inside ``parent`` (None: top level)."""
    if tag in INLINE_TAGS:
        return parent in ("p", "li") or (ALLOW_NESTED_INLINE and parent in INLINE_TAGS)
    if tag == "li":
        return parent in ("ul", "ol")
    return parent is None


class _OutlineParser(HTMLParser):
    def __init__(self) -> None:
        # Character references are kept apart from text so that they can be reported as escapes.
        super().__init__(convert_charrefs=False)
        self.outline = DescriptionOutline()
        self._stack: list[str] = []
        self._text: list[str] = []
        self._seen_misplaced: set[tuple[str, str | None]] = set()

    def _position(self) -> tuple[int, int]:
        line, offset = self.getpos()
        return line, offset + 1

    def _parent(self) -> str | None:
        # Disallowed tags are dropped by TikTok, so the parent that counts is the nearest allowed one.
        for tag in reversed(self._stack):
            if tag in ALLOWED_TAGS:
                return tag
        return None

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self._position()
        if tag in _BREAKING_TAGS:
            self._text.append("\n")
        if tag not in ALLOWED_TAGS:
            count, first_line, first_column = self.outline.disallowed.get(tag, (0, line, column))
            self.outline.disallowed[tag] = (count + 1, first_line, first_column)
            return
        parent = self._parent()
        if not parent_allowed(tag, parent) and (tag, parent) not in self._seen_misplaced:
            # One report per kind of misplacement: a long list repeating it helps no one.
            self._seen_misplaced.add((tag, parent))
            self.outline.misplaced.append(Misplaced(tag, parent, line, column))
        if tag == "img":
            self.outline.images.append(ImageTag(dict(attrs), line, column))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)
        if tag not in _VOID_TAGS:
            self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKING_TAGS:
            self._text.append("\n")
        if tag in self._stack:
            # Close everything left open inside it, as a browser would.
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_entityref(self, name: str) -> None:
        # "AT&T" reaches here as the name "T"; only names HTML defines are real escapes.
        if name in html5 or name + ";" in html5:
            self.outline.escapes.append((f"&{name};", *self._position()))
        else:
            self._text.append(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self.outline.escapes.append((f"&#{name};", *self._position()))

    def close(self) -> None:
        super().close()
        self.outline.text = "".join(self._text)


def outline_description(html: str) -> DescriptionOutline:
    """Parse ``html`` and return its outline; malformed HTML is read as leniently as a browser would."""
    parser = _OutlineParser()
    parser.feed(html)
    parser.close()
    return parser.outline
