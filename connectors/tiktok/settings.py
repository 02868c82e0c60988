"""Connection settings a seller enters for a TikTok Shop connection.

Secrets are `SecretStr`: the config loader refuses them in TOML and takes them from the environment
or a secrets file. The toggles mirror the behaviour sellers know from Pipe17's TikTok connector.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from connectors.tiktok.attribute_fill.settings import AttributeFillSettings
from connectors.tiktok.catalog_settings import CatalogSettings

DEFAULT_API_BASE_URL = "https://open-api.tiktokglobalshop.com"
DEFAULT_AUTH_BASE_URL = "https://auth.tiktok-shops.com"


class TikTokSettings(BaseModel):
    """Validated settings of one TikTok Shop connection."""

    model_config = ConfigDict(extra="forbid")

    app_key: str = Field(description="App key of the TikTok Shop Partner Center app.")
    app_secret: SecretStr = Field(description="App secret; signs every call. Never stored in TOML.")
    shop_id: str | None = Field(
        default=None, description="Shop id to use when the authorisation covers several shops."
    )
    shop_cipher: str | None = Field(
        default=None,
        description="Shop cipher; normally fetched from the authorized-shops call and kept with the tokens.",
    )
    api_base_url: str = Field(
        default=DEFAULT_API_BASE_URL, description="Open API host (the sandbox URL in tests and the demo)."
    )
    auth_base_url: str = Field(
        default=DEFAULT_AUTH_BASE_URL, description="Token host for code exchange and refresh."
    )
    pull_on_hold_orders: bool = Field(
        default=True,
        description="Pull orders in On Hold status; they stay onHold in Shopwright until released.",
    )
    hold_window_minutes: int = Field(
        default=60,
        ge=0,
        description="Keep new orders on hold this long after payment, because buyers may edit for an hour.",
    )
    pull_shipped_by_platform_orders: bool = Field(
        default=True,
        description="Pull Fulfilled by TikTok orders; they arrive fulfilled and are never pushed to ship.",
    )
    order_overlap_minutes: int = Field(
        default=10, ge=0, description="Re-read this many minutes before the update_time cursor on each pull."
    )
    push_inventory: bool = Field(default=True, description="Push available quantities to TikTok.")
    force_inventory_resync: bool = Field(
        default=False, description="Send every SKU's quantity on the next push, changed or not."
    )
    inventory_location: str | None = Field(
        default=None,
        description=(
            "Push inventory from this Shopwright location only (its code or name; default: all). "
            "Not with inventory_warehouses."
        ),
    )
    default_warehouse_id: str | None = Field(
        default=None,
        description=(
            "Send each SKU's total stock to this one TikTok warehouse id (default: the shop's default "
            "sales warehouse). Not with inventory_warehouses."
        ),
    )
    inventory_warehouses: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Stock per TikTok warehouse: Shopwright location code (an SFCC inventory list id) -> TikTok "
            "warehouse id; several locations may feed one warehouse (summed). Every SKU is sent with a "
            "quantity for every mapped warehouse, the buffer held back in each; stock at locations not "
            "mapped is not counted. Empty: all stock goes to one warehouse (default_warehouse_id)."
        ),
    )
    inventory_skus: list[str] = Field(
        default_factory=list, description="Only apply inventory updates for these SKUs (empty: all SKUs)."
    )
    inventory_buffer: int = Field(
        default=0,
        ge=0,
        description=(
            "Units held back per SKU: available = on hand - committed - buffer (with inventory_warehouses, "
            "held back in each warehouse)."
        ),
    )
    push_fulfillments: bool = Field(default=True, description="Push SFCC fulfillments to TikTok as packages.")
    use_fallback_carrier: bool = Field(
        default=False, description="Use the fallback carrier when a carrier is not offered for the order."
    )
    fallback_shipping_provider_id: str | None = Field(
        default=None, description="TikTok shipping_provider_id used as the fallback carrier."
    )
    pull_after_sales: bool = Field(
        default=True, description="Pull cancellations, returns and refunds into the store."
    )
    after_sales_overlap_minutes: int = Field(
        default=10, ge=0, description="Re-read this many minutes before the after-sales update_time cursor."
    )
    pull_statements: bool = Field(default=True, description="Pull settlement statements into the store.")
    statement_lookback_days: int = Field(
        default=7,
        ge=0,
        description="Re-read statements this many days back on each pull; their payment status changes.",
    )
    webhook_port: int | None = Field(
        default=None, ge=1, le=65535, description="Port of the webhook receiver started with the daemon."
    )
    webhook_path: str = Field(default="/webhooks/tiktok", description="Path the webhook receiver listens on.")
    webhook_host: str = Field(
        default="127.0.0.1", description="Address the webhook receiver binds (put a TLS proxy in front)."
    )
    rate_limit_qps: float = Field(
        default=10.0,
        gt=0,
        description="Calls per second per shop; TikTok's quota is dynamic and unpublished, so stay under it.",
    )
    max_attempts: int = Field(default=5, ge=1, description="Attempts per idempotent call on 429/5xx.")
    page_size: int = Field(default=50, ge=1, le=100, description="Page size for search calls (max 100).")
    timeout_seconds: float = Field(default=30.0, gt=0, description="HTTP timeout per call.")
    catalog: CatalogSettings = Field(default_factory=CatalogSettings, description="Catalog push and pull.")
    attribute_fill: AttributeFillSettings = Field(default_factory=AttributeFillSettings)

    @field_validator("inventory_warehouses")
    @classmethod
    def _check_warehouse_map(cls, value: dict[str, str]) -> dict[str, str]:
        blank = sorted(code for code, warehouse in value.items() if not code.strip() or not warehouse.strip())
        if blank:
            raise ValueError(
                f"location codes {blank} have an empty code or warehouse id; give each location code a "
                "TikTok warehouse id (see `sync_daemon.py doctor` for the shop's warehouses)"
            )
        return value

    @model_validator(mode="after")
    def _one_inventory_target(self) -> TikTokSettings:
        if self.inventory_warehouses:
            conflicting = [
                name for name in ("default_warehouse_id", "inventory_location") if getattr(self, name)
            ]
            if conflicting:
                raise ValueError(
                    f"inventory_warehouses cannot be set together with {' or '.join(conflicting)}: the map "
                    "already says which locations feed which TikTok warehouse. Remove "
                    f"{' and '.join(conflicting)}, or empty inventory_warehouses to push to one warehouse."
                )
        return self
