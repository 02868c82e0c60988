"""The sandbox refuses what TikTok refuses, with TikTok's codes and HTTP statuses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from connectors.tiktok.auth import sign_request
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE, DEFAULT_CIPHER

APP_KEY = "test_app_key"  # the values the shared fixtures use (conftest.py)
APP_SECRET = "test_app_secret_not_real"
NOW = int(datetime(2026, 3, 2, 12, 0, tzinfo=UTC).timestamp())


def _token(http: httpx.Client, url: str) -> str:
    code = http.post(f"{url}/_sandbox/auth_codes").json()["auth_code"]
    query = {"app_key": APP_KEY, "app_secret": APP_SECRET, "auth_code": code, "grant_type": "authorized_code"}
    answer = http.get(f"{url}/api/v2/token/get", params=query).json()
    assert answer["code"] == 0, answer
    token: str = answer["data"]["access_token"]
    return token


def _call(
    http: httpx.Client,
    url: str,
    path: str,
    *,
    token: str | None,
    method: str = "GET",
    body: dict[str, Any] | None = None,
    timestamp: int = NOW,
    cipher: str | None = DEFAULT_CIPHER,
    extra: dict[str, str] | None = None,
    secret: str = APP_SECRET,
    tamper: bool = False,
) -> httpx.Response:
    query = {"app_key": APP_KEY, "timestamp": str(timestamp), **(extra or {})}
    if cipher:
        query["shop_cipher"] = cipher
    raw = json.dumps(body).encode() if body is not None else b""
    query["sign"] = sign_request(secret, path, query, raw)
    if tamper:
        raw = raw.replace(b"1", b"2")
    headers = {"content-type": "application/json"}
    if token:
        headers["x-tts-access-token"] = token
    return http.request(method, f"{url}{path}", params=query, content=raw or None, headers=headers)


def test_sandbox_accepts_a_correct_call(http: httpx.Client, sandbox_url: str) -> None:
    answer = _call(http, sandbox_url, "/logistics/202309/warehouses", token=_token(http, sandbox_url))
    assert answer.status_code == 200
    assert answer.json()["code"] == 0
    assert answer.json()["data"]["warehouses"][0]["is_default"] is True


@pytest.mark.parametrize("kind", ["wrong secret", "tampered body"])
def test_sandbox_bad_sign_is_106001_with_http_401(http: httpx.Client, sandbox_url: str, kind: str) -> None:
    token = _token(http, sandbox_url)
    answer = _call(
        http,
        sandbox_url,
        "/order/202309/orders/search",
        token=token,
        method="POST",
        body={"x": 1},
        extra={"page_size": "10"},
        secret="not-the-secret" if kind == "wrong secret" else APP_SECRET,
        tamper=kind == "tampered body",
    )
    assert answer.status_code == 401
    assert answer.json()["code"] == 106001
    assert answer.json()["data"] is None


@pytest.mark.parametrize(("offset", "accepted"), [(-301, False), (-299, True), (29, True), (31, False)])
def test_sandbox_timestamp_window(http: httpx.Client, sandbox_url: str, offset: int, accepted: bool) -> None:
    token = _token(http, sandbox_url)
    answer = _call(http, sandbox_url, "/logistics/202309/warehouses", token=token, timestamp=NOW + offset)
    assert answer.json()["code"] == (0 if accepted else 36009004)


def test_sandbox_expired_token_is_105002(http: httpx.Client, sandbox_url: str) -> None:
    token = _token(http, sandbox_url)
    assert http.post(f"{sandbox_url}/_sandbox/tokens/expire", json={}).status_code == 200
    answer = _call(http, sandbox_url, "/logistics/202309/warehouses", token=token)
    assert answer.json()["code"] == 105002


def test_sandbox_unknown_or_missing_token_is_refused(http: httpx.Client, sandbox_url: str) -> None:
    for token in (None, "ROW_forged"):
        answer = _call(http, sandbox_url, "/logistics/202309/warehouses", token=token)
        assert answer.json()["code"] == 36009004
        assert "access token" in answer.json()["message"]


def test_sandbox_missing_shop_cipher_is_106013(http: httpx.Client, sandbox_url: str) -> None:
    answer = _call(
        http, sandbox_url, "/logistics/202309/warehouses", token=_token(http, sandbox_url), cipher=None
    )
    assert answer.json()["code"] == 106013


def test_sandbox_unexpected_shop_cipher_is_36009004(http: httpx.Client, sandbox_url: str) -> None:
    answer = _call(http, sandbox_url, "/authorization/202309/shops", token=_token(http, sandbox_url))
    assert answer.json()["code"] == 36009004
    assert "Unexpected identifier" in answer.json()["message"]
    ok = _call(http, sandbox_url, "/authorization/202309/shops", token=_token(http, sandbox_url), cipher=None)
    assert ok.json()["data"]["shops"][0]["cipher"] == DEFAULT_CIPHER


def test_sandbox_foreign_shop_cipher_is_refused(http: httpx.Client, sandbox_url: str) -> None:
    answer = _call(
        http, sandbox_url, "/logistics/202309/warehouses", token=_token(http, sandbox_url), cipher="GCP_x"
    )
    assert answer.json()["code"] == 36009004


def test_sandbox_rate_limit_is_429_and_36009002(
    http: httpx.Client, sandbox_url: str, sandbox: Sandbox
) -> None:
    token = _token(http, sandbox_url)
    sandbox.limiter.configure(qps=1, burst=2)
    codes = [_call(http, sandbox_url, "/logistics/202309/warehouses", token=token) for _ in range(3)]
    assert [c.status_code for c in codes] == [200, 200, 429]
    assert codes[2].json()["code"] == 36009002
    assert int(codes[2].headers["retry-after"]) >= 1


def test_sandbox_unknown_path_is_36009009(http: httpx.Client, sandbox_url: str) -> None:
    answer = _call(http, sandbox_url, "/order/202309/nothing_here", token=_token(http, sandbox_url))
    assert answer.status_code == 404
    assert answer.json()["code"] == 36009009


def test_sandbox_auth_code_is_single_use(http: httpx.Client, sandbox_url: str) -> None:
    query = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "auth_code": DEFAULT_AUTH_CODE,
        "grant_type": "authorized_code",
    }
    assert http.get(f"{sandbox_url}/api/v2/token/get", params=query).json()["code"] == 0
    assert http.get(f"{sandbox_url}/api/v2/token/get", params=query).json()["code"] == 36004004
    query["grant_type"] = "authorization_code"  # the common spelling is not TikTok's
    code = http.post(f"{sandbox_url}/_sandbox/auth_codes").json()["auth_code"]
    query["auth_code"] = code
    assert http.get(f"{sandbox_url}/api/v2/token/get", params=query).json()["code"] == 36009004


def test_sandbox_page_token_with_plus_and_slash_round_trips(http: httpx.Client, sandbox_url: str) -> None:
    token = _token(http, sandbox_url)
    http.post(f"{sandbox_url}/_sandbox/orders/generate", json={"count": 30})
    seen: list[str] = []
    page_token = ""
    tokens: list[str] = []
    while True:
        extra = {"page_size": "7", "sort_field": "create_time", "sort_order": "ASC"}
        if page_token:
            extra["page_token"] = page_token
        data = _call(
            http, sandbox_url, "/order/202309/orders/search", token=token, method="POST", body={}, extra=extra
        ).json()["data"]
        seen.extend(o["id"] for o in data["orders"])
        page_token = data["next_page_token"]
        if not page_token:
            break
        tokens.append(page_token)
    assert len(seen) == len(set(seen)) == 30
    assert any("+" in t or "/" in t for t in tokens)
