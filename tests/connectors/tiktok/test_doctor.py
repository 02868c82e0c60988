"""`sync_daemon.py doctor` for a TikTok connection, against the sandbox."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from connectors.config import load_config
from connectors.engine.doctor import run_doctor
from connectors.runtime import ConnectionRuntime
from connectors.sandbox_runner import free_port
from connectors.tiktok.authorize import authorize_connection
from connectors.tiktok.doctor import tiktok_doctor
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import (
    DEFAULT_AUTH_CODE,
    DEFAULT_CIPHER,
    DEFAULT_SHOP_ID,
    DEFAULT_WAREHOUSE,
    apply_seed,
)
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from connectors.types import DoctorCheck
from store.models import Location
from store.repositories import ConnectionRepository
from store.session import create_session_factory, create_store_engine

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"
WEST = "7068517275539719960"


@pytest.fixture
def runtime(
    sqlite_url: str, sandbox_url: str, sandbox: Sandbox, http: httpx.Client
) -> Iterator[ConnectionRuntime]:
    engine = create_store_engine(sqlite_url)
    factory = create_session_factory(engine)
    with factory.begin() as session:
        ConnectionRepository(session).upsert("tt", "tiktok", {})
    settings = TikTokSettings(
        app_key=APP_KEY, app_secret=SecretStr(APP_SECRET), api_base_url=sandbox_url, auth_base_url=sandbox_url
    )
    yield ConnectionRuntime("tt", settings, http, sandbox.state.clock, factory)
    engine.dispose()


def _by_name(checks: Any) -> dict[str, DoctorCheck]:
    return {check.name: check for check in checks}


def test_doctor_healthy_connection_reports_tokens_shop_cipher_and_warehouses(
    runtime: ConnectionRuntime,
) -> None:
    authorize_connection(runtime, DEFAULT_AUTH_CODE)
    checks = list(tiktok_doctor(runtime))
    assert [c.name for c in checks] == ["tokens", "shop", "warehouses"]
    assert all(c.ok for c in checks), checks
    found = _by_name(checks)
    # The sandbox clock starts 2026-03-02 12:00 UTC; an access token lasts 604,799 s.
    assert "access token until 2026-03-09 11:59 UTC" in found["tokens"].detail
    assert f"Sandbox Shop (id {DEFAULT_SHOP_ID}, US), cipher {DEFAULT_CIPHER}" == found["shop"].detail
    assert "Main warehouse 7068517275539719942 (sales, default)" in found["warehouses"].detail
    assert "Returns 7068517275539719943 (return)" in found["warehouses"].detail


def test_doctor_through_the_cli_path_uses_the_connector_hook(
    runtime: ConnectionRuntime, sqlite_url: str, sandbox_url: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    authorize_connection(runtime, DEFAULT_AUTH_CODE)
    path = tmp_path / "shopwright.toml"
    path.write_text(
        f'database_url = "{sqlite_url}"\n[connections.tt]\ntype = "tiktok"\napp_key = "{APP_KEY}"\n'
        f'api_base_url = "{sandbox_url}"\nauth_base_url = "{sandbox_url}"\n'
    )
    config = load_config(path, environ={"SHOPWRIGHT_TT_APP_SECRET": APP_SECRET})
    lines: list[str] = []
    ok = run_doctor(
        config, sandbox.state.clock, lambda section, c: lines.append(f"{section} {c.name} {c.ok}")
    )
    assert ok and lines[-3:] == ["tt tokens True", "tt shop True", "tt warehouses True"]


def test_doctor_without_tokens_says_to_authorize(runtime: ConnectionRuntime, sandbox: Sandbox) -> None:
    (check,) = tiktok_doctor(runtime)
    assert check.name == "tokens" and not check.ok
    assert "never authorised" in check.detail
    assert "python sync_daemon.py authorize tt --code AUTH_CODE" in check.detail
    assert sandbox.state.received.calls == {}  # nothing to prove without tokens: no call made


def test_doctor_refresh_token_refused_by_tiktok_says_to_authorize_again(
    runtime: ConnectionRuntime, sandbox_url: str, http: httpx.Client
) -> None:
    authorize_connection(runtime, DEFAULT_AUTH_CODE)
    http.post(f"{sandbox_url}/_sandbox/tokens/expire", json={"refresh": True})
    (check,) = tiktok_doctor(runtime)
    assert check.name == "tokens" and not check.ok
    assert "TikTok refused the tokens" in check.detail and "authorize tt --code AUTH_CODE" in check.detail


def test_doctor_refresh_token_past_its_stored_expiry_fails_without_calling(
    runtime: ConnectionRuntime, sandbox: Sandbox
) -> None:
    record = authorize_connection(runtime, DEFAULT_AUTH_CODE).record
    now = sandbox.state.clock.timestamp()
    store = StoreTokenStore(runtime.session_factory, "tt")
    store.save(dataclasses.replace(record, access_token_expire_in=now - 60, refresh_token_expire_in=now - 1))
    calls_before = dict(sandbox.state.received.calls)
    (check,) = tiktok_doctor(runtime)
    assert not check.ok and "the refresh token expired at" in check.detail and "authorize tt" in check.detail
    assert sandbox.state.received.calls == calls_before


def test_doctor_renews_an_expired_access_token_and_passes(
    runtime: ConnectionRuntime, sandbox_url: str, http: httpx.Client
) -> None:
    before = authorize_connection(runtime, DEFAULT_AUTH_CODE).record
    http.post(f"{sandbox_url}/_sandbox/tokens/expire", json={})
    checks = tiktok_doctor(runtime)
    assert all(c.ok for c in checks), checks
    after = StoreTokenStore(runtime.session_factory, "tt").load()
    assert after is not None and after.access_token != before.access_token
    assert after.shop_cipher == DEFAULT_CIPHER  # the refresh kept the shop binding


def test_doctor_stale_cipher_names_the_fix(runtime: ConnectionRuntime) -> None:
    record = authorize_connection(runtime, DEFAULT_AUTH_CODE).record
    StoreTokenStore(runtime.session_factory, "tt").save(dataclasses.replace(record, shop_cipher="ROW_old"))
    found = _by_name(tiktok_doctor(runtime))
    assert found["tokens"].ok and not found["shop"].ok and "warehouses" not in found
    assert f"has cipher {DEFAULT_CIPHER}, but the store keeps ROW_old" in found["shop"].detail
    assert "python sync_daemon.py authorize tt`" in found["shop"].detail


def test_doctor_shop_without_a_sales_warehouse_fails(runtime: ConnectionRuntime, sandbox: Sandbox) -> None:
    authorize_connection(runtime, DEFAULT_AUTH_CODE)
    with sandbox.state.lock:
        sandbox.state.warehouses = [w for w in sandbox.state.warehouses if w["type"] == "RETURN_WAREHOUSE"]
    found = _by_name(tiktok_doctor(runtime))
    assert not found["warehouses"].ok and "no sales warehouse" in found["warehouses"].detail


def test_doctor_unreachable_api_names_the_url(runtime: ConnectionRuntime) -> None:
    authorize_connection(runtime, DEFAULT_AUTH_CODE)
    assert isinstance(runtime.settings, TikTokSettings)
    dead = f"http://127.0.0.1:{free_port()}"
    settings = runtime.settings.model_copy(update={"api_base_url": dead, "max_attempts": 1})
    (check,) = tiktok_doctor(dataclasses.replace(runtime, settings=settings))
    assert check.name == "reachable" and not check.ok and dead in check.detail


def _mapped(runtime: ConnectionRuntime, mapping: dict[str, str]) -> ConnectionRuntime:
    assert isinstance(runtime.settings, TikTokSettings)
    settings = runtime.settings.model_copy(update={"inventory_warehouses": mapping})
    return dataclasses.replace(runtime, settings=settings)


def _add_west(sandbox: Sandbox, status: str = "ENABLED") -> None:
    apply_seed(
        sandbox.state,
        {"warehouses": [{"id": WEST, "name": "West", "effect_status": status, "type": "SALES_WAREHOUSE"}]},
    )


def test_doctor_checks_the_configured_default_warehouse(runtime: ConnectionRuntime, sandbox: Sandbox) -> None:
    authorize_connection(runtime, DEFAULT_AUTH_CODE)
    _add_west(sandbox, status="DISABLED")
    assert isinstance(runtime.settings, TikTokSettings)
    good = runtime.settings.model_copy(update={"default_warehouse_id": DEFAULT_WAREHOUSE})
    checks = _by_name(tiktok_doctor(dataclasses.replace(runtime, settings=good)))
    assert checks["inventory warehouse"].ok
    assert DEFAULT_WAREHOUSE in checks["inventory warehouse"].detail
    disabled = runtime.settings.model_copy(update={"default_warehouse_id": WEST})
    check = _by_name(tiktok_doctor(dataclasses.replace(runtime, settings=disabled)))["inventory warehouse"]
    assert not check.ok
    assert f"default_warehouse_id {WEST} is not enabled (disabled)" in check.detail
    assert "[connections.tt]" in check.detail


def test_doctor_flags_mapped_warehouses_that_are_not_enabled_sales_warehouses(
    runtime: ConnectionRuntime, sandbox: Sandbox
) -> None:
    authorize_connection(runtime, DEFAULT_AUTH_CODE)
    _add_west(sandbox, status="DISABLED")
    mapping = {
        "inventory_east": DEFAULT_WAREHOUSE,
        "inventory_west": WEST,
        "inventory_north": "7000000000000000001",
        "inventory_returns": "7068517275539719943",
    }
    checks = list(tiktok_doctor(_mapped(runtime, mapping)))
    assert [c.name for c in checks] == ["tokens", "shop", "warehouses", "inventory warehouses"]
    check = checks[-1]
    assert not check.ok
    assert (
        "warehouse 7000000000000000001 (fed by 'inventory_north') is not a warehouse of the shop"
        in check.detail
    )
    returns = "warehouse 7068517275539719943 (fed by 'inventory_returns') is a return warehouse, not a sales"
    assert returns in check.detail
    assert f"warehouse {WEST} (fed by 'inventory_west') is not enabled (disabled)" in check.detail
    assert f"enabled sales warehouses (Main warehouse {DEFAULT_WAREHOUSE})" in check.detail
    assert "in inventory_warehouses under [connections.tt]" in check.detail


def test_doctor_passes_a_good_map_and_warns_about_location_codes_not_in_the_store(
    runtime: ConnectionRuntime, sandbox: Sandbox
) -> None:
    authorize_connection(runtime, DEFAULT_AUTH_CODE)
    _add_west(sandbox)
    mapping = {
        "inventory_east": DEFAULT_WAREHOUSE,
        "inventory_annex": DEFAULT_WAREHOUSE,
        "inventory_west": WEST,
    }
    with runtime.session_factory.begin() as session:
        sf = ConnectionRepository(session).upsert("sf", "sfcc", {})
        tt = ConnectionRepository(session).get_by_name("tt")
        assert tt is not None
        session.add(
            Location(connection_id=sf.id, external_id="inventory_east", name="East", kind="inventory_list")
        )
        session.add(Location(connection_id=tt.id, external_id="inventory_west", name="x", kind="sales"))
    check = list(tiktok_doctor(_mapped(runtime, mapping)))[-1]
    assert check.name == "inventory warehouses" and check.ok, check
    main, west = f"Main warehouse {DEFAULT_WAREHOUSE}", f"West {WEST}"
    assert check.detail.startswith(
        f"{main} <- 'inventory_annex', 'inventory_east'; {west} <- 'inventory_west';"
    )
    # The TikTok connection's own locations are not stock sources: inventory_west is still missing.
    assert "warning: location code(s) 'inventory_annex', 'inventory_west' match no location" in check.detail
    with runtime.session_factory.begin() as session:
        sf = ConnectionRepository(session).upsert("sf", "sfcc", {})
        for code in ("inventory_annex", "inventory_west"):
            session.add(Location(connection_id=sf.id, external_id=code, name=code, kind="inventory_list"))
    check = list(tiktok_doctor(_mapped(runtime, mapping)))[-1]
    assert check.ok and "warning" not in check.detail
