"""Typed wire models for the TikTok Shop payloads Shopwright reads (202309 generation).

Ids are strings on the wire (a few webhook payloads send JSON integers; `Id` accepts both and keeps a
string, so big ids never lose precision). Money is a decimal string and parses to `Decimal`. Unknown
fields are ignored: TikTok adds fields without a version bump. Mapping helpers over these models
live at the bottom, kept free of any store import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _id_to_str(value: Any) -> Any:
    # bool is an int subclass; never turn True into "True".
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_id_to_str)]


class Wire(BaseModel):
    """Base for wire models: extra fields ignored, populate by name."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Envelope(Wire):
    """The common response envelope."""

    code: int
    message: str = ""
    request_id: str = ""
    data: Any = None


class TokenData(Wire):
    """``data`` of /api/v2/token/get and /api/v2/token/refresh. ``*_expire_in`` are absolute Unix times."""

    access_token: str
    access_token_expire_in: int
    refresh_token: str
    refresh_token_expire_in: int
    open_id: str = ""
    seller_name: str = ""
    seller_base_region: str = ""
    user_type: int = 0
    granted_scopes: list[str] = Field(default_factory=list)


class Shop(Wire):
    id: Id
    name: str = ""
    region: str = ""
    seller_type: str = ""
    cipher: str
    code: str = ""


class AuthorizedShops(Wire):
    shops: list[Shop] = Field(default_factory=list)


# --- orders -------------------------------------------------------------------------------------


class DistrictInfo(Wire):
    address_level: str = ""
    address_level_name: str = ""
    address_name: str = ""


class RecipientAddress(Wire):
    name: str = ""
    first_name: str = ""
    last_name: str = ""
    phone_number: str = ""
    full_address: str = ""
    address_line1: str = ""
    address_line2: str = ""
    address_line3: str = ""
    address_line4: str = ""
    postal_code: str = ""
    region_code: str = ""
    district_info: list[DistrictInfo] = Field(default_factory=list)


class Payment(Wire):
    currency: str = ""
    sub_total: Decimal | None = None
    total_amount: Decimal | None = None
    shipping_fee: Decimal | None = None
    seller_discount: Decimal | None = None
    platform_discount: Decimal | None = None
    tax: Decimal | None = None
    original_total_product_price: Decimal | None = None
    original_shipping_fee: Decimal | None = None


class LineItem(Wire):
    """One order line; TikTok sends one line per unit sold (no quantity field)."""

    id: Id
    product_id: Id = ""
    product_name: str = ""
    sku_id: Id = ""
    seller_sku: str = ""
    sku_name: str = ""
    original_price: Decimal | None = None
    sale_price: Decimal | None = None
    seller_discount: Decimal | None = None
    platform_discount: Decimal | None = None
    currency: str = ""
    display_status: str = ""
    package_id: Id | None = None
    package_status: str | None = None
    tracking_number: str | None = None
    shipping_provider_id: Id | None = None
    shipping_provider_name: str | None = None
    is_gift: bool = False
    cancel_reason: str | None = None


class Package(Wire):
    id: Id


class Order(Wire):
    id: Id
    status: str
    create_time: int = 0
    update_time: int = 0
    paid_time: int | None = None
    cancel_time: int | None = None
    cancel_reason: str | None = None
    cancellation_initiator: str | None = None
    is_on_hold_order: bool = False
    is_cod: bool = False
    is_sample_order: bool = False
    is_replacement_order: bool = False
    is_buyer_request_cancel: bool = False
    fulfillment_type: str = "FULFILLMENT_BY_SELLER"
    shipping_type: str = ""
    delivery_option_id: Id | None = None
    delivery_option_name: str | None = None
    shipping_provider_id: Id | None = None
    shipping_provider: str | None = None
    tracking_number: str | None = None
    warehouse_id: Id | None = None
    user_id: Id | None = None
    buyer_email: str | None = None
    buyer_message: str | None = None
    payment_method_name: str | None = None
    recipient_address: RecipientAddress | None = None
    payment: Payment | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    packages: list[Package] = Field(default_factory=list)


class OrderPage(Wire):
    orders: list[Order] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class OrderList(Wire):
    orders: list[Order] = Field(default_factory=list)


# --- logistics and fulfillment ------------------------------------------------------------------


class WarehouseAddress(Wire):
    region_code: str = ""
    state: str = ""
    city: str = ""
    distict: str = ""  # sic: the official spelling
    postal_code: str = ""
    full_address: str = ""
    contact_person: str = ""
    phone_number: str = ""


class Warehouse(Wire):
    id: Id
    name: str = ""
    effect_status: str = ""
    type: str = ""
    sub_type: str = ""
    is_default: bool = False
    address: WarehouseAddress | None = None


