"""Builders shared by the SFCC tests: the sandbox's settings and orders, and store seeding."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from connectors.config import load_config
from connectors.engine.app import DaemonApp, create_daemon
from connectors.engine.runner import RunReport
from connectors.sfcc.order_mapping import SfccOrderInput
from connectors.sfcc.sandbox.seeding import (
    B2C_API_CLIENT,
    OCAPI_CLIENT,
    SAMPLE_ADDRESS,
    SLAS_CLIENT,
    bm_access_key,
    client_secret,
    sample_order,
    sandbox_settings,
)
from connectors.sfcc.settings import SfccSettings
from store.models import Order
from store.repositories import ConnectionRepository, LineData, OrderRepository

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def make_settings(base_url: str = "https://sfcc.test", **overrides: Any) -> SfccSettings:
    return sandbox_settings(base_url, **overrides)


def make_order(tiktok_id: str = "576653688135258178", **overrides: Any) -> SfccOrderInput:
    return sample_order(tiktok_id, **overrides)


def add_store_order(
    session: Session,
    external_id: str,
    *,
    connection: str = "tt",
    delivery: str = "Standard Shipping",
    status: str = "readyForFulfillment",
    lines: list[LineData] | None = None,
    **fields: Any,
) -> Order:
    """A TikTok order in the store, as the TikTok pull leaves it (two T-shirts and a mug)."""
    source = ConnectionRepository(session).get_by_name(connection)
    if source is None:
        source = ConnectionRepository(session).upsert(connection, "tiktok", {})
    values: dict[str, Any] = {
        "status": status,
        "currency": "USD",
        "subtotal": Decimal("52.48"),
        "shipping_fee": Decimal("5.99"),
        "tax": Decimal(0),
        "discount": Decimal(0),
        "total": Decimal("58.47"),
        "shipping_option": delivery,
        "shipping_address": SAMPLE_ADDRESS,
        "placed_at": datetime(2026, 11, 23, 9, tzinfo=UTC),
        "source_channel": "tiktok",
    }
    values.update(fields)
    order, _ = OrderRepository(session).upsert(
        source.id,
        external_id,
        values,
        lines
        or [
            LineData("TSHIRT-RED-M", 2, Decimal("19.99"), external_line_ids=("L1", "L2")),
            LineData("MUG-001", 1, Decimal("12.50"), external_line_ids=("L3",)),
        ],
    )
    return order


#: The environment a daemon over `sfcc_config` needs: the sandbox seed's own fake secrets.
SECRETS = {
    "SHOPWRIGHT_TT_APP_SECRET": "tiktok-app-secret-value",
    "SHOPWRIGHT_SF_OCAPI_CLIENT_PASSWORD": client_secret(OCAPI_CLIENT).get_secret_value(),
    "SHOPWRIGHT_SF_B2C_API_CLIENT_PASSWORD": client_secret(B2C_API_CLIENT).get_secret_value(),
    "SHOPWRIGHT_SF_B2C_SHOP_API_CLIENT_PASSWORD": client_secret(SLAS_CLIENT).get_secret_value(),
    "SHOPWRIGHT_SF_BUSINESS_MANAGER_PASSWORD": bm_access_key().get_secret_value(),
}


def sfcc_config(database_url: str, sandbox_url: str, extra: str = "", daemon: str = "") -> str:
    """A configuration with a TikTok connection `tt` and an SFCC connection `sf` on the sandbox.

    `extra` holds `key = value` lines for `[connections.sf]` (replacing the defaults of the same
    key); `daemon` adds lines to `[daemon]`.
    """
    settings = {
        "short_code": '"sandbox1"',
        "organization_id": '"f_ecom_zzte_053"',
        "site_id": '"RefArch"',
        "ocapi_url": f'"{sandbox_url}"',
        "account_manager_url": f'"{sandbox_url}"',
        "scapi_url": f'"{sandbox_url}"',
        "ocapi_client_id": '"ocapi-client-0001"',
        "b2c_api_client_id": '"b2c-api-client-0001"',
        "b2c_shop_api_client_id": '"slas-shop-client-0001"',
        "business_manager_user": '"integration@example.com"',
        "generic_customer_number": '"00000001"',
        "push_orders": "true",
    }
    for line in extra.splitlines():
        if "=" in line:
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    lines = "\n".join(f"{key} = {value}" for key, value in settings.items())
    return f"""
database_url = "{database_url}"
[daemon]
{daemon}
[connections.tt]
type = "tiktok"
app_key = "sandbox-app-key"
[connections.sf]
type = "sfcc"
{lines}
[connections.sf.shipping_method_mapping]
"Standard Shipping" = "001"
"""


def create_app_for(tmp_path: Path, database_url: str, sandbox_url: str, extra: str = "") -> DaemonApp:
    """A daemon (not started) over that configuration, for `run_once` in tests."""
    config_path = tmp_path / "shopwright.toml"
    config_path.write_text(sfcc_config(database_url, sandbox_url, extra))
    return create_daemon(load_config(config_path, environ=SECRETS), holder="test:1")


def run_flow(app: DaemonApp, flow: str, outcomes: tuple[str, ...] = ("success", "partial")) -> RunReport:
    """Run one flow of `sf` now and check how it ended."""
    (report,) = app.daemon.run_once(app.registry.select(f"sf:{flow}"), force=True)
    assert report.outcome in outcomes, report
    return report


def write_config_files(
    tmp_path: Path,
    database_url: str,
    sandbox_url: str,
    extra: str = "",
    daemon: str = "",
    *,
    with_tiktok: bool = True,
) -> Path:
    """`sfcc_config` on disk, with the SFCC secrets in a private secrets file, for CLI processes."""
    config = sfcc_config(database_url, sandbox_url, extra, daemon)
    if not with_tiktok:
        config = config[: config.index("[connections.tt]")] + config[config.index("[connections.sf]") :]
    lines = [
        f'{name.removeprefix("SHOPWRIGHT_SF_").lower()} = "{value}"'
        for name, value in SECRETS.items()
        if name.startswith("SHOPWRIGHT_SF_")
    ]
    tiktok = (
        f'\n[connections.tt]\napp_secret = "{SECRETS["SHOPWRIGHT_TT_APP_SECRET"]}"\n' if with_tiktok else ""
    )
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[connections.sf]\n" + "\n".join(lines) + "\n" + tiktok)
    secrets.chmod(0o600)
    path = tmp_path / "shopwright.toml"
    path.write_text(f'secrets_file = "{secrets}"\n{config}')
    return path
