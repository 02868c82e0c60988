"""Pydantic models of the SFCC wire documents the connector reads (OCAPI snake_case).

Unknown fields are kept (`extra="allow"`) because merchants add `c_*` custom attributes, and the
carrier of a shipment lives in one of them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Doc(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def custom(self, name: str) -> Any:
        """A custom attribute (`c_...`) or any extra field, or None."""
        return (self.model_extra or {}).get(name)


class InventoryList(_Doc):
    """OCAPI Data `inventory_list`: each one is a location for us."""

    id: str
    description: str | None = None
    assigned_sites: list[Any] = Field(default_factory=list)
    default_in_stock: bool = False


class InventoryAllocation(_Doc):
    amount: Decimal = Decimal(0)
    reset_date: datetime | None = None


class ProductInventoryRecord(_Doc):
    """OCAPI Data `product_inventory_record`: one SKU in one list; `ats` is what can be sold."""

    product_id: str
    inventory_list_id: str | None = None
    allocation: InventoryAllocation | None = None
    ats: Decimal = Decimal(0)
    stock_level: Decimal = Decimal(0)
    perpetual_flag: bool = False
    last_modified: datetime | None = None


class ProductVariant(_Doc):
    product_id: str
    variation_values: dict[str, str] = Field(default_factory=dict)


class ProductType(_Doc):
    master: bool = False
    variant: bool = False
    item: bool = False
    variation_group: bool = False


class Product(_Doc):
    """OCAPI Data `product`, as returned by `/product_search` hits and `/products/{id}`."""

    id: str
    name: dict[str, str] | str | None = None
    online_flag: dict[str, bool] | bool | None = None
    type: ProductType | None = None
    variants: list[ProductVariant] = Field(default_factory=list)
    master: dict[str, Any] | None = None
    ean: str | None = None
    upc: str | None = None
    last_modified: datetime | None = None

    @property
    def display_name(self) -> str:
        """The default-locale name, or the id when the product has none."""
        if isinstance(self.name, dict):
            return self.name.get("default") or next(iter(self.name.values()), self.id)
        return self.name or self.id


class ShippingMethodRef(_Doc):
    id: str | None = None
    name: str | None = None


class OrderShipment(_Doc):
    shipment_id: str
    shipment_no: str | None = None
    shipping_status: str | None = None
    tracking_number: str | None = None
    shipping_method: ShippingMethodRef | None = None


class OrderProductItem(_Doc):
    product_id: str
    quantity: Decimal = Decimal(1)
    shipment_id: str | None = None
    item_id: str | None = None
    price: Decimal | None = None


class Order(_Doc):
    """OCAPI Shop `order` (the Data API has no GET order)."""

    order_no: str
    status: str | None = None
    shipping_status: str | None = None
    export_status: str | None = None
    currency: str | None = None
    order_total: Decimal | None = None
    product_total: Decimal | None = None
    shipping_total: Decimal | None = None
    last_modified: datetime | None = None
    creation_date: datetime | None = None
    shipments: list[OrderShipment] = Field(default_factory=list)
    product_items: list[OrderProductItem] = Field(default_factory=list)
    payment_instruments: list[dict[str, Any]] = Field(default_factory=list)
    customer_info: dict[str, Any] | None = None


class ShipmentTracking(BaseModel):
    """What the fulfillment pull hands on: one shipped shipment with its tracking and carrier."""

    model_config = ConfigDict(frozen=True)

    order_no: str
    shipment_id: str
    shipping_status: str
    tracking_number: str | None
    carrier: str | None
    items: list[tuple[str, Decimal]]
    last_modified: datetime | None
