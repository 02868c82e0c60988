"""The inventory a TikTok product is created or edited with: one warehouse, or every mapped one.

Create and full Edit Product carry each SKU's inventory. With ``inventory_warehouses`` set, the
inventory push sends every SKU to every mapped warehouse, and TikTok refuses an update that leaves
out a warehouse a SKU is stocked in (12019028), so a listing must not be created, or edited, into
the default warehouse alone: the catalog push lists every mapped warehouse with the split the
inventory push would send. Without the map it lists the one warehouse, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.tiktok.flows.inventory_plan import available_quantity, one_piece_split
from connectors.tiktok.flows.inventory_stock import SplitStock


@dataclass(frozen=True)
class ListingInventory:
    """Where a listing's stock goes: ``warehouse_id`` alone, or ``warehouses`` split by ``split``."""

    warehouse_id: str
    split: SplitStock | None = None
    warehouses: tuple[str, ...] = ()
    buffer: int = 0

    @classmethod
    def per_warehouse(cls, split: SplitStock, warehouses: set[str], buffer: int) -> ListingInventory:
        return cls(warehouse_id="", split=split, warehouses=tuple(sorted(warehouses)), buffer=buffer)

    def entries(self, seller_sku: str, quantity: int | None, *, pre_owned: bool) -> list[dict[str, Any]]:
        """The ``inventory`` list of one SKU of the body.

        ``quantity`` is what the catalog push lists in one warehouse (for a pre-owned item 1 until
        it sells); per warehouse each gets its locations' available stock less the buffer, like the
        inventory push, and a pre-owned item's one unit goes where the most stock is.
        """
        if self.split is None:
            return [{"warehouse_id": self.warehouse_id, "quantity": quantity or 0}]
        stock = self.split.get(seller_sku, {})
        available = {
            warehouse: available_quantity(stock[warehouse], self.buffer) if warehouse in stock else 0
            for warehouse in self.warehouses
        }
        if pre_owned:
            available = one_piece_split(available, quantity or 0)
        return [{"warehouse_id": warehouse, "quantity": count} for warehouse, count in available.items()]
