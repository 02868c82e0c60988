"""OCAPI start/count and SCAPI offset/limit paginators with canned pages."""

from __future__ import annotations

import pytest

from connectors.sfcc.pagination import OcapiStartCountPaginator, PaginationError, ScapiOffsetLimitPaginator


def test_ocapi_paginator_walks_until_total() -> None:
    pager = OcapiStartCountPaginator(count=2)
    seen = []
    pages = [
        {"start": 0, "count": 2, "total": 5, "data": [1, 2]},
        {"start": 2, "count": 2, "total": 5, "data": [3, 4]},
        {"start": 4, "count": 1, "total": 5, "data": [5]},
    ]
    for page in pages:
        assert not pager.finished
        assert pager.params() == {"start": page["start"], "count": 2}
        seen.extend(page["data"])
        pager.advance(page)
    assert pager.finished
    assert seen == [1, 2, 3, 4, 5]


def test_ocapi_paginator_counts_search_hits_and_stops_on_empty_page() -> None:
    pager = OcapiStartCountPaginator(count=3)
    pager.advance({"start": 0, "hits": [{"data": 1}, {"data": 2}, {"data": 3}]})
    assert pager.current_value == 3 and not pager.finished
    pager.advance({"start": 3, "hits": []})
    assert pager.finished


def test_ocapi_paginator_raises_on_a_page_from_the_wrong_place() -> None:
    pager = OcapiStartCountPaginator(count=2)
    pager.advance({"start": 0, "count": 2, "total": 10, "data": [1, 2]})
    with pytest.raises(PaginationError, match="start=2"):
        pager.advance({"start": 0, "count": 2, "total": 10, "data": [1, 2]})


def test_ocapi_paginator_rejects_page_size_above_200() -> None:
    with pytest.raises(ValueError, match=r"1\.\.200"):
        OcapiStartCountPaginator(count=500)


def test_scapi_paginator_stops_on_short_page() -> None:
    pager = ScapiOffsetLimitPaginator(limit=2)
    pager.advance({"data": [{"orderNo": "1"}, {"orderNo": "2"}]})
    assert pager.params() == {"offset": 2, "limit": 2}
    pager.advance({"data": [{"orderNo": "3"}]})
    assert pager.finished and not pager.truncated


def test_scapi_paginator_stops_at_the_10000_window_and_says_so() -> None:
    pager = ScapiOffsetLimitPaginator(limit=200, offset=9800)
    pager.advance({"data": [{}] * 200})
    assert pager.finished and pager.truncated


def test_scapi_paginator_raises_on_repeated_offset() -> None:
    pager = ScapiOffsetLimitPaginator(limit=1)
    pager.advance({"data": [{}], "offset": 0})
    with pytest.raises(PaginationError):
        pager.advance({"data": [{}], "offset": 0})
