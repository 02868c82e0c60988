"""Builders shared by the SFCC tests (settings for a sandbox, a typical TikTok order)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import SecretStr

from connectors.sfcc.order_mapping import Address, OrderLine, OrderTotals, SfccOrderInput
from connectors.sfcc.settings import SfccSettings

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def make_settings(base_url: str = "https://sfcc.test", **overrides: Any) -> SfccSettings:
    values: dict[str, Any] = {
        "short_code": "sandbox1",
        "organization_id": "f_ecom_zzte_053",
        "site_id": "RefArch",
        "ocapi_url": base_url,
        "account_manager_url": base_url,
        "scapi_url": base_url,
        "ocapi_client_id": "ocapi-client-0001",
        "ocapi_client_password": SecretStr("sandbox-ocapi-secret"),
        "b2c_api_client_id": "b2c-api-client-0001",
        "b2c_api_client_password": SecretStr("sandbox-b2c-api-secret"),
        "b2c_shop_api_client_id": "slas-shop-client-0001",
        "b2c_shop_api_client_password": SecretStr("sandbox-slas-secret"),
        "business_manager_user": "integration@example.com",
        "business_manager_password": SecretStr("sandbox-bm-access-key"),
        "generic_customer_number": "00000001",
        "shipping_method_mapping": {"Standard Shipping": "001", "Express": "002"},
        "push_orders": True,
    }
    values.update(overrides)
    return SfccSettings(**values)


def make_order(tiktok_id: str = "576653688135258178", **overrides: Any) -> SfccOrderInput:
    values: dict[str, Any] = {
        "tiktok_order_id": tiktok_id,
        "lines": [
            OrderLine(sku="TSHIRT-RED-M", quantity=2, unit_price=Decimal("19.99")),
            OrderLine(sku="MUG-001", quantity=1, unit_price=Decimal("12.50")),
        ],
        "shipping_address": Address(
            first_name="Ada",
            last_name="Lovelace",
            address1="1 Main St",
            city="Austin",
            postal_code="78701",
            state_code="TX",
            country_code="US",
            phone="5125550100",
        ),
        "delivery_option_name": "Standard Shipping",
        "totals": OrderTotals(
            subtotal=Decimal("52.48"), shipping=Decimal("5.99"), payment_total=Decimal("58.47")
        ),
        "currency": "USD",
        "created_at": T0,
    }
    values.update(overrides)
    return SfccOrderInput(**values)
