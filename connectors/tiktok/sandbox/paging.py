"""Page tokens the way TikTok hands them out: opaque base64 (with ``+`` and ``/``), empty at the end.

Tokens are keyset cursors (the sort key of the last item sent), so a page never repeats or skips an
item that did not change while the client paged.
"""

from __future__ import annotations

import base64
import bisect
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from connectors.tiktok.sandbox.envelope import invalid_param

T = TypeVar("T")
MAX_PAGE_SIZE = 100  # UNCERTAIN for orders; finance documents 1-100


def page_size(raw: Any, default: int | None = None) -> int:
    """Validate ``page_size`` (required unless a default is given)."""
    if raw in (None, ""):
        if default is None:
            raise invalid_param("page_size", "is required")
        return default
    try:
        size = int(raw)
    except (TypeError, ValueError):
        raise invalid_param("page_size") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise invalid_param("page_size", f"must be between 1 and {MAX_PAGE_SIZE}")
    return size


def encode_token(cursor: list[Any]) -> str:
    # A fixed salt prefix makes ordinary cursors produce '+' and '/' in the token, like TikTok's.
    raw = b"\xfb\xff\xbe" + json.dumps(cursor, separators=(",", ":")).encode()
    return base64.b64encode(raw).decode()


def decode_token(token: str) -> list[Any]:
    try:
        raw = base64.b64decode(token.encode(), validate=True)
        cursor = json.loads(raw[3:])
    except (ValueError, UnicodeDecodeError):
        raise invalid_param("page_token") from None
    if not isinstance(cursor, list):
        raise invalid_param("page_token")
    return cursor


def keyset_page(
    items: Sequence[T], key: Callable[[T], list[Any]], size: int, token: str | None, descending: bool = False
) -> tuple[list[T], str]:
    """Sort ``items`` by ``key``, return the page after ``token`` and the next token ('' at the end)."""
    decorated = sorted(((key(item), n) for n, item in enumerate(items)), reverse=descending)
    keys = [k for k, _ in decorated]
    start = 0
    if token:
        after = decode_token(token)
        if descending:
            # Keys run high to low; skip every key >= after.
            start = len(keys) - bisect.bisect_left(keys[::-1], after)
        else:
            start = bisect.bisect_right(keys, after)
    chosen = decorated[start : start + size]
    page = [items[n] for _, n in chosen]
    more = start + size < len(decorated)
    next_token = encode_token(chosen[-1][0]) if more and chosen else ""
    return page, next_token