class Warehouses(Wire):
    warehouses: list[Warehouse] = Field(default_factory=list)


class DeliveryOption(Wire):
    id: Id
    name: str = ""
    type: str = ""
    description: str = ""
    platform: list[str] = Field(default_factory=list)


class DeliveryOptions(Wire):
    delivery_options: list[DeliveryOption] = Field(default_factory=list)


class ShippingProvider(Wire):
    id: Id
    name: str = ""


class ShippingProviders(Wire):
    shipping_providers: list[ShippingProvider] = Field(default_factory=list)


class Warning_(Wire):
    message: str = ""


class MarkShippedResult(Wire):
    order_id: Id
    package_id: Id
    order_line_item_ids: list[Id] = Field(default_factory=list)
    warning: Warning_ | None = None


class PackageSku(Wire):
    id: Id
    name: str = ""
    quantity: int = 0


class PackageOrder(Wire):
    id: Id
    skus: list[PackageSku] = Field(default_factory=list)


class PackageDetail(Wire):
    package_id: Id
    package_status: str = ""
    tracking_number: str = ""
    shipping_provider_id: Id = ""
    shipping_provider_name: str = ""
    orders: list[PackageOrder] = Field(default_factory=list)
    order_line_item_ids: list[Id] = Field(default_factory=list)


# --- products and inventory ---------------------------------------------------------------------


class WarehouseQuantity(Wire):
    warehouse_id: Id = ""
    quantity: int = 0


class ProductSku(Wire):
    id: Id
    seller_sku: str = ""
    inventory: list[WarehouseQuantity] = Field(default_factory=list)


class Product(Wire):
    id: Id
    title: str = ""
    status: str = ""
    skus: list[ProductSku] = Field(default_factory=list)
    create_time: int = 0
    update_time: int = 0


class ProductPage(Wire):
    products: list[Product] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class ItemErrorDetail(Wire):
    sku_id: Id | None = None
    product_id: Id | None = None
    extra_errors: list[dict[str, Any]] = Field(default_factory=list)


class ItemError(Wire):
    """One failed item of a batch call that otherwise succeeded (``code: 0`` + ``data.errors[]``)."""

    code: int
    message: str = ""
    detail: ItemErrorDetail | None = None


class BatchResult(Wire):
    errors: list[ItemError] = Field(default_factory=list)


class SkuInventory(Wire):
    warehouse_id: Id
    available_quantity: int = 0
    committed_quantity: int = 0


class InventorySku(Wire):
    id: Id
    seller_sku: str = ""
    total_available_quantity: int = 0
    total_committed_quantity: int = 0
    warehouse_inventory: list[SkuInventory] = Field(default_factory=list)


class ProductInventory(Wire):
    product_id: Id
    skus: list[InventorySku] = Field(default_factory=list)


class InventorySearch(Wire):
    inventory: list[ProductInventory] = Field(default_factory=list)


# --- after-sales and finance --------------------------------------------------------------------


class RefundAmount(Wire):
    currency: str = ""
    refund_total: Decimal | None = None
    refund_subtotal: Decimal | None = None
    refund_shipping_fee: Decimal | None = None
    refund_tax: Decimal | None = None


class CancelLineItem(Wire):
    cancel_line_item_id: Id = ""
    order_line_item_id: Id = ""
    sku_id: Id = ""
    seller_sku: str = ""


class Cancellation(Wire):
    cancel_id: Id
    order_id: Id
    cancel_status: str = ""
    cancel_type: str = ""
    role: str = ""
    cancel_reason: str = ""
    cancel_reason_text: str = ""
    refund_amount: RefundAmount | None = None
    cancel_line_items: list[CancelLineItem] = Field(default_factory=list)
    create_time: int = 0
    update_time: int = 0


class CancellationPage(Wire):
    cancellations: list[Cancellation] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class ReturnLineItem(Wire):
    return_line_item_id: Id = ""
    order_line_item_id: Id = ""
    sku_id: Id = ""
    seller_sku: str = ""
    refund_amount: RefundAmount | None = None


class ReturnOrder(Wire):
    return_id: Id
    order_id: Id
    return_status: str = ""
    return_type: str = ""
    role: str = ""
    return_reason: str = ""
    return_reason_text: str = ""
    refund_amount: RefundAmount | None = None
    return_line_items: list[ReturnLineItem] = Field(default_factory=list)
    return_tracking_number: str = ""
    create_time: int = 0
    update_time: int = 0


class ReturnPage(Wire):
    return_orders: list[ReturnOrder] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class Statement(Wire):
    id: Id
    statement_time: int = 0
    currency: str = ""
    revenue_amount: Decimal | None = None
    fee_amount: Decimal | None = None
    adjustment_amount: Decimal | None = None
    shipping_cost_amount: Decimal | None = None
    net_sales_amount: Decimal | None = None
    settlement_amount: Decimal | None = None
    payment_status: str = ""
    payment_id: Id = ""


