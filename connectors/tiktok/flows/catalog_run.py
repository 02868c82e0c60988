"""What one catalog push run knows once: the shop's market and warehouses, categories, images, quota."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.engine.registry import FlowContext
from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.catalog_settings import CatalogSettings
from connectors.tiktok.client import TikTokClient
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.catalog_category import CategoryCatalog
from connectors.tiktok.flows.catalog_images import ImageStore
from connectors.tiktok.flows.catalog_store import attribute_name_mappings
from connectors.tiktok.flows.inventory_stock import split_stock
from connectors.tiktok.flows.listing_inventory import ListingInventory
from connectors.tiktok.settings import TikTokSettings


class QueuedError(Exception):
    """The product waits: today's upload quota is used up."""


class HeldError(Exception):
    """The product is not pushed now; the message says why."""


@dataclass
class PushRun:
    """One run's shared facts and counters."""

    ctx: FlowContext
    settings: CatalogSettings
    client: CatalogClient
    categories: CategoryCatalog
    images: ImageStore
    region: str
    inventory: ListingInventory
    mappings: dict[str, str]
    day: str
    created_today: int

    @classmethod
    def start(cls, ctx: FlowContext, cursor: dict[str, Any]) -> PushRun:
        """Read the shop's region and sales warehouse, and today's upload count from the cursor."""
        settings = ctx.settings
        assert isinstance(settings, TikTokSettings)
        tiktok = ctx.client
        assert isinstance(tiktok, TikTokClient)
        client = CatalogClient(tiktok)
        shops = tiktok.get_authorized_shops()
        shop = next((s for s in shops if s.id == settings.shop_id), shops[0] if shops else None)
        if shop is None:
            raise TikTokError("the authorisation covers no shop; re-authorise the app for the shop")
        if settings.inventory_warehouses:
            inventory = ListingInventory.per_warehouse(
                split_stock(ctx, settings),
                set(settings.inventory_warehouses.values()),
                settings.inventory_buffer,
            )
        else:
            inventory = ListingInventory(settings.default_warehouse_id or _sales_warehouse(tiktok))
        day = ctx.now.date().isoformat()
        return cls(
            ctx=ctx,
            settings=settings.catalog,
            client=client,
            categories=CategoryCatalog(client, settings.catalog.category_version),
            images=ImageStore(tiktok.caller.http, client),
            region=(shop.region or "US").upper(),
            inventory=inventory,
            mappings=attribute_name_mappings(ctx.session, ctx.connection.id),
            day=day,
            created_today=int(cursor.get("created", 0)) if cursor.get("day") == day else 0,
        )

    def may_create(self) -> bool:
        return self.created_today < self.settings.daily_upload_limit

    def settings_fingerprint(self) -> dict[str, Any]:
        """The settings that shape a listing: changing one pushes every product again."""
        s = self.settings
        return {
            "prepare_only": s.prepare_only,
            "update_only": sorted(s.update_only),
            "first_child_image": s.first_child_image_as_variant_image,
            # The key predates the setting's rename; kept so that stored content hashes stay valid.
            "missing_attributes": s.when_attributes_missing,
            "block_inconsistent_variants": s.block_inconsistent_variants,
            "category_version": s.category_version,
            "mappings": sorted(self.mappings.items()),
            "region": self.region,
        }


def _sales_warehouse(client: TikTokClient) -> str:
    warehouses = [w for w in client.get_warehouses() if w.type == "SALES_WAREHOUSE"]
    chosen = next((w for w in warehouses if w.is_default), warehouses[0] if warehouses else None)
    if chosen is None:
        raise TikTokError(
            "the shop has no sales warehouse; add one in Seller Center or set default_warehouse_id"
        )
    return chosen.id
