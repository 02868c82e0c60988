"""Pull the shop's TikTok warehouses (sales and return) into Location rows, default marked.

The warehouse list is short and unpaged, so every run reads it whole: a warehouse TikTok no longer
lists is removed, and exactly one sales warehouse (and one return warehouse) is the default.
"""

from __future__ import annotations

from typing import Any

from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.failures import connection_failure
from connectors.tiktok.schemas import Warehouse
from store.repositories.locations import LocationRepository

_KINDS = {"SALES_WAREHOUSE": "sales", "RETURN_WAREHOUSE": "return"}


def pull_locations(ctx: FlowContext) -> FlowResult:
    """Upsert every warehouse; remove the ones TikTok dropped (never on an empty answer)."""
    try:
        warehouses = sorted(ctx.client.get_warehouses(), key=lambda w: w.id)
    except TikTokError as error:
        raise connection_failure(error, "Reading the TikTok shop's warehouses failed") from error
    locations = LocationRepository(ctx.session)
    defaults_taken: set[str] = set()
    for warehouse in warehouses:
        kind = location_kind(warehouse)
        # TikTok marks one default per warehouse type; keep the first should it ever mark two.
        is_default = warehouse.is_default and kind not in defaults_taken
        if is_default:
            defaults_taken.add(kind)
        _, created = locations.upsert(
            ctx.connection.id,
            warehouse.id,
            {
                "name": warehouse.name or warehouse.id,
                "kind": kind,
                "is_default": is_default,
                "details": _details(warehouse),
            },
        )
        ctx.count("locations_created" if created else "locations_updated")
    if warehouses:
        removed = locations.delete_except(ctx.connection.id, (w.id for w in warehouses))
        ctx.count("locations_removed", len(removed))
    return FlowResult(cursor=None)


def location_kind(warehouse: Warehouse) -> str:
    """``sales`` or ``return`` (another TikTok type is kept, lower-cased)."""
    return _KINDS.get(warehouse.type, (warehouse.type or "sales").lower()[:30])


def _details(warehouse: Warehouse) -> dict[str, Any]:
    return {
        "effect_status": warehouse.effect_status,
        "type": warehouse.type,
        "sub_type": warehouse.sub_type,
        "address": warehouse.address.model_dump(mode="json") if warehouse.address else None,
    }
