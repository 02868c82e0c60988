"""Incremental reads by a time field with an overlap window, resumable across runs.

A *pass* reads every record whose time lies in ``[ge, lt)``. ``lt`` is fixed when the pass starts
(the run's clock), so a record that changes while the pass pages is caught by the next pass rather
than skipped; the next pass starts ``overlap`` seconds before ``lt`` to absorb clock skew between
TikTok and us. Searches whose sort order TikTok does not promise are treated as unsorted, so the
cursor's ``since`` moves (forward only) when a pass finishes, never in the middle of one. A long
pass continues in the next run from its page token.

The cursor document is ``{"since": int, "pass": {"ge", "lt", "page_token"} | absent}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from connectors.tiktok.pagination import PageTokenPaginator

T = TypeVar("T")


@dataclass
class Pass:
    """One read of ``[ge, lt)``; ``page_token`` is where it stands when spread over runs."""

    ge: int
    lt: int
    page_token: str | None = None
    finished: bool = False


def begin_pass(state: Mapping[str, Any] | None, now: int, overlap_seconds: int) -> Pass:
    """Continue the unfinished pass of ``state``, or start a new one ending at ``now``."""
    state = state or {}
    current = state.get("pass")
    if current:
        return Pass(int(current["ge"]), int(current["lt"]), current.get("page_token") or None)
    since = int(state.get("since") or 0)
    return Pass(ge=max(0, since - overlap_seconds), lt=max(now, since))


def end_pass(state: Mapping[str, Any] | None, read: Pass) -> dict[str, Any]:
    """The cursor document after this run's part of ``read``."""
    since = int((state or {}).get("since") or 0)
    if read.finished:
        return {"since": max(since, read.lt)}
    return {"since": since, "pass": {"ge": read.ge, "lt": read.lt, "page_token": read.page_token}}


def read_pages(
    read: Pass,
    fetch: Callable[[str | None], tuple[Sequence[T], str]],
    handle: Callable[[T], None],
    max_pages: int,
) -> int:
    """Fetch up to ``max_pages`` pages of ``read`` and hand each record on; returns the count.

    ``fetch(page_token)`` returns ``(records, next_page_token)``. A repeated token raises
    (`RepeatedPageTokenError`) rather than looping.
    """
    paginator = PageTokenPaginator(read.page_token)
    handled = 0
    for _ in range(max_pages):
        records, next_token = fetch(paginator.current_value)
        for record in records:
            handle(record)
            handled += 1
        paginator.advance(next_token)
        if paginator.finished:
            read.finished = True
            read.page_token = None
            return handled
        read.page_token = paginator.current_value
    return handled
