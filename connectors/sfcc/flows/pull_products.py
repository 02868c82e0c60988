"""Pull the SFCC catalog (masters, variants, items) into the store's Product rows.

Incremental: the Data API `product_search` is filtered on `last_modified` from the cursor and
sorted by it, so the cursor only moves forward. An instance that refuses the filter is read in
full, and content hashes keep unchanged products from being rewritten. *Force product catalog
resync* rereads and rewrites everything once each time it is switched on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import chain
from typing import Any

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowResult
from connectors.sfcc.errors import SfccError
from connectors.sfcc.flows.catalog_writer import CatalogWriter
from connectors.sfcc.flows.sku_map import master_skus_by_sfcc_sku
from connectors.sfcc.pulls import iter_products
from connectors.sfcc.schemas import Product
from connectors.sfcc.settings import SfccSettings

PAGE_SIZE = 200


def pull_products(ctx: FlowContext) -> FlowResult:
    """Products changed since the cursor (or all of them) -> Product rows and SFCC listings."""
    settings = ctx.settings
    assert isinstance(settings, SfccSettings)
    cursor: dict[str, Any] = ctx.cursor if isinstance(ctx.cursor, dict) else {}
    force = settings.force_catalog_resync and not cursor.get("forced")
    since = None if force else _parse(cursor.get("since"))
    stream, mode = _open(ctx, since)
    ctx.count(f"{mode}_read")
    writer = CatalogWriter(ctx, master_skus_by_sfcc_sku(ctx.session, ctx.connection.id), force=force)
    newest = since
    previous: datetime | None = None
    for doc in stream:
        modified = doc.last_modified
        if modified is not None:
            if previous is not None and modified < previous:
                raise FlowError(
                    f"SFCC returned products out of last_modified order ({previous.isoformat()} then "
                    f"{modified.isoformat()} at product {doc.id}); the cursor was not moved. "
                    "The run is retried; if it repeats, force a catalog resync.",
                    code="catalog.not_pulled",
                    category="catalog",
                )
            previous = modified
            newest = modified if newest is None or modified > newest else newest
        writer.apply(doc)
    writer.finish()
    return FlowResult(
        cursor={
            "since": newest.isoformat() if newest else None,
            # Remember that this switch-on of the setting was served; switching it off re-arms it.
            "forced": bool(settings.force_catalog_resync),
        }
    )


def _open(ctx: FlowContext, since: datetime | None) -> tuple[Iterator[Product], str]:
    """The product stream, incremental when possible; falls back on a full read if refused."""
    if since is None:
        return iter_products(ctx.client, None, PAGE_SIZE), "full"
    products = iter_products(ctx.client, since, PAGE_SIZE)
    try:
        first = next(products, None)
    except SfccError as error:
        # An instance whose search index cannot filter on last_modified answers 400: read it
        # all and let the content hashes skip what did not change.
        if error.status_code != 400:
            raise
        return iter_products(ctx.client, None, PAGE_SIZE), "full"
    return (chain([first], products) if first is not None else iter(())), "incremental"


def _parse(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
