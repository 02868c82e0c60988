"""Which stock ``push_inventory`` sends to which TikTok warehouse, read from the store.

One warehouse (the default): each SKU's total over every source location, or over
``inventory_location`` only, for ``default_warehouse_id`` or the shop's default sales warehouse.
Per warehouse (``inventory_warehouses``): each SKU's stock per mapped TikTok warehouse, the sum
over the locations (matched by code, i.e. external id) mapped to it; other locations do not count.
Source locations are those of every other connection (SFCC inventory lists), never the TikTok
connection's own warehouses.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TypeVar

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext
from connectors.tiktok.settings import TikTokSettings
from store.repositories.inventory import InventoryRepository, StockTotal
from store.repositories.locations import LocationRepository

# Stock of each SKU: one total (one warehouse), or per TikTok warehouse id (inventory_warehouses).
SingleStock = dict[str, StockTotal]
SplitStock = dict[str, dict[str, StockTotal]]
_S = TypeVar("_S", StockTotal, dict[str, StockTotal])


def single_warehouse(ctx: FlowContext, settings: TikTokSettings) -> str:
    """The one TikTok warehouse: ``default_warehouse_id``, else the shop's default sales warehouse."""
    if settings.default_warehouse_id:
        return settings.default_warehouse_id
    default = LocationRepository(ctx.session).default_for(ctx.connection.id, "sales")
    if default is None:
        raise FlowError(
            f"No TikTok warehouse to push inventory to on connection {ctx.connection.name}: the shop has no "
            "default sales warehouse in the store. Let pull_locations run, or set default_warehouse_id.",
            code="inventory.mismatch",
            category="inventory",
        )
    return default.external_id


def single_stock(ctx: FlowContext, settings: TikTokSettings) -> SingleStock:
    """Each SKU's total over every source location, or over ``inventory_location`` only."""
    repository = InventoryRepository(ctx.session)
    location_ids = None
    if settings.inventory_location:
        matches = repository.matching_locations(
            settings.inventory_location, exclude_connection_id=ctx.connection.id
        )
        if not matches:
            raise FlowError(
                f"inventory_location '{settings.inventory_location}' of connection {ctx.connection.name} "
                "matches no location in the store (by id or name), so no inventory was pushed. Fix the "
                "setting, or check that the SFCC inventory pull has run.",
                code="inventory.mismatch",
                category="inventory",
            )
        location_ids = [location.id for location in matches]
    totals = repository.stock_totals(exclude_connection_id=ctx.connection.id, location_ids=location_ids)
    if location_ids is not None:
        # A SKU stocked only elsewhere has none at the chosen location: TikTok should show 0.
        for sku in repository.stock_totals(exclude_connection_id=ctx.connection.id):
            totals.setdefault(sku, StockTotal(sku, 0, 0))
    return _only_wanted(settings, totals)


def split_stock(ctx: FlowContext, settings: TikTokSettings) -> SplitStock:
    """Each SKU's stock per mapped TikTok warehouse: the sum over the locations mapped to it.

    Every SKU stocked anywhere outside this connection is included, with 0 at a warehouse whose
    locations have none of it (TikTok should show 0 there, and the update must list every warehouse).
    """
    repository = InventoryRepository(ctx.session)
    locations_of: dict[str, list[int]] = defaultdict(list)
    missing: list[str] = []
    for code, warehouse in sorted(settings.inventory_warehouses.items()):
        found = [
            location.id
            for location in repository.matching_locations(code, exclude_connection_id=ctx.connection.id)
            if location.external_id == code
        ]
        if not found:
            missing.append(code)
        locations_of[warehouse].extend(found)
    if missing:
        raise FlowError(
            f"inventory_warehouses of connection {ctx.connection.name} maps location code(s) "
            f"{', '.join(repr(code) for code in missing)}, which match no location in the store, so no "
            "inventory was pushed (each SKU must be sent to every mapped warehouse at once). Use the SFCC "
            "inventory list ids as codes, or check that the SFCC inventory pull has run.",
            code="inventory.mismatch",
            category="inventory",
        )
    exclude = ctx.connection.id
    per_warehouse = {
        warehouse: repository.stock_totals(exclude_connection_id=exclude, location_ids=ids)
        for warehouse, ids in sorted(locations_of.items())
    }
    stocked = repository.stock_totals(exclude_connection_id=exclude)
    empty = StockTotal("", 0, 0)  # a warehouse whose locations have none of the SKU
    split = {sku: {w: totals.get(sku, empty) for w, totals in per_warehouse.items()} for sku in stocked}
    return _only_wanted(settings, split)


def _only_wanted(settings: TikTokSettings, stock: dict[str, _S]) -> dict[str, _S]:
    if not settings.inventory_skus:
        return stock
    wanted = set(settings.inventory_skus)
    return {sku: value for sku, value in stock.items() if sku in wanted}
