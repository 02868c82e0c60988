"""Map one TikTok order (as the store provides it) to the exact SFCC request documents.

Pure: no I/O, no store. Configuration problems raise typed errors carrying EXCEPTIONS.md codes
before a single request is sent, so a misconfigured connection never leaves half-built baskets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from connectors.sfcc.errors import (
    SfccCustomerMissingError,
    SfccInvalidPaymentMethodError,
    ShippingMethodNotMappedError,
)
from connectors.sfcc.settings import CustomerStrategy, PaymentMethodRule, SfccSettings

#: The OCAPI Shop API names the default shipment of a basket "me".
DEFAULT_SHIPMENT = "me"


class Address(BaseModel):
    """A postal address as the store keeps it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first_name: str
    last_name: str = ""
    address1: str
    address2: str | None = None
    city: str
    postal_code: str
    state_code: str | None = None
    country_code: str = Field(min_length=2, max_length=2)
    phone: str | None = None

    def to_ocapi(self) -> dict[str, Any]:
        """OCAPI `order_address` document (snake_case, empty fields left out)."""
        return {k: v for k, v in self.model_dump().items() if v not in (None, "")}

    def to_scapi(self) -> dict[str, Any]:
        """SCAPI address (camelCase)."""
        names = {
            "first_name": "firstName",
            "last_name": "lastName",
            "postal_code": "postalCode",
            "state_code": "stateCode",
            "country_code": "countryCode",
        }
        return {names.get(k, k): v for k, v in self.to_ocapi().items()}


class OrderLine(BaseModel):
    """One order line: the master SKU (after SKU/channel-SKU mapping), quantity and unit price."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: str = Field(min_length=1)
    quantity: int = Field(gt=0)
    unit_price: Decimal = Field(ge=0)


class OrderTotals(BaseModel):
    """Order money; `payment_total` is what the buyer paid, the default payment amount."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subtotal: Decimal
    shipping: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    payment_total: Decimal
    order_total: Decimal | None = None


class SfccOrderInput(BaseModel):
    """Everything the push needs about one TikTok order, provided by the store."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tiktok_order_id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    source_channel: str = "tiktok"
    lines: list[OrderLine] = Field(min_length=1)
    shipping_address: Address
    billing_address: Address | None = None
    delivery_option_name: str
    totals: OrderTotals
    currency: str = Field(min_length=3, max_length=3)
    created_at: datetime
    tiktok_payment_method: str | None = None
    buyer_email: str | None = None
    buyer_company: str | None = None

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("created_at must be tz-aware")
        return value


@dataclass(frozen=True)
class BasketPlan:
    """The documents of the OCAPI basket flow for one order, in sending order."""

    order_no: str
    basket: dict[str, Any]
    customer: dict[str, Any]
    items: list[dict[str, Any]]
    shipping_address: dict[str, Any]
    shipping_method: dict[str, Any]
    billing_address: dict[str, Any]
    payment_instrument: dict[str, Any]


def order_number_for(tiktok_order_id: str, prefix: str = "TT") -> str:
    """The SFCC order number of a TikTok order: same id, same number, so retries never duplicate."""
    return f"{prefix}{tiktok_order_id}"


def shipping_method_id(order: SfccOrderInput, settings: SfccSettings) -> str:
    """The SFCC shipping method mapped from the order's delivery option, or a mapping error."""
    method = settings.shipping_method_mapping.get(order.delivery_option_name)
    if not method:
        known = ", ".join(sorted(settings.shipping_method_mapping)) or "none"
        raise ShippingMethodNotMappedError(
            f"Order {order.tiktok_order_id} was not pushed: TikTok delivery option "
            f"'{order.delivery_option_name}' has no SFCC shipping method (mapped options: {known}). "
            f"Map it: `map shipping {order.delivery_option_name} -> <SFCC shipping method id>`."
        )
    return method


#: Source channels whose orders carry neither a buyer email nor a company.
ANONYMOUS_CHANNELS = frozenset({"tiktok"})


@dataclass(frozen=True)
class CustomerRef:
    """The SFCC customer an order is placed for, and how it was found."""

    customer_no: str
    how: str = "generic"  # generic | email | company | created
    login: str | None = None


