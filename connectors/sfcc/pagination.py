"""One small paginator per SFCC API style: OCAPI start/count and SCAPI offset/limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class PaginationError(RuntimeError):
    """The API sent a page that would make us read the same page again, forever."""


class OcapiStartCountPaginator:
    """OCAPI lists and searches: `start`, `count`, `total` in every result document."""

    def __init__(self, count: int = 200, start: int = 0) -> None:
        if not 1 <= count <= 200:
            # 200 is the usual OCAPI page cap (UNCERTAIN in the reference; it is what we ask for).
            raise ValueError(f"OCAPI page size {count} is outside 1..200")
        self.count = count
        self.current_value = start
        self.finished = False

    def params(self) -> dict[str, int]:
        """Query or body fields for the next page."""
        return {"start": self.current_value, "count": self.count}

    def advance(self, page: Mapping[str, Any]) -> None:
        """Move past `page`, or finish when it was the last one."""
        items = page.get("data", page.get("hits")) or []
        got = int(page.get("count", len(items)))
        start = int(page.get("start", self.current_value))
        if start != self.current_value:
            raise PaginationError(f"asked OCAPI for start={self.current_value}, got a page at start={start}")
        total = page.get("total")
        new_start = start + got
        if got == 0 or (total is not None and new_start >= int(total)):
            self.finished = True
            return
        if new_start <= self.current_value:
            raise PaginationError(f"OCAPI page at start={start} does not move forward")
        self.current_value = new_start


class ScapiOffsetLimitPaginator:
    """SCAPI lists: `offset`/`limit` in the query, `data` in the body, offset+limit <= 10000."""

    WINDOW = 10_000

    def __init__(self, limit: int = 200, offset: int = 0) -> None:
        if not 1 <= limit <= 200:
            raise ValueError(f"SCAPI page size {limit} is outside 1..200")
        self.limit = limit
        self.current_value = offset
        self.finished = False
        #: True when the 10,000-result window ended the walk; callers restart from their cursor.
        self.truncated = False

    def params(self) -> dict[str, int]:
        """Query parameters for the next page."""
        return {"offset": self.current_value, "limit": self.limit}

    def advance(self, page: Mapping[str, Any]) -> None:
        """Move past `page`; a short page is the last one (SCAPI lists may carry no total)."""
        items = page.get("data") or []
        offset = int(page.get("offset", self.current_value))
        if offset != self.current_value:
            raise PaginationError(f"asked SCAPI for offset={self.current_value}, got offset={offset}")
        total = page.get("total")
        new_offset = offset + len(items)
        if len(items) < self.limit or (total is not None and new_offset >= int(total)):
            self.finished = True
            return
        if new_offset + self.limit > self.WINDOW:
            self.finished = True
            self.truncated = True
            return
        self.current_value = new_offset
