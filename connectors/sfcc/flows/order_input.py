"""From a stored order to the SFCC push input: lines by SFCC SKU, address, totals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.sfcc.order_mapping import (
    ANONYMOUS_CHANNELS,
    Address,
    OrderLine,
    OrderTotals,
    SfccOrderInput,
)
from store.models import ChannelListing, Order, Product
from store.models import OrderLine as StoredLine


class OrderInputError(ValueError):
    """The stored order cannot become an SFCC order; ``code`` is the EXCEPTIONS.md code."""

    def __init__(self, message: str, *, code: str, category: str = "routing") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.category = category


def sfcc_sku(session: Session, sku: str, sfcc_connection_id: int) -> str | None:
    """The SKU SFCC knows the master product by: its channel SKU if mapped, else the master SKU.

    None when no master product has this SKU (matching is exact: case and whitespace count).
    """
    row = session.execute(
        select(Product.id, ChannelListing.channel_sku)
        .outerjoin(
            ChannelListing,
            (ChannelListing.product_id == Product.id) & (ChannelListing.connection_id == sfcc_connection_id),
        )
        .where(Product.sku == sku)
    ).first()
    if row is None:
        return None
    return row.channel_sku or sku


def build_order_input(
    session: Session,
    order: Order,
    lines: Sequence[StoredLine],
    sfcc_connection_id: int,
    *,
    require_products: bool,
) -> SfccOrderInput:
    """The push input for ``order``; raises OrderInputError with a stable code when it cannot."""
    mapped: list[OrderLine] = []
    for line in lines:
        target = sfcc_sku(session, line.sku, sfcc_connection_id)
        if target is None and require_products:
            raise OrderInputError(
                f"Order {order.external_id} has SKU '{line.sku}', which matches no master product "
                "(matching is exact, case and spaces included). Map it, or fix the SKU on TikTok.",
                code="sku.unmapped",
                category="ingestion",
            )
        mapped.append(
            OrderLine(sku=target or line.sku, quantity=line.quantity, unit_price=money(line.unit_price))
        )
    address = order.shipping_address or {}
    try:
        shipping = Address.model_validate(address)
    except ValidationError as error:
        fields = ", ".join(str(item["loc"][0]) for item in error.errors() if item["loc"])
        raise OrderInputError(
            f"Order {order.external_id} has no usable shipping address (missing or invalid: {fields}). "
            "TikTok hides the address while an order is on hold; wait for the next pull.",
            code="order.address_missing",
            category="ingestion",
        ) from None
    channel = order.source_channel or "tiktok"
    # TikTok hides the buyer (its buyer_email is a relay address, not a customer identity); the
    # connectors of channels that share the buyer keep buyer_email / buyer_company in the raw payload.
    raw = order.raw if isinstance(order.raw, dict) and channel not in ANONYMOUS_CHANNELS else {}
    payment_method = None
    if order.payments:
        payment_method = str(order.payments[0].get("method") or "") or None
    return SfccOrderInput(
        tiktok_order_id=order.external_id,
        source_channel=channel,
        lines=mapped,
        shipping_address=shipping,
        delivery_option_name=order.shipping_option or "",
        totals=OrderTotals(
            subtotal=money(order.subtotal),
            shipping=money(order.shipping_fee),
            tax=money(order.tax),
            discount=money(order.discount),
            payment_total=money(order.total),
            order_total=money(order.total),
        ),
        currency=order.currency,
        created_at=order.placed_at or order.created_at,
        tiktok_payment_method=payment_method,
        buyer_email=_text(raw.get("buyer_email")),
        buyer_company=_text(raw.get("buyer_company")),
    )


def money(value: Decimal) -> Decimal:
    """An amount as the buyer saw it: the store keeps four decimals, SFCC gets 58.47, not 58.4700."""
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
