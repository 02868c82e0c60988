"""Ready-made inputs for runs against the sandbox: settings, sample orders, seeds with ample stock.

Shared by the tests, the benchmark and the demo so that they all describe the same shop. The
credentials are the sandbox seed's own fake ones, read from the seed rather than repeated here.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import SecretStr

from connectors.sfcc.order_mapping import Address, OrderLine, OrderTotals, SfccOrderInput
from connectors.sfcc.sandbox.app import default_seed
from connectors.sfcc.settings import SfccSettings

OCAPI_CLIENT = "ocapi-client-0001"
B2C_API_CLIENT = "b2c-api-client-0001"
SLAS_CLIENT = "slas-shop-client-0001"
BM_USER = "integration@example.com"
GENERIC_CUSTOMER = "00000001"
SAMPLE_CREATED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def client_secret(client_id: str, seed: dict[str, Any] | None = None) -> SecretStr:
    """The secret the seed gives an API client."""
    for client in (seed or default_seed())["api_clients"]:
        if client["client_id"] == client_id:
            return SecretStr(str(client["client_secret"]))
    raise KeyError(f"the sandbox seed has no API client {client_id!r}")


def bm_access_key(seed: dict[str, Any] | None = None) -> SecretStr:
    """The OCAPI access key of the seed's Business Manager user."""
    for user in (seed or default_seed())["business_manager_users"]:
        if user["login"] == BM_USER:
            return SecretStr(str(user["access_key"]))
    raise KeyError(f"the sandbox seed has no Business Manager user {BM_USER!r}")


def sandbox_settings(base_url: str, seed: dict[str, Any] | None = None, **overrides: Any) -> SfccSettings:
    """Connection settings for a sandbox at `base_url`, every endpoint pointed at it."""
    values: dict[str, Any] = {
        "short_code": "sandbox1",
        "organization_id": "f_ecom_zzte_053",
        "site_id": "RefArch",
        "ocapi_url": base_url,
        "account_manager_url": base_url,
        "scapi_url": base_url,
        "ocapi_client_id": OCAPI_CLIENT,
        "ocapi_client_password": client_secret(OCAPI_CLIENT, seed),
        "b2c_api_client_id": B2C_API_CLIENT,
        "b2c_api_client_password": client_secret(B2C_API_CLIENT, seed),
        "b2c_shop_api_client_id": SLAS_CLIENT,
        "b2c_shop_api_client_password": client_secret(SLAS_CLIENT, seed),
        "business_manager_user": BM_USER,
        "business_manager_password": bm_access_key(seed),
        "generic_customer_number": GENERIC_CUSTOMER,
        "shipping_method_mapping": {"Standard Shipping": "001", "Express": "002"},
        "push_orders": True,
    }
    values.update(overrides)
    return SfccSettings(**values)


# A complete US shipping address, as the store keeps an order's address.
SAMPLE_ADDRESS: dict[str, str] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "1 Main St",
    "city": "Austin",
    "postal_code": "78701",
    "state_code": "TX",
    "country_code": "US",
    "phone": "5125550100",
}


def sample_address(**overrides: Any) -> Address:
    """``SAMPLE_ADDRESS`` as an order address, with ``overrides``."""
    return Address(**{**SAMPLE_ADDRESS, **overrides})


def sample_order(tiktok_id: str = "576653688135258178", **overrides: Any) -> SfccOrderInput:
    """Two T-shirts and a mug by standard shipping: 52.48 + 5.99 = 58.47 USD."""
    values: dict[str, Any] = {
        "tiktok_order_id": tiktok_id,
        "lines": [
            OrderLine(sku="TSHIRT-RED-M", quantity=2, unit_price=Decimal("19.99")),
            OrderLine(sku="MUG-001", quantity=1, unit_price=Decimal("12.50")),
        ],
        "shipping_address": sample_address(),
        "delivery_option_name": "Standard Shipping",
        "totals": OrderTotals(
            subtotal=Decimal("52.48"), shipping=Decimal("5.99"), payment_total=Decimal("58.47")
        ),
        "currency": "USD",
        "created_at": SAMPLE_CREATED_AT,
    }
    values.update(overrides)
    return SfccOrderInput(**values)


def single_mug_order(n: int) -> SfccOrderInput:
    """Order number `n` of a bulk run: one mug, 12.50 + 5.99 shipping."""
    return sample_order(
        f"9{n:017d}",
        lines=[OrderLine(sku="MUG-001", quantity=1, unit_price=Decimal("12.50"))],
        totals=OrderTotals(
            subtotal=Decimal("12.50"), shipping=Decimal("5.99"), payment_total=Decimal("18.49")
        ),
    )


def seed_with_ample_stock(seed: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of the seed whose inventory records never run out (perpetual), for bulk runs."""
    result = copy.deepcopy(seed or default_seed())
    for record in result["product_inventory_records"]:
        record["perpetual_flag"] = True
    return result
