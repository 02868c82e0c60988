"""The demo's configuration: secrets only in a private file, the deliberate mistakes in the settings."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from connectors.config import load_config
from connectors.sfcc.settings import SfccSettings
from connectors.tiktok.settings import TikTokSettings
from demo.configuration import (
    MISSING_PAYMENT_METHOD,
    MISSING_SHIPPING_METHOD,
    SFCC,
    TIKTOK,
    UNMAPPED_DELIVERY_OPTION,
    DemoPaths,
    DemoSecrets,
    demo_environment,
    write_configuration,
)


@pytest.fixture
def written(tmp_path: Path) -> tuple[DemoPaths, DemoSecrets]:
    paths = DemoPaths(tmp_path / "demo")
    secrets = DemoSecrets.fresh()
    write_configuration(paths, secrets, "http://127.0.0.1:1111", "http://127.0.0.1:2222")
    return paths, secrets


def test_configuration_keeps_secrets_out_of_the_toml(written: tuple[DemoPaths, DemoSecrets]) -> None:
    paths, secrets = written
    text = paths.config.read_text()
    for value in [secrets.tiktok_app_secret, *vars(secrets.sfcc).values()]:
        assert value not in text
        assert len(value) >= 16
    assert stat.S_IMODE(paths.secrets.stat().st_mode) == 0o600


def test_configuration_loads_with_the_secrets_file(written: tuple[DemoPaths, DemoSecrets]) -> None:
    paths, secrets = written
    config = load_config(paths.config, environ={})
    tiktok, sfcc = config.connections[TIKTOK].settings, config.connections[SFCC].settings
    assert isinstance(tiktok, TikTokSettings) and isinstance(sfcc, SfccSettings)
    assert tiktok.app_secret.get_secret_value() == secrets.tiktok_app_secret
    assert sfcc.ocapi_client_password.get_secret_value() == secrets.sfcc.ocapi_client_secret
    assert tiktok.api_base_url == "http://127.0.0.1:1111" and sfcc.ocapi_url == "http://127.0.0.1:2222"
    assert config.database_url == paths.database_url
    # The seller's mistakes the demo day runs into.
    assert sfcc.shipping_method_mapping["Next Day Delivery"] == MISSING_SHIPPING_METHOD
    assert UNMAPPED_DELIVERY_OPTION not in sfcc.shipping_method_mapping
    assert sfcc.payment_method_mapping[0].sfcc_payment_method_id == MISSING_PAYMENT_METHOD
    assert sfcc.push_orders and "canceled" in sfcc.order_statuses_to_push
    # Products lacking attributes wait for approved proposals, which the attribute fill makes.
    assert tiktok.catalog.when_attributes_missing == "hold" and tiktok.attribute_fill.enabled


def test_configuration_fresh_secrets_differ_per_run() -> None:
    assert DemoSecrets.fresh() != DemoSecrets.fresh()


def test_demo_environment_drops_outside_shopwright_settings(
    written: tuple[DemoPaths, DemoSecrets], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, _ = written
    monkeypatch.setenv("SHOPWRIGHT_DATABASE_URL", "postgresql+psycopg://prod/shopwright")
    monkeypatch.setenv("SHOPWRIGHT_TIKTOK_US_APP_SECRET", "not-the-demo-secret")
    environment = demo_environment(paths)
    assert "SHOPWRIGHT_DATABASE_URL" not in environment
    assert "SHOPWRIGHT_TIKTOK_US_APP_SECRET" not in environment
    assert environment["SHOPWRIGHT_CONFIG"] == str(paths.config.resolve())
