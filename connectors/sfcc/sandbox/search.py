"""The part of the OCAPI search query language the sandbox understands, applied to documents.

Covers `match_all_query`, `term_query`, `filtered_query`, `bool_query`, `range_filter`,
`term_filter` and `bool_filter`; anything else is rejected so a client never gets silently
wrong results.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any


class UnsupportedQuery(ValueError):
    """The query uses a construct the sandbox does not implement."""


def _value(doc: dict[str, Any], field: str) -> Any:
    return doc.get(field)


def _comparable(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _term(term: dict[str, Any], doc: dict[str, Any]) -> bool:
    fields = term.get("fields") or [term.get("field")]
    op = term.get("operator", "is")
    values = [_comparable(v) for v in term.get("values", [])]
    for field in fields:
        value = _comparable(_value(doc, str(field)))
        if op in ("is", "one_of") and value in values:
            return True
        if op == "not_in" and value not in values:
            return True
        if op == "neq" and values and value != values[0]:
            return True
        if op == "is_null" and value is None:
            return True
        if op == "is_not_null" and value is not None:
            return True
        if op == "less" and value is not None and values and value < values[0]:
            return True
        if op == "greater" and value is not None and values and value > values[0]:
            return True
    return False


def _range(spec: dict[str, Any], doc: dict[str, Any]) -> bool:
    value = _comparable(_value(doc, spec["field"]))
    if value is None:
        return False
    if "from" in spec:
        low = _comparable(spec["from"])
        if value < low or (value == low and spec.get("from_inclusive", True) is False):
            return False
    if "to" in spec:
        high = _comparable(spec["to"])
        if value > high or (value == high and spec.get("to_inclusive", True) is False):
            return False
    return True


def passes(filter_: dict[str, Any], doc: dict[str, Any]) -> bool:
    """Whether `doc` passes an OCAPI filter."""
    if "range_filter" in filter_:
        return _range(filter_["range_filter"], doc)
    if "term_filter" in filter_:
        return _term(filter_["term_filter"], doc)
    if "bool_filter" in filter_:
        spec = filter_["bool_filter"]
        results = [passes(f, doc) for f in spec.get("filters", [])]
        op = spec.get("operator", "and")
        return all(results) if op == "and" else any(results) if op == "or" else not any(results)
    raise UnsupportedQuery(f"filter {sorted(filter_)} is not supported by the sandbox")


def matches(query: dict[str, Any], doc: dict[str, Any]) -> bool:
    """Whether `doc` matches an OCAPI query."""
    if "match_all_query" in query:
        return True
    if "term_query" in query:
        return _term(query["term_query"], doc)
    if "filtered_query" in query:
        spec = query["filtered_query"]
        return matches(spec["query"], doc) and passes(spec["filter"], doc)
    if "bool_query" in query:
        spec = query["bool_query"]
        must = all(matches(q, doc) for q in spec.get("must", []))
        must_not = not any(matches(q, doc) for q in spec.get("must_not", []))
        should = spec.get("should", [])
        return must and must_not and (not should or any(matches(q, doc) for q in should))
    raise UnsupportedQuery(f"query {sorted(query)} is not supported by the sandbox")


def search(docs: list[dict[str, Any]], body: dict[str, Any]) -> tuple[list[dict[str, Any]], int, int]:
    """Filter, sort and page; returns (page, start, total)."""
    hits = [d for d in docs if matches(body.get("query") or {"match_all_query": {}}, d)]
    for sort in reversed(body.get("sorts") or []):
        field = str(sort["field"])
        hits.sort(key=lambda d: str(_value(d, field) or ""), reverse=sort.get("sort_order") == "desc")
    start = int(body.get("start", 0))
    count = min(int(body.get("count", 25)), 200)
    return hits[start : start + count], start, len(hits)