class StatementPage(Wire):
    statements: list[Statement] = Field(default_factory=list)
    next_page_token: str = ""


class WebhookSubscription(Wire):
    event_type: str
    address: str = ""
    create_time: int = 0
    update_time: int = 0


class WebhookSubscriptions(Wire):
    webhooks: list[WebhookSubscription] = Field(default_factory=list)
    total_count: int = 0


class WebhookEvent(Wire):
    """A webhook delivery body: numeric ``type`` and a free-form ``data`` object."""

    type: int
    tts_notification_id: Id
    shop_id: Id = ""
    timestamp: int = 0
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def order_id(self) -> str | None:
        """The order the event is about, when it names one."""
        value = self.data.get("order_id")
        return None if value is None else str(value)


# --- mapping helpers (pure; the flows map these onto store rows) -------------------------------

_STATUS_TO_LIFECYCLE = {
    "UNPAID": "onHold",
    "ON_HOLD": "onHold",
    "AWAITING_SHIPMENT": "readyForFulfillment",
    "PARTIALLY_SHIPPING": "partialFulfillment",
    "AWAITING_COLLECTION": "fulfilled",
    "IN_TRANSIT": "fulfilled",
    "DELIVERED": "fulfilled",
    "COMPLETED": "fulfilled",
    "CANCELLED": "canceled",
}


def lifecycle_status(order: Order) -> str:
    """Map a TikTok order onto the store lifecycle (before Shopwright's own hold is applied).

    UNPAID and ON_HOLD must not be fulfilled, so both are ``onHold``. AWAITING_COLLECTION counts as
    fulfilled because the seller's part (a tracked package) is done. Fulfilled-by-TikTok orders are
    ``fulfilled`` unless cancelled: the seller never ships them. Unknown statuses stay ``new`` so a
    person sees them rather than having them pushed.
    """
    if order.status == "CANCELLED":
        return "canceled"
    if is_fulfilled_by_tiktok(order) and order.status not in ("UNPAID", "ON_HOLD"):
        return "fulfilled"
    return _STATUS_TO_LIFECYCLE.get(order.status, "new")


def is_fulfilled_by_tiktok(order: Order) -> bool:
    """True for FBT orders, which arrive already fulfilled and are never pushed for fulfillment."""
    return order.fulfillment_type == "FULFILLMENT_BY_TIKTOK"


@dataclass
class AggregatedLine:
    """All units of one seller SKU in an order, keeping every TikTok line id for partial shipping."""

    seller_sku: str
    sku_id: str
    product_id: str
    product_name: str
    quantity: int = 0
    unit_price: Decimal | None = None
    line_ids: list[str] = field(default_factory=list)
    canceled_line_ids: list[str] = field(default_factory=list)
    shipped_line_ids: list[str] = field(default_factory=list)


def aggregate_lines(items: Iterable[LineItem]) -> list[AggregatedLine]:
    """Group one-line-per-unit items by (seller_sku, sku_id), in first-seen order.

    Cancelled units are kept in ``canceled_line_ids`` and not counted in ``quantity``; units already
    in a package that left the seller are listed in ``shipped_line_ids``. The SKU is kept exactly
    as sent (no trimming or case folding): matching to master SKUs is exact by design.
    """
    groups: dict[tuple[str, str], AggregatedLine] = {}
    for item in items:
        key = (item.seller_sku, item.sku_id)
        line = groups.get(key)
        if line is None:
            line = AggregatedLine(item.seller_sku, item.sku_id, item.product_id, item.product_name)
            line.unit_price = item.sale_price
            groups[key] = line
        line.line_ids.append(item.id)
        if item.display_status == "CANCELLED":
            line.canceled_line_ids.append(item.id)
            continue
        line.quantity += 1
        if item.package_status in ("PROCESSING", "FULFILLING", "COMPLETED") or item.tracking_number:
            line.shipped_line_ids.append(item.id)
    return list(groups.values())


def hold_until(order: Order, hold_minutes: int) -> int | None:
    """Unix time until which Shopwright keeps the order ``onHold``; None when no timed hold applies.

    The configured window counts from payment (buyers may edit for about an hour after paying).
    An UNPAID order has no end time yet: `lifecycle_status` already keeps it ``onHold``.
    """
    if hold_minutes <= 0 or is_fulfilled_by_tiktok(order) or order.status == "CANCELLED":
        return None
    start = order.paid_time or (None if order.status == "UNPAID" else order.create_time)
    if start is None:
        return None
    return start + hold_minutes * 60
