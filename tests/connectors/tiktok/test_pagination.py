"""The page-token paginator over canned pages."""

from __future__ import annotations

import pytest

from connectors.tiktok.pagination import PageTokenPaginator, RepeatedPageTokenError, iterate_pages
from connectors.tiktok.schemas import OrderPage

PAGES = {
    None: {
        "orders": [{"id": "1", "status": "DELIVERED"}],
        "next_page_token": "aGVsbG8+/w==",
        "total_count": 3,
    },
    "aGVsbG8+/w==": {
        "orders": [{"id": "2", "status": "DELIVERED"}],
        "next_page_token": "b2s=",
        "total_count": 3,
    },
    "b2s=": {"orders": [{"id": "3", "status": "DELIVERED"}], "next_page_token": "", "total_count": 3},
}


def test_paginator_follows_tokens_until_empty() -> None:
    asked: list[str | None] = []

    def fetch(token: str | None) -> OrderPage:
        asked.append(token)
        return OrderPage.model_validate(PAGES[token])

    ids = [o.id for page in iterate_pages(fetch) for o in page.orders]
    assert ids == ["1", "2", "3"]
    assert asked == [None, "aGVsbG8+/w==", "b2s="]


def test_paginator_raises_on_repeated_token() -> None:
    paginator = PageTokenPaginator()
    paginator.advance("a")
    paginator.advance("b")
    with pytest.raises(RepeatedPageTokenError, match="repeated"):
        paginator.advance("a")


def test_paginator_raises_when_server_returns_the_same_token() -> None:
    def fetch(token: str | None) -> OrderPage:
        return OrderPage.model_validate({"orders": [], "next_page_token": "loop"})

    pages = iterate_pages(fetch)
    next(pages)
    with pytest.raises(RepeatedPageTokenError):
        next(pages)


def test_paginator_starts_from_a_saved_token_and_finishes() -> None:
    paginator = PageTokenPaginator("saved")
    assert paginator.current_value == "saved" and not paginator.finished
    paginator.advance("")
    assert paginator.finished and paginator.current_value is None and paginator.pages == 1
    with pytest.raises(RuntimeError):
        paginator.advance("x")
