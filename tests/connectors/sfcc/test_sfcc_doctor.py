"""`doctor` for SFCC: each credential checked on its own, against sandboxes seeded with one mistake."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sfcc_helpers import SECRETS, make_settings, write_config_files
from sqlalchemy.orm import sessionmaker

from connectors.engine.clock import SystemClock
from connectors.runtime import ConnectionRuntime
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc.doctor import run_checks
from connectors.sfcc.sandbox.app import create_app, default_seed
from connectors.types import DoctorCheck
from processes import run_cli

Seed = dict[str, Any]


def _client(seed: Seed, client_id: str) -> dict[str, Any]:
    return next(c for c in seed["api_clients"] if c["client_id"] == client_id)


def _without_resource(api: str, resource_id: str) -> Callable[[Seed], None]:
    def change(seed: Seed) -> None:
        client = seed["ocapi_settings"][api]["clients"][0]
        client["resources"] = [r for r in client["resources"] if r["resource_id"] != resource_id]

    return change


def _doctor(seed: Seed | None = None, **overrides: Any) -> list[DoctorCheck]:
    with running_sandbox(create_app(seed or default_seed())) as url, httpx.Client(timeout=10) as http:
        settings = make_settings(url, **overrides)
        runtime = ConnectionRuntime("sf", settings, http, SystemClock(), sessionmaker())
        return list(run_checks(runtime))


def _failing(checks: list[DoctorCheck]) -> dict[str, str]:
    return {c.name: c.detail for c in checks if not c.ok}


def _assert_no_secrets(checks: list[DoctorCheck]) -> None:
    text = " ".join(c.detail for c in checks)
    for secret in [*SECRETS.values(), "not-the-password"]:
        assert secret not in text


def test_a_healthy_instance_passes_every_credential_and_permission() -> None:
    checks = _doctor(order_push_api="scapi_create_orders")
    assert _failing(checks) == {}
    assert [c.name for c in checks] == [
        "OCAPI client 'ocapi-client-0001'",
        "Business Manager user 'integration@example.com'",
        "OCAPI Shop API permissions of 'ocapi-client-0001'",
        "OCAPI Data API permissions of 'ocapi-client-0001'",
        "generic customer 00000001",
        "B2C API client 'b2c-api-client-0001' (SCAPI Admin)",
        "B2C Shop API client 'slas-shop-client-0001' (SLAS)",
    ]


def test_wrong_ocapi_secret_fails_only_that_credential_and_names_its_setting() -> None:
    from pydantic import SecretStr

    checks = _doctor(ocapi_client_password=SecretStr("not-the-password"))
    failing = _failing(checks)
    assert list(failing) == [
        "OCAPI client 'ocapi-client-0001'",
        "Business Manager user 'integration@example.com'",
    ]
    detail = failing["OCAPI client 'ocapi-client-0001'"]
    assert "invalid_client" in detail and "SHOPWRIGHT_SF_OCAPI_CLIENT_PASSWORD" in detail
    # Each credential on its own: the SCAPI clients still pass.
    assert {c.name: c.ok for c in checks if "B2C" in c.name} == {
        "B2C API client 'b2c-api-client-0001' (SCAPI Admin)": True,
        "B2C Shop API client 'slas-shop-client-0001' (SLAS)": True,
    }
    _assert_no_secrets(checks)


def test_unknown_client_is_named() -> None:
    seed = copy.deepcopy(default_seed())
    seed["api_clients"] = [c for c in seed["api_clients"] if c["client_id"] != "b2c-api-client-0001"]
    failing = _failing(_doctor(seed, order_push_api="scapi_create_orders"))
    assert list(failing) == ["B2C API client 'b2c-api-client-0001' (SCAPI Admin)"]
    assert "client id is unknown" in failing["B2C API client 'b2c-api-client-0001' (SCAPI Admin)"]
    assert "b2c_api_client_id" in failing["B2C API client 'b2c-api-client-0001' (SCAPI Admin)"]


def test_deactivated_shop_api_client_is_named() -> None:
    seed = copy.deepcopy(default_seed())
    _client(seed, "slas-shop-client-0001")["active"] = False
    failing = _failing(_doctor(seed))
    assert list(failing) == ["B2C Shop API client 'slas-shop-client-0001' (SLAS)"]
    assert (
        "SHOPWRIGHT_SF_B2C_SHOP_API_CLIENT_PASSWORD"
        in failing["B2C Shop API client 'slas-shop-client-0001' (SLAS)"]
    )


@pytest.mark.parametrize(
    ("client_id", "scope", "check"),
    [
        ("b2c-api-client-0001", "sfcc.orders.rw", "B2C API client 'b2c-api-client-0001' (SCAPI Admin)"),
        (
            "slas-shop-client-0001",
            "sfcc.ts_ext_on_behalf_of",
            "B2C Shop API client 'slas-shop-client-0001' (SLAS)",
        ),
        ("slas-shop-client-0001", "sfcc.orders.rw", "B2C Shop API client 'slas-shop-client-0001' (SLAS)"),
    ],
)
def test_missing_scope_is_named(client_id: str, scope: str, check: str) -> None:
    seed = copy.deepcopy(default_seed())
    client = _client(seed, client_id)
    client["scopes"] = [s for s in client["scopes"] if s != scope]
    failing = _failing(_doctor(seed, order_push_api="scapi_create_orders"))
    assert list(failing) == [check]
    assert f"scope {scope}" in failing[check]


@pytest.mark.parametrize(
    ("api", "resource_id", "expected"),
    [
        ("shop", "/order_search", '{"resource_id": "/order_search", "methods": ["post"]}'),
        ("shop", "/orders/**", '{"resource_id": "/orders/*", "methods": ["put"]}'),
        ("data", "/product_search", '{"resource_id": "/product_search", "methods": ["post"]}'),
        ("data", "/sites/*/orders/**", '{"resource_id": "/sites/*/orders/*/status", "methods": ["put"]}'),
    ],
)
def test_missing_ocapi_resource_permission_is_named(api: str, resource_id: str, expected: str) -> None:
    seed = copy.deepcopy(default_seed())
    _without_resource(api, resource_id)(seed)
    failing = _failing(_doctor(seed))
    name = f"OCAPI {api.capitalize()} API permissions of 'ocapi-client-0001'"
    assert list(failing) == [name]
    assert expected in failing[name]
    assert "Open Commerce API Settings" in failing[name]


def test_wrong_business_manager_access_key_is_named() -> None:
    from pydantic import SecretStr

    failing = _failing(_doctor(business_manager_password=SecretStr("not-the-password")))
    assert list(failing) == ["Business Manager user 'integration@example.com'"]
    assert (
        "SHOPWRIGHT_SF_BUSINESS_MANAGER_PASSWORD"
        in failing["Business Manager user 'integration@example.com'"]
    )


def test_unknown_generic_customer_and_wrong_site_are_named() -> None:
    assert list(_failing(_doctor(generic_customer_number="404"))) == ["generic customer 404"]
    failing = _failing(_doctor(site_id="SiteGenesis"))
    assert "no site 'SiteGenesis'" in failing["OCAPI Shop API permissions of 'ocapi-client-0001'"]
    assert "check site_id" in failing["B2C Shop API client 'slas-shop-client-0001' (SLAS)"]


@pytest.fixture
def restricted_sandbox() -> Iterator[str]:
    seed = copy.deepcopy(default_seed())
    _without_resource("shop", "/order_search")(seed)
    with running_sandbox(create_app(seed)) as url:
        yield url


def test_sync_daemon_doctor_reports_the_failing_credential(
    sqlite_url: str, restricted_sandbox: str, tmp_path: Path
) -> None:
    path = write_config_files(tmp_path, sqlite_url, restricted_sandbox, with_tiktok=False)
    result = run_cli(path, sqlite_url, "doctor")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[ok] sf: OCAPI client 'ocapi-client-0001': token issued" in result.stdout
    failed = "[FAIL] sf: OCAPI Shop API permissions of 'ocapi-client-0001': 1 missing; add to the Shop API"
    assert failed in result.stdout
    assert '{"resource_id": "/order_search", "methods": ["post"]}' in result.stdout
    for secret in SECRETS.values():
        assert secret not in result.stdout + result.stderr
