"""`sync_daemon.py authorize CONNECTION --code AUTH_CODE`, against the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from tiktok_live import CONNECTION, live_sandbox, write_config

from connectors.engine.hooks import AuthorizationError
from connectors.runtime import ConnectionRuntime
from connectors.tiktok.authorize import authorize_connection
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE, DEFAULT_CIPHER, DEFAULT_SHOP_ID
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from processes import run_cli
from store.repositories import ConnectionRepository
from store.session import create_session_factory, create_store_engine

SECOND_SHOP = {
    "id": "7495540735365777999",
    "name": "Second Shop",
    "region": "GB",
    "seller_type": "CROSS_BORDER",
    "cipher": "GCP_secondCipherAAAABh00qsWgtvOiGFNqyubMt3",
    "code": "GBLCSECOND",
}


def _stored(database_url: str) -> object:
    engine = create_store_engine(database_url)
    try:
        return StoreTokenStore(create_session_factory(engine), CONNECTION).load()
    finally:
        engine.dispose()


def test_authorize_cli_keeps_tokens_and_cipher_and_prints_no_token(tmp_path: Path, sqlite_url: str) -> None:
    with live_sandbox() as (url, sandbox):
        config = write_config(tmp_path, url)
        result = run_cli(config, sqlite_url, "authorize", CONNECTION, "--code", DEFAULT_AUTH_CODE)
        doctor = run_cli(config, sqlite_url, "doctor")
        with sandbox.state.lock:
            tokens = [t for g in sandbox.state.grants.values() for t in (g.access_token, g.refresh_token)]
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"tt: authorised for shop Sandbox Shop (id {DEFAULT_SHOP_ID}, US, LOCAL)"
    assert f"shop cipher:    {DEFAULT_CIPHER}" in result.stdout
    assert "access token:   valid until " in result.stdout and "refresh token:  valid until " in result.stdout
    assert tokens and not any(t in result.stdout + result.stderr for t in tokens)
    record = _stored(sqlite_url)
    assert getattr(record, "shop_cipher", None) == DEFAULT_CIPHER
    assert getattr(record, "access_token", None) in tokens
    assert doctor.returncode == 0, doctor.stdout
    for name in ("tokens", "shop", "warehouses"):
        assert f"[ok] tt: {name}: " in doctor.stdout
    assert not any(t in doctor.stdout + doctor.stderr for t in tokens)


def test_authorize_cli_without_a_code_says_where_to_get_one(tmp_path: Path, sqlite_url: str) -> None:
    with live_sandbox() as (url, _sandbox):
        result = run_cli(write_config(tmp_path, url), sqlite_url, "authorize", CONNECTION)
    assert result.returncode == 1 and result.stdout == ""
    assert "tt has no TikTok Shop tokens yet" in result.stderr
    assert "https://services.us.tiktokshop.com/open/authorize?service_id=" in result.stderr
    assert "https://auth.tiktok-shops.com/oauth/authorize?app_key=live_app_key&state=" in result.stderr
    assert "?code=AUTH_CODE" in result.stderr and "authorize tt --code AUTH_CODE" in result.stderr


def test_authorize_cli_refused_code_and_unknown_connection(tmp_path: Path, sqlite_url: str) -> None:
    with live_sandbox() as (url, _sandbox):
        config = write_config(tmp_path, url)
        refused = run_cli(config, sqlite_url, "authorize", CONNECTION, "--code", "NOT_A_REAL_CODE")
        unknown = run_cli(config, sqlite_url, "authorize", "tiktok-eu", "--code", DEFAULT_AUTH_CODE)
    assert refused.returncode == 1
    assert "TikTok Shop refused the authorisation code for tt" in refused.stderr
    assert "36004004" in refused.stderr and "get a new one" in refused.stderr
    assert _stored(sqlite_url) is None
    assert (
        unknown.returncode == 1 and "no connection named tiktok-eu; known connections: tt" in unknown.stderr
    )


# --- in process: choosing the shop -----------------------------------------------------------------


@pytest.fixture
def runtime(
    sqlite_url: str, sandbox_url: str, sandbox: Sandbox, http: httpx.Client
) -> Iterator[ConnectionRuntime]:
    sandbox.state.shops[SECOND_SHOP["id"]] = dict(SECOND_SHOP)
    engine = create_store_engine(sqlite_url)
    factory = create_session_factory(engine)
    with factory.begin() as session:
        ConnectionRepository(session).upsert("tt", "tiktok", {})
    settings = TikTokSettings(
        app_key="test_app_key",
        app_secret=SecretStr("test_app_secret_not_real"),
        api_base_url=sandbox_url,
        auth_base_url=sandbox_url,
    )
    yield ConnectionRuntime("tt", settings, http, sandbox.state.clock, factory)
    engine.dispose()


def _with_shop(runtime: ConnectionRuntime, shop_id: str) -> ConnectionRuntime:
    settings = runtime.settings.model_copy(update={"shop_id": shop_id})
    return ConnectionRuntime(runtime.name, settings, runtime.http, runtime.clock, runtime.session_factory)


def test_authorize_several_shops_lists_them_then_binds_the_chosen_one_without_a_new_code(
    runtime: ConnectionRuntime, sandbox: Sandbox
) -> None:
    with pytest.raises(AuthorizationError) as raised:
        authorize_connection(runtime, DEFAULT_AUTH_CODE)
    message = str(raised.value)
    assert (
        f"covers 2 shops: {DEFAULT_SHOP_ID} (Sandbox Shop, US), {SECOND_SHOP['id']} (Second Shop, GB)"
        in message
    )
    assert "Set shop_id" in message and "no new code is needed" in message
    kept = StoreTokenStore(runtime.session_factory, "tt").load()
    assert kept is not None and kept.shop_cipher is None

    bound = authorize_connection(_with_shop(runtime, SECOND_SHOP["id"]), None)
    assert bound.shop.id == SECOND_SHOP["id"] and bound.record.shop_cipher == SECOND_SHOP["cipher"]
    stored = StoreTokenStore(runtime.session_factory, "tt").load()
    assert stored is not None and stored.shop_cipher == SECOND_SHOP["cipher"]
    assert stored.access_token == kept.access_token  # the same grant, bound now
    assert DEFAULT_AUTH_CODE not in sandbox.state.auth_codes  # the code was used once


def test_authorize_shop_id_not_covered_is_refused(runtime: ConnectionRuntime) -> None:
    with pytest.raises(AuthorizationError, match="shop_id 1234 of tt is not among the shops"):
        authorize_connection(_with_shop(runtime, "1234"), DEFAULT_AUTH_CODE)


def test_authorize_lines_never_carry_a_token(runtime: ConnectionRuntime) -> None:
    outcome = authorize_connection(_with_shop(runtime, DEFAULT_SHOP_ID), DEFAULT_AUTH_CODE)
    text = "\n".join(outcome.lines()) + repr(outcome)
    assert outcome.record.access_token not in text and outcome.record.refresh_token not in text
    assert DEFAULT_CIPHER in text
