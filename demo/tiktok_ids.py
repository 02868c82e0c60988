"""Fixed TikTok ids and logistics of the demo shop (shop, warehouses, delivery options, carriers)."""

from __future__ import annotations

from decimal import Decimal

from demo.orders import ECONOMY, EXPRESS, NEXT_DAY, STANDARD

SHOP_ID = "7495987110231049731"
SHOP_CIPHER = "ROW_demoCipherJuniperPine0AAAAeVAQra0eZW"
WAREHOUSE_ID = "7068517275539719942"
RETURN_WAREHOUSE_ID = "7068517275539719943"
DELIVERY_OPTION_IDS = {
    STANDARD: "7091146663229654789",
    EXPRESS: "7091146663229654790",
    NEXT_DAY: "7091146663229654791",
    ECONOMY: "7091146663229654792",
}
SHIPPING_FEES = {STANDARD: Decimal("0.00"), EXPRESS: Decimal("9.99"), NEXT_DAY: Decimal("19.99")}
SHIPPING_FEES[ECONOMY] = Decimal("2.99")
PROVIDERS = {"USPS": "6617675021119438849", "UPS": "6617675021119438850", "FedEx": "6617675021119438851"}
TIKTOK_PROVIDER = ("6617675021119438860", "TikTok Shipping")
# TikTok's count is a little stale at the start: the inventory push brings it in line with SFCC.
STALE_STOCK_OFFSET = 7