def uses_generic_customer(settings: SfccSettings) -> bool:
    """Whether the strategy never looks a customer up (so no request is needed to find one)."""
    return settings.customer_strategy is CustomerStrategy.GENERIC


def check_customer_strategy(order: SfccOrderInput, settings: SfccSettings) -> None:
    """Refuse, before any request, a strategy that cannot work for this order's channel.

    TikTok shares neither the buyer's email nor a company, so every matching strategy would miss
    (or create throwaway customers); the seller must choose the generic customer for TikTok.
    """
    if uses_generic_customer(settings):
        generic_customer(order, settings)
        return
    if order.source_channel in ANONYMOUS_CHANNELS:
        raise SfccCustomerMissingError(
            f"Order {order.tiktok_order_id} was not pushed: customer strategy "
            f"'{settings.customer_strategy.value}' needs the buyer's email or company, which "
            f"{order.source_channel} orders do not carry. Switch the strategy to 'generic_customer' "
            "and set the generic customer number."
        )


def generic_customer(order: SfccOrderInput, settings: SfccSettings) -> CustomerRef:
    """The generic customer of the connection, or a configuration error naming the setting."""
    if not settings.generic_customer_number:
        raise SfccCustomerMissingError(
            f"Order {order.tiktok_order_id} was not pushed: the generic customer number is not set. "
            "Set it to an existing SFCC customer number in the SFCC connection settings."
        )
    return CustomerRef(settings.generic_customer_number)


def payment_rule(order: SfccOrderInput, settings: SfccSettings) -> PaymentMethodRule:
    """The first payment mapping row matching the order's TikTok payment method."""
    for rule in settings.payment_method_mapping:
        if rule.tiktok_payment_method in (None, "", order.tiktok_payment_method):
            return rule
    raise SfccInvalidPaymentMethodError(
        f"Order {order.tiktok_order_id} was not pushed: no payment mapping row matches TikTok payment "
        f"method '{order.tiktok_payment_method}'. Add a row with the dedicated SFCC method (e.g. TTS)."
    )


def payment_amount(order: SfccOrderInput, rule: PaymentMethodRule) -> Decimal:
    """The payment instrument amount chosen by the rule."""
    if rule.amount == "order_total" and order.totals.order_total is not None:
        return order.totals.order_total
    return order.totals.payment_total


def _customer_email(order: SfccOrderInput, order_no: str) -> str:
    # OCAPI requires an email on customer_info; TikTok gives none, so use a reserved-TLD address
    # that is unique per order and can never receive mail.
    return order.buyer_email or f"{order_no.lower()}@tiktok.invalid"


def check_order_config(order: SfccOrderInput, settings: SfccSettings) -> None:
    """Every configuration rule a push needs, checked before a single request is sent."""
    check_customer_strategy(order, settings)
    shipping_method_id(order, settings)
    payment_rule(order, settings)


def build_basket_plan(
    order: SfccOrderInput, settings: SfccSettings, customer: CustomerRef | None = None
) -> BasketPlan:
    """All OCAPI basket-flow documents for `order`; raises a typed error on a config gap.

    `customer` is the one a matching strategy found; without it the generic customer is used.
    """
    check_order_config(order, settings)
    order_no = order_number_for(order.tiktok_order_id, settings.order_number_prefix)
    customer_no = (customer or generic_customer(order, settings)).customer_no
    method = shipping_method_id(order, settings)
    rule = payment_rule(order, settings)
    billing = order.billing_address or order.shipping_address
    return BasketPlan(
        order_no=order_no,
        basket={"currency": order.currency},
        customer={"customer_no": customer_no, "email": _customer_email(order, order_no)},
        items=[
            {"product_id": line.sku, "quantity": line.quantity, "shipment_id": DEFAULT_SHIPMENT}
            for line in order.lines
        ],
        shipping_address=order.shipping_address.to_ocapi(),
        shipping_method={"id": method},
        billing_address=billing.to_ocapi(),
        payment_instrument={
            "amount": payment_amount(order, rule),
            "payment_method_id": rule.sfcc_payment_method_id,
        },
    )
