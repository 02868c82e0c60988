"""The deployment under test: one configuration file shared by every daemon, and its store.

Secrets reach the daemons the way they reach a real deployment: as ``SHOPWRIGHT_<CONN>_<FIELD>``
environment variables, never in the TOML. The store is a PostgreSQL schema of its own.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from connectors.config import ShopwrightConfig, env_var_for_secret, load_config
from connectors.engine.app import sync_connections
from connectors.engine.clock import SystemClock
from connectors.sfcc.sandbox.seeding import OCAPI_CLIENT
from connectors.tiktok.client import build_client
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from scale_out.sandboxes import TIKTOK_APP_KEY, sfcc_client_secret
from store.migrate import upgrade
from store.session import create_session_factory, create_store_engine

SFCC_CONNECTION = "sfcc-main"
PLUGIN = "scale_out.fast_flows"


def tiktok_connection(index: int) -> str:
    return f"tiktok-shop-{index}"


@dataclass(frozen=True)
class Tuning:
    """Knobs that make a run quick: short ticks, short intervals, small backoff."""

    tick_seconds: float = 1.0
    backoff_base_seconds: float = 0.5
    backoff_max_seconds: float = 5.0
    tiktok_qps: float = 40.0
    page_size: int = 100


def write_config(workdir: Path, tiktok_urls: list[str], sfcc_url: str, tuning: Tuning) -> Path:
    """The TOML every daemon reads: two TikTok shops and one SFCC site, hold window 0."""
    lines = [
        "[daemon]",
        f'plugins = ["{PLUGIN}"]',
        f"tick_seconds = {tuning.tick_seconds}",
        f"backoff_base_seconds = {tuning.backoff_base_seconds}",
        f"backoff_max_seconds = {tuning.backoff_max_seconds}",
        "max_attempts = 8",
    ]
    for index, url in enumerate(tiktok_urls, start=1):
        lines += [
            "",
            f"[connections.{tiktok_connection(index)}]",
            'type = "tiktok"',
            f'app_key = "{TIKTOK_APP_KEY}"',
            f'api_base_url = "{url}"',
            f'auth_base_url = "{url}"',
            "hold_window_minutes = 0",
            # The overlap is in whole minutes and sized for a pull every minute: with pulls every
            # few seconds, ten minutes of overlap would re-read every order a few hundred times.
            # Zero keeps the inclusive cursor (update_time >= the newest one seen).
            "order_overlap_minutes = 0",
            f"rate_limit_qps = {tuning.tiktok_qps}",
            f"page_size = {tuning.page_size}",
            "push_inventory = false",
            "pull_after_sales = false",
            "pull_statements = false",
        ]
    lines += [
        "",
        f"[connections.{SFCC_CONNECTION}]",
        'type = "sfcc"',
        'short_code = "sandbox1"',
        'organization_id = "f_ecom_zzte_053"',
        'site_id = "RefArch"',
        f'ocapi_url = "{sfcc_url}"',
        f'account_manager_url = "{sfcc_url}"',
        f'scapi_url = "{sfcc_url}"',
        f'ocapi_client_id = "{OCAPI_CLIENT}"',
        'generic_customer_number = "00000001"',
        "push_orders = true",
        "pull_fulfillments = true",
        "pull_inventory = false",
        "pull_product_catalog = false",
        "pull_shipping_requests = false",
        "",
        f"[connections.{SFCC_CONNECTION}.shipping_method_mapping]",
        '"Standard Shipping" = "001"',
    ]
    path = workdir / "shopwright.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def secret_env(tiktok_app_secret: str, shops: int) -> dict[str, str]:
    """The secrets of every connection, as the environment variables the configuration reads."""
    env = {env_var_for_secret(SFCC_CONNECTION, "ocapi_client_password"): sfcc_client_secret()}
    for index in range(1, shops + 1):
        env[env_var_for_secret(tiktok_connection(index), "app_secret")] = tiktok_app_secret
    return env


def new_app_secret() -> str:
    return f"scale_out_{secrets.token_hex(12)}"


def prepare_store(config_path: Path, database_url: str, env: dict[str, str]) -> ShopwrightConfig:
    """Migrate the store, create the connections, and authorise each TikTok shop once.

    The tokens land in the store, where every daemon replica finds them (as after a seller
    completes the authorisation flow).
    """
    config = load_config(config_path, environ={**env, "SHOPWRIGHT_DATABASE_URL": database_url})
    engine = create_store_engine(database_url)
    try:
        upgrade(engine)
        factory = create_session_factory(engine)
        sync_connections(config, factory)
        clock = SystemClock()
        with httpx.Client(timeout=30) as http:
            for name, connection in config.connections.items():
                if not isinstance(connection.settings, TikTokSettings):
                    continue
                client = build_client(connection.settings, http, StoreTokenStore(factory, name), clock)
                client.exchange_auth_code(DEFAULT_AUTH_CODE)
                client.bind_shop()
    finally:
        engine.dispose()
    return config


class PrivateSchema:
    """A fresh PostgreSQL schema for one run, dropped afterwards (the bench's own store)."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.name = f"scale_out_{uuid.uuid4().hex[:12]}"
        admin = create_store_engine(server_url)
        try:
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        finally:
            admin.dispose()
        url = make_url(server_url)
        options = f"-csearch_path={self.name}"
        self.url = url.update_query_dict({"options": options}).render_as_string(hide_password=False)

    def drop(self) -> None:
        admin = create_store_engine(self.server_url)
        try:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        finally:
            admin.dispose()


def with_application_name(database_url: str, name: str) -> str:
    """The same store URL, naming the connection so PostgreSQL shows which daemon holds what."""
    url = make_url(database_url)
    return url.update_query_dict({"application_name": name}).render_as_string(hide_password=False)
