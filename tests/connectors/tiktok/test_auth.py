"""Signing, webhook verification and the TikTokAuth flow, driven by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from connectors.engine.clock import FrozenClock
from connectors.tiktok.auth import (
    TikTokAuth,
    sign_request,
    takes_shop_cipher,
    verify_webhook_signature,
    webhook_signature,
)
from connectors.tiktok.errors import AuthExpiredError
from connectors.tiktok.tokens import InMemoryTokenStore, TokenManager, TokenRecord

# Reference section 2.1, V1: the official "Get Authorized Shops" example.
V1_SIGN = "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"
# Reference section 2.1, V4: the minimal vector from a public SDK's tests.
V4_SIGN = "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f"
# Reference section 3.9, W1: the official webhook vector.
W1_BODY = (
    b'{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507",'
    b'"timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178",'
    b'"order_status":"UNPAID","update_time":1718305585}}'
)
W1_SIGN = "5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05"

APP_KEY = "29a39d"
APP_SECRET = "e59af819cc"
NOW = datetime.fromtimestamp(1623812664, UTC)


def test_sign_request_official_authorized_shops_vector() -> None:
    query = {"app_key": "29a39d", "timestamp": "1623812664"}
    assert sign_request("e59af819cc", "/authorization/202309/shops", query) == V1_SIGN


def test_sign_request_minimal_vector() -> None:
    assert sign_request("app_secret", "/test-api", {"foo": "bar"}) == V4_SIGN


def test_sign_request_ignores_sign_and_access_token() -> None:
    query = {"app_key": "29a39d", "timestamp": "1623812664", "sign": "x", "access_token": "y"}
    assert sign_request("e59af819cc", "/authorization/202309/shops", query) == V1_SIGN


def test_sign_request_appends_body_and_sorts_bytewise() -> None:
    body = b'{"b":1,"a":2}'
    with_body = sign_request("s", "/p", {"b": "1", "B": "2", "a": "3"}, body)
    assert with_body != sign_request("s", "/p", {"b": "1", "B": "2", "a": "3"})
    # Byte-wise order puts upper case first: B, a, b.
    import hashlib
    import hmac

    expected = hmac.new(b"s", b"s/pB2a3b1" + body + b"s", hashlib.sha256).hexdigest()
    assert with_body == expected


def test_verify_webhook_signature_official_vector() -> None:
    assert webhook_signature("abcdef", "123", W1_BODY) == W1_SIGN
    assert verify_webhook_signature("abcdef", "123", W1_BODY, W1_SIGN)
    assert verify_webhook_signature("abcdef", "123", W1_BODY, W1_SIGN.upper())


def test_verify_webhook_signature_rejects_reserialised_or_wrong_key() -> None:
    reserialised = json.dumps(json.loads(W1_BODY)).encode()
    assert not verify_webhook_signature("abcdef", "123", reserialised, W1_SIGN)
    assert not verify_webhook_signature("abcdeg", "123", W1_BODY, W1_SIGN)
    assert not verify_webhook_signature("abcdef", "123", W1_BODY, "")


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/authorization/202309/shops", False),
        ("GET", "/seller/202309/shops", False),
        ("POST", "/product/202309/images/upload", False),
        ("POST", "/product/202309/files/upload", False),
        ("POST", "/product/202309/global_products/search", False),
        ("POST", "/product/202309/brands", False),
        ("GET", "/product/202309/brands", True),
        ("POST", "/order/202309/orders/search", True),
        ("GET", "/logistics/202309/warehouses", True),
    ],
)
def test_takes_shop_cipher_follows_reference(method: str, path: str, expected: bool) -> None:
    assert takes_shop_cipher(method, path) is expected


def _auth(record: TokenRecord, clock: FrozenClock) -> tuple[TikTokAuth, InMemoryTokenStore]:
    store = InMemoryTokenStore(record)
    tokens = TokenManager(
        app_key=APP_KEY,
        app_secret=SecretStr(APP_SECRET),
        auth_base_url="https://auth.example.test",
        store=store,
        clock=clock,
    )
    return TikTokAuth(app_key=APP_KEY, app_secret=SecretStr(APP_SECRET), tokens=tokens, clock=clock), store


def _record(expire: int = 1623812664 + 7 * 86400, cipher: str | None = "ROW_cipher") -> TokenRecord:
    return TokenRecord("ROW_access", expire, "ROW_refresh", expire + 365 * 86400, shop_cipher=cipher)


def test_auth_signs_official_vector_by_hand() -> None:
    auth, _ = _auth(_record(), FrozenClock(NOW))
    request = httpx.Request("GET", "https://open-api.example.test/authorization/202309/shops")
    flow = auth.sync_auth_flow(request)
    sent = next(flow)
    assert sent.url.params["sign"] == V1_SIGN
    assert sent.url.params["timestamp"] == "1623812664"
    assert "shop_cipher" not in sent.url.params  # the authorization area refuses it
    assert sent.headers["x-tts-access-token"] == "ROW_access"
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200, json={"code": 0, "message": "Success", "data": {}}))


def test_auth_adds_shop_cipher_and_signs_exact_body() -> None:
    clock = FrozenClock(NOW)
    auth, _ = _auth(_record(), clock)
    body = b'{"order_status":"AWAITING_SHIPMENT"}'
    request = httpx.Request(
        "POST",
        "https://open-api.example.test/order/202309/orders/search",
        params={"page_size": "10", "page_token": "a+b/c=="},
        content=body,
        headers={"content-type": "application/json"},
    )
    sent = next(auth.sync_auth_flow(request))
    params = dict(sent.url.params)
    assert params["shop_cipher"] == "ROW_cipher"
    assert params["page_token"] == "a+b/c=="  # signed decoded, sent encoded
    assert b"a%2Bb%2Fc%3D%3D" in sent.url.raw_path
    unsigned = {k: v for k, v in params.items() if k != "sign"}
    assert params["sign"] == sign_request(APP_SECRET, "/order/202309/orders/search", unsigned, body)
    assert sent.content == body


def test_auth_fresh_timestamp_on_every_attempt() -> None:
    clock = FrozenClock(NOW)
    auth, _ = _auth(_record(), clock)
    request = httpx.Request("GET", "https://open-api.example.test/logistics/202309/warehouses")
    first = next(auth.sync_auth_flow(request))
    first_sign, first_ts = first.url.params["sign"], first.url.params["timestamp"]
    clock.advance(timedelta(seconds=7))
    second = next(auth.sync_auth_flow(first))
    assert int(second.url.params["timestamp"]) == int(first_ts) + 7
    assert second.url.params["sign"] != first_sign
    assert list(second.url.params.keys()).count("sign") == 1


def test_auth_multipart_body_is_not_signed() -> None:
    auth, _ = _auth(_record(), FrozenClock(NOW))
    request = httpx.Request(
        "POST",
        "https://open-api.example.test/product/202309/images/upload",
        content=b"--x\r\nfile\r\n--x--",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    sent = next(auth.sync_auth_flow(request))
    unsigned = {k: v for k, v in sent.url.params.items() if k != "sign"}
    assert sent.url.params["sign"] == sign_request(APP_SECRET, "/product/202309/images/upload", unsigned)


def _token_response(access: str, expire: int, request: httpx.Request) -> httpx.Response:
    data = {
        "access_token": access,
        "access_token_expire_in": expire,
        "refresh_token": "ROW_refresh2",
        "refresh_token_expire_in": expire + 86400 * 365,
    }
    body = {"code": 0, "message": "success", "request_id": "r", "data": data}
    return httpx.Response(200, json=body, request=request)


def test_auth_refreshes_before_expiry() -> None:
    clock = FrozenClock(NOW)
    auth, store = _auth(_record(expire=int(NOW.timestamp()) + 60), clock)
    flow = auth.sync_auth_flow(
        httpx.Request("GET", "https://open-api.example.test/logistics/202309/warehouses")
    )
    refresh = next(flow)
    assert refresh.url.path == "/api/v2/token/refresh"
    assert refresh.url.params["grant_type"] == "refresh_token"
    assert refresh.url.params["refresh_token"] == "ROW_refresh"
    assert "sign" not in refresh.url.params
    sent = flow.send(_token_response("ROW_access2", int(NOW.timestamp()) + 7 * 86400, refresh))
    assert sent.headers["x-tts-access-token"] == "ROW_access2"
    record = store.load()
    assert record is not None and record.access_token == "ROW_access2"
    assert record.shop_cipher == "ROW_cipher"  # the shop binding survives a refresh


def test_auth_refreshes_once_on_105002_and_resends() -> None:
    clock = FrozenClock(NOW)
    auth, _ = _auth(_record(), clock)
    flow = auth.sync_auth_flow(
        httpx.Request("GET", "https://open-api.example.test/logistics/202309/warehouses")
    )
    first = next(flow)
    assert first.headers["x-tts-access-token"] == "ROW_access"
    refresh = flow.send(httpx.Response(200, json={"code": 105002, "message": "Expired credentials"}))
    assert refresh.url.path == "/api/v2/token/refresh"
    clock.advance(timedelta(seconds=2))
    resent = flow.send(_token_response("ROW_access2", int(NOW.timestamp()) + 86400, refresh))
    assert resent.headers["x-tts-access-token"] == "ROW_access2"
    assert resent.url.params["timestamp"] == str(int(NOW.timestamp()) + 2)
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200, json={"code": 105002, "message": "Expired credentials"}))


def test_auth_refused_refresh_raises_auth_expired_with_steps() -> None:
    auth, _ = _auth(_record(expire=int(NOW.timestamp())), FrozenClock(NOW))
    flow = auth.sync_auth_flow(
        httpx.Request("GET", "https://open-api.example.test/logistics/202309/warehouses")
    )
    refresh = next(flow)
    refused = {"code": 36004004, "message": "Invalid refresh token"}
    with pytest.raises(AuthExpiredError) as info:
        flow.send(httpx.Response(200, json=refused, request=refresh))
    assert "Re-authorise" in str(info.value)
    assert info.value.exception_code == "tiktok.auth_expired"


def test_auth_expired_refresh_token_needs_reauthorisation() -> None:
    now = int(NOW.timestamp())
    record = TokenRecord("a", now - 10, "r", now - 1)
    auth, _ = _auth(record, FrozenClock(NOW))
    flow = auth.sync_auth_flow(
        httpx.Request("GET", "https://open-api.example.test/logistics/202309/warehouses")
    )
    with pytest.raises(AuthExpiredError):
        next(flow)


def test_token_record_repr_hides_tokens() -> None:
    record = _record()
    assert "ROW_access" not in repr(record)
    assert "ROW_refresh" not in str(record)
    assert "ROW_access" not in repr(InMemoryTokenStore(record))
