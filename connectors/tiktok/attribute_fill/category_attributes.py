"""Category attributes from TikTok's Get Attributes, kept per category for a while.

The raw items are read (not the listing validator's model) because attribute fill needs fields the
validator ignores, such as ``value_data_format``. The endpoint and its retries are the client's own;
the cache lives in the process (the daemon is long-running) and is bounded, so a seller with many
categories costs one call per category per ``category_cache_minutes``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any

from .models import AttributeItem

__all__ = ["CategoryAttributeCache", "fetch_category_attributes", "shared_cache"]

ATTRIBUTES_PATH = "/product/202309/categories/{category_id}/attributes"
MAX_CACHED_CATEGORIES = 500


def fetch_category_attributes(client: Any, category_id: str, version: str) -> list[AttributeItem]:
    """GET a category's attribute items through the TikTok client's retrying caller."""
    data = client.caller.call(
        "GET", ATTRIBUTES_PATH.format(category_id=category_id), query={"category_version": version}
    )
    items = data.get("attributes") if isinstance(data, dict) else None
    return [AttributeItem.model_validate(item) for item in items or [] if isinstance(item, dict)]


class CategoryAttributeCache:
    """Attribute items per (shop, category, version), each kept for ``ttl``; least recently used go first."""

    def __init__(self, max_entries: int = MAX_CACHED_CATEGORIES) -> None:
        self._entries: OrderedDict[tuple[str, str, str], tuple[datetime, list[AttributeItem]]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def get(
        self, client: Any, shop: str, category_id: str, version: str, *, now: datetime, ttl: timedelta
    ) -> list[AttributeItem]:
        """The category's items, fetched when absent or older than ``ttl``."""
        key = (shop, category_id, version)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < ttl:
                self._entries.move_to_end(key)
                return entry[1]
        items = fetch_category_attributes(client, category_id, version)
        with self._lock:
            self._entries[key] = (now, items)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return items

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_SHARED = CategoryAttributeCache()


def shared_cache() -> CategoryAttributeCache:
    """The process's cache (created empty at import: no I/O happens until a flow asks)."""
    return _SHARED
