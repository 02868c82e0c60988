"""The demo's configuration in var/demo/: shopwright.toml without secrets, secrets.toml (chmod 600).

Credentials are fresh random values on every run; the sandboxes are told the same ones. The
settings deliberately carry the mistakes sellers make: 'Next Day Delivery' mapped to a shipping
method the site does not have, 'Economy Shipping' not mapped at all, and PayPal orders mapped to
a payment method the site does not have.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from demo.categories import CATEGORIES
from demo.orders import ECONOMY, EXPRESS, NEXT_DAY, PAYPAL, STANDARD
from demo.sfcc_wire import (
    B2C_API_CLIENT,
    BM_USER,
    GENERIC_CUSTOMER,
    OCAPI_CLIENT,
    ORGANIZATION_ID,
    SHORT_CODE,
    SITE_ID,
    SLAS_CLIENT,
    SfccCredentials,
)

TIKTOK = "tiktok-us"
SFCC = "sfcc-main"
APP_KEY = "6jnprdemo7k2q"
APPROVER = "U0DEMOOPS"
MISSING_SHIPPING_METHOD = "NEXTDAY"  # not a method of the demo site
MISSING_PAYMENT_METHOD = "PAYPAL"  # not a payment method of the demo site
UNMAPPED_DELIVERY_OPTION = ECONOMY


@dataclass(frozen=True)
class DemoSecrets:
    """Every secret of one demo run."""

    tiktok_app_secret: str
    sfcc: SfccCredentials

    @classmethod
    def fresh(cls) -> DemoSecrets:
        token = secrets.token_urlsafe
        return cls(
            tiktok_app_secret=secrets.token_hex(20),
            sfcc=SfccCredentials(token(24), token(24), token(24), token(18), token(24)),
        )


@dataclass(frozen=True)
class DemoPaths:
    """Where the demo keeps its files."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "shopwright.toml"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets.toml"

    @property
    def database(self) -> Path:
        return self.root / "shopwright.db"

    @property
    def images(self) -> Path:
        return self.root / "images"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database.resolve()}"


def _toml(value: object) -> str:
    # JSON strings, numbers, booleans and lists of them are valid TOML values.
    return json.dumps(value)


def config_text(paths: DemoPaths, tiktok_url: str, sfcc_url: str) -> str:
    """shopwright.toml for the demo: the store, the bot's approver and both connections."""
    shipping = {STANDARD: "001", EXPRESS: "002", NEXT_DAY: MISSING_SHIPPING_METHOD}
    lines = [
        "# The demo's configuration, written by demo.py. Secrets are in secrets.toml (chmod 600).",
        f"database_url = {_toml(paths.database_url)}",
        'secrets_file = "secrets.toml"',
        "",
        "[daemon]",
        "max_attempts = 3",
        "backoff_base_seconds = 1.0",
        "",
        "[bot]",
        f"approvers = {_toml([APPROVER])}",
        "",
        f"[connections.{TIKTOK}]",
        'type = "tiktok"',
        f"app_key = {_toml(APP_KEY)}",
        f"api_base_url = {_toml(tiktok_url)}",
        f"auth_base_url = {_toml(tiktok_url)}",
        "hold_window_minutes = 60",
        "page_size = 100",
        "rate_limit_qps = 500",
        "",
        f"[connections.{TIKTOK}.catalog]",
        "push_products = true",
        "daily_upload_limit = 1000",
        'when_attributes_missing = "hold"  # listed only once approved proposals fill the gaps',
        "",
        f"[connections.{TIKTOK}.catalog.category_map]",
        *(f"{_toml(c.sfcc_category_id)} = {_toml(c.tiktok_id)}" for c in CATEGORIES),
        "",
        f"[connections.{TIKTOK}.attribute_fill]",
        "enabled = true",
        'backend = "auto"  # an OpenAI-compatible model when OPENAI_API_KEY is set, else the rules',
        "",
        f"[connections.{SFCC}]",
        'type = "sfcc"',
        f"short_code = {_toml(SHORT_CODE)}",
        f"organization_id = {_toml(ORGANIZATION_ID)}",
        f"site_id = {_toml(SITE_ID)}",
        f"ocapi_url = {_toml(sfcc_url)}",
        f"account_manager_url = {_toml(sfcc_url)}",
        f"scapi_url = {_toml(sfcc_url)}",
        f"ocapi_client_id = {_toml(OCAPI_CLIENT)}",
        f"b2c_api_client_id = {_toml(B2C_API_CLIENT)}",
        f"b2c_shop_api_client_id = {_toml(SLAS_CLIENT)}",
        f"business_manager_user = {_toml(BM_USER)}",
        'customer_strategy = "generic_customer"',
        f"generic_customer_number = {_toml(GENERIC_CUSTOMER)}",
        "push_orders = true",
        'order_statuses_to_push = ["readyForFulfillment", "canceled"]',
        "",
        f"[connections.{SFCC}.shipping_method_mapping]",
        *(f"{_toml(option)} = {_toml(method)}" for option, method in shipping.items()),
        "",
        f"[[connections.{SFCC}.payment_method_mapping]]",
        f"tiktok_payment_method = {_toml(PAYPAL)}",
        f"sfcc_payment_method_id = {_toml(MISSING_PAYMENT_METHOD)}",
        "",
        f"[[connections.{SFCC}.payment_method_mapping]]",
        'sfcc_payment_method_id = "TTS"',
    ]
    return "\n".join(lines) + "\n"


def secrets_text(demo_secrets: DemoSecrets) -> str:
    """secrets.toml: the same [connections.<name>] tables, secret fields only."""
    sfcc = demo_secrets.sfcc
    return "\n".join(
        [
            f"[connections.{TIKTOK}]",
            f"app_secret = {_toml(demo_secrets.tiktok_app_secret)}",
            "",
            f"[connections.{SFCC}]",
            f"ocapi_client_password = {_toml(sfcc.ocapi_client_secret)}",
            f"b2c_api_client_password = {_toml(sfcc.b2c_api_client_secret)}",
            f"b2c_shop_api_client_password = {_toml(sfcc.slas_client_secret)}",
            f"business_manager_password = {_toml(sfcc.bm_access_key)}",
            "",
        ]
    )


def write_configuration(paths: DemoPaths, demo_secrets: DemoSecrets, tiktok_url: str, sfcc_url: str) -> None:
    """Write both files; the secrets file is created readable by its owner only."""
    paths.root.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(config_text(paths, tiktok_url, sfcc_url), encoding="utf-8")
    descriptor = os.open(paths.secrets, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets_text(demo_secrets))
    paths.secrets.chmod(0o600)


def demo_environment(paths: DemoPaths) -> dict[str, str]:
    """The environment the demo's commands run in: its own config, no SHOPWRIGHT_* from outside.

    A SHOPWRIGHT_DATABASE_URL or a secret variable left in the shell would otherwise point the demo
    at another store or override its credentials.
    """
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SHOPWRIGHT_")}
    environment["SHOPWRIGHT_CONFIG"] = str(paths.config.resolve())
    return environment
