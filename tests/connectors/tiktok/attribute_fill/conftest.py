"""Helpers for attribute fill tests: category attributes from the sandbox seed, and requests."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from connectors.tiktok.attribute_fill import Proposal, SuggestRequest, SuggestResponse, Unfilled

# The catalog tests' daemon over the sandbox, for the end-to-end test of this folder.
from tests.connectors.tiktok.catalog.conftest import (
    app,
    catalog_settings,
    connection_settings,
    image_host,
    store_url,
)

__all__ = [
    "app",
    "catalog_settings",
    "connection_settings",
    "image_host",
    "item",
    "names",
    "outcome",
    "request",
    "seed_items",
    "store_url",
]

SEED = Path(__file__).resolve().parents[4] / "connectors" / "tiktok" / "sandbox" / "catalog_seed.json"


@cache
def _seed() -> dict[str, Any]:
    return dict(json.loads(SEED.read_text(encoding="utf-8")))


def seed_items(category_id: str, *names: str) -> list[dict[str, Any]]:
    """Get Attributes items of a seeded category (all, or those named), exactly as the sandbox serves them."""
    items = _seed()["category_attributes"][category_id]
    chosen = [item for item in items if not names or item["name"] in names]
    assert not names or len(chosen) == len(names), f"unknown attribute among {names}"
    return [dict(item) for item in chosen]


def item(
    attribute_id: str,
    name: str,
    values: list[str],
    *,
    multi: bool = False,
    custom: bool = False,
    fmt: str | None = None,
) -> dict[str, Any]:
    """A Get Attributes item made up for a test (value ids are the attribute id plus an index)."""
    document: dict[str, Any] = {
        "id": attribute_id,
        "name": name,
        "type": "PRODUCT_PROPERTY",
        "is_requried": True,
        "is_customizable": custom,
        "is_multiple_selection": multi,
        "values": [{"id": f"{attribute_id}{i:02d}", "name": v} for i, v in enumerate(values)],
        "requirement_conditions": [],
    }
    if fmt:
        document["value_data_format"] = fmt
    return document


def request(title: str, items: list[dict[str, Any]], **product: Any) -> SuggestRequest:
    return SuggestRequest.model_validate({"product": {"title": title, **product}, "attributes": items})


def outcome(response: SuggestResponse, attribute_id: str) -> Proposal | Unfilled:
    """The one answer for ``attribute_id``; fails when it is missing or given twice."""
    found = [p for p in response.proposals if p.attribute_id == attribute_id]
    found += [u for u in response.unfilled if u.attribute_id == attribute_id]  # type: ignore[misc]
    assert len(found) == 1, found
    return found[0]


def names(answer: Proposal | Unfilled) -> list[str]:
    """Proposed value names, or [] when unfilled."""
    return [v.name for v in answer.values] if isinstance(answer, Proposal) else []
