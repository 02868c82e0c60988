"""Pull inventory from SFCC: every inventory list is a location, every record an inventory level.

OCAPI inventory lists have no change feed, so every run reads them in full and writes only the
levels that changed. *Force inventory resync* rewrites every level (so every channel receives it
again) and drops levels of SKUs the list no longer holds, once each time it is switched on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from connectors.engine.registry import FlowContext, FlowResult
from connectors.sfcc.flows.sku_map import master_skus_by_sfcc_sku, to_master
from connectors.sfcc.pulls import iter_inventory_lists, iter_inventory_records
from connectors.sfcc.settings import SfccSettings
from store.models import InventoryLevel, Location

PAGE_SIZE = 200


def pull_inventory(ctx: FlowContext) -> FlowResult:
    """Full pull: upsert levels, count what changed; a forced resync rewrites and prunes."""
    settings = ctx.settings
    assert isinstance(settings, SfccSettings)
    cursor: dict[str, Any] = ctx.cursor if isinstance(ctx.cursor, dict) else {}
    force = settings.force_inventory_resync and not cursor.get("forced")
    sku_map = master_skus_by_sfcc_sku(ctx.session, ctx.connection.id)
    for inventory_list in iter_inventory_lists(ctx.client, PAGE_SIZE):
        location = _location(ctx, inventory_list.id, inventory_list.description or inventory_list.id)
        existing = {
            level.sku: level
            for level in ctx.session.scalars(
                select(InventoryLevel).where(InventoryLevel.location_id == location.id)
            )
        }
        seen: set[str] = set()
        for record in iter_inventory_records(ctx.client, inventory_list.id, PAGE_SIZE):
            sku = to_master(sku_map, record.product_id)
            seen.add(sku)
            available = max(0, int(record.ats))
            on_hand = int(record.allocation.amount) if record.allocation else available
            level = existing.get(sku)
            if level is None:
                level = InventoryLevel(sku=sku, location_id=location.id, source=f"sfcc:{ctx.connection.name}")
                ctx.session.add(level)
                existing[sku] = level
            elif not force and level.available == available and level.on_hand == on_hand:
                continue
            level.on_hand = on_hand
            level.available = available
            level.committed = max(0, on_hand - available)
            level.at = ctx.now
            ctx.count("levels_changed")
        if force:
            for sku in sorted(set(existing) - seen):
                ctx.session.delete(existing[sku])
                ctx.count("levels_removed")
        ctx.session.flush()
    # Remember that this switch-on of the setting was served; switching it off re-arms it.
    return FlowResult(cursor={"at": ctx.now.isoformat(), "forced": bool(settings.force_inventory_resync)})


def _location(ctx: FlowContext, external_id: str, name: str) -> Location:
    location = ctx.session.scalar(
        select(Location).where(
            Location.connection_id == ctx.connection.id, Location.external_id == external_id
        )
    )
    if location is None:
        location = Location(
            connection_id=ctx.connection.id,
            external_id=external_id,
            name=name,
            kind="inventory_list",
        )
        ctx.session.add(location)
        ctx.session.flush()
    return location
