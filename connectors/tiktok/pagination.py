"""Page-token pagination, TikTok style.

A search answers ``next_page_token``; the next call sends it as the ``page_token`` query parameter.
An empty token means the last page. A token seen twice means the server is looping, which would
make a pull run forever, so it is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

from connectors.tiktok.errors import TikTokError


class RepeatedPageTokenError(TikTokError):
    """The server handed back a page token it had already given: pagination would never end."""

    exception_code = "tiktok.pagination_loop"


class HasNextPageToken(Protocol):
    @property
    def next_page_token(self) -> str: ...


PageT = TypeVar("PageT", bound=HasNextPageToken)


class PageTokenPaginator:
    """Tracks the token to send next; `advance` with each page's ``next_page_token``."""

    def __init__(self, start_token: str | None = None) -> None:
        self.current_value: str | None = start_token or None
        self.finished = False
        self.pages = 0
        self._seen: set[str] = set()

    def advance(self, next_page_token: str | None) -> None:
        """Record one page; finish on an empty token, raise on a repeated one."""
        if self.finished:
            raise RuntimeError("paginator already finished")
        self.pages += 1
        if not next_page_token:
            self.finished = True
            self.current_value = None
            return
        if next_page_token in self._seen or next_page_token == self.current_value:
            raise RepeatedPageTokenError(
                f"page token repeated after {self.pages} pages; stopping instead of looping"
            )
        if self.current_value:
            self._seen.add(self.current_value)
        self._seen.add(next_page_token)
        self.current_value = next_page_token


def iterate_pages(fetch: Callable[[str | None], PageT], start_token: str | None = None) -> Iterator[PageT]:
    """Yield pages from ``fetch(page_token)`` until the last one."""
    paginator = PageTokenPaginator(start_token)
    while not paginator.finished:
        page = fetch(paginator.current_value)
        paginator.advance(page.next_page_token)
        yield page
