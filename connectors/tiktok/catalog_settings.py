"""Catalog settings of a TikTok Shop connection (the ``catalog`` table of its configuration).

The toggles follow what sellers know from Pipe17's TikTok connector. They live in their own model so
that the catalog can grow without crowding the connection's order and inventory settings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["PRODUCT_PROPERTIES", "CatalogSettings", "ProductProperty"]

ProductProperty = Literal["title", "description", "images", "attributes", "price", "package", "brand"]
PRODUCT_PROPERTIES: tuple[ProductProperty, ...] = (
    "title",
    "description",
    "images",
    "attributes",
    "price",
    "package",
    "brand",
)


#: Keys this table no longer takes, and where each now lives (named in the error a person reads).
MOVED_KEYS = {
    "missing_attributes": "catalog.when_attributes_missing",
    "ai_fill": "attribute_fill.enabled",
    "ai_required_only": "attribute_fill.required_only",
    "ai_sku_allow": "attribute_fill.sku_allow",
    "ai_sku_block": "attribute_fill.sku_block",
    "ai_attribute_allow": "attribute_fill.attribute_allow",
    "ai_attribute_block": "attribute_fill.attribute_block",
}


class CatalogSettings(BaseModel):
    """How the master catalog and the TikTok catalog are kept in step."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _refuse_moved_keys(cls, data: Any) -> Any:
        moved = sorted(key for key in data if key in MOVED_KEYS) if isinstance(data, dict) else []
        if moved:
            where = "; ".join(f"'{key}' is now '{MOVED_KEYS[key]}'" for key in moved)
            raise ValueError(f"catalog settings that moved: {where}. Rename them in the configuration.")
        return data

    primary_catalog: Literal["sfcc", "tiktok"] = Field(
        default="sfcc",
        description=(
            "Where products are maintained: 'sfcc' pulls from SFCC and pushes to TikTok; 'tiktok' pulls the "
            "existing TikTok catalog into Shopwright instead."
        ),
    )
    push_products: bool = Field(
        default=False, description="List master products on TikTok Shop and keep the listings up to date."
    )
    pull_products: bool = Field(
        default=True,
        description="Pull the TikTok catalog into Shopwright when TikTok is the primary catalog.",
    )
    prepare_only: bool = Field(
        default=False,
        description=(
            "Prepare for product push: validate every product and store its errors and missing attributes "
            "without pushing anything (see `sync_daemon.py export-incomplete-products`)."
        ),
    )
    update_only: list[ProductProperty] = Field(
        default_factory=list,
        description=(
            "Update only these properties of products already on TikTok (empty: the whole listing). "
            "New products are always created in full."
        ),
    )
    first_child_image_as_variant_image: bool = Field(
        default=True,
        description="Upload each variant's first image as the image of its first sales attribute.",
    )
    allow_deactivating: bool = Field(
        default=False,
        description="Deactivate TikTok products whose master product is inactive (and reactivate them).",
    )
    recover_deleted: bool = Field(
        default=True,
        description="Recover a deleted TikTok product found by product id or SKU instead of creating one.",
    )
    block_inconsistent_variants: bool = Field(
        default=True,
        description=(
            "Block the update of a product whose TikTok variants differ from the master's. When off, the "
            "push brings TikTok to parity and DELETES TikTok variants the master catalog lacks."
        ),
    )
    when_attributes_missing: Literal["hold", "draft"] = Field(
        default="hold",
        description=(
            "A product lacking required attributes: 'hold' keeps it unpushed (with an exception) until the "
            "values are filled, e.g. by approving attribute proposals; 'draft' raises the exception and "
            "creates it on TikTok as a DRAFT. Proposals themselves are set in the attribute_fill table."
        ),
    )
    use_promotions: bool = Field(
        default=False,
        description=(
            "Turn a compare-at price above the price into a promotion when the discount is 5% to 95%. The "
            "promotion API is outside the reference this connector follows: such products are counted and "
            "reported, not promoted."
        ),
    )
    daily_upload_limit: int = Field(
        default=100,
        ge=1,
        description="New products per day (100 for new shops, 1,000 after graduation); the rest wait.",
    )
    category_version: Literal["v1", "v2"] = Field(
        default="v1", description="Category tree used for listings (some regions require v2)."
    )
    category_map: dict[str, str] = Field(
        default_factory=dict, description="Master category id -> TikTok leaf category id."
    )
    default_category_id: str | None = Field(
        default=None, description="TikTok leaf category for products whose category is not mapped."
    )
    batch_size: int = Field(default=200, ge=1, le=5000, description="Products examined per push run.")
