"""The client's envelope handling and retry policy, over httpx.MockTransport."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from connectors.engine.clock import FrozenClock
from connectors.tiktok import errors
from connectors.tiktok.auth import sign_request
from connectors.tiktok.client import TikTokClient, build_client
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.tokens import InMemoryTokenStore, TokenRecord

SECRET = "mock_secret"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self, clock: FrozenClock) -> None:
        self.sleeps: list[float] = []
        self.clock = clock
        self.t = 0.0

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds
        self.clock.advance(timedelta(seconds=seconds))

    def monotonic(self) -> float:
        return self.t


def envelope(
    code: int = 0,
    data: object = None,
    message: str = "Success",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = {"code": code, "message": message, "request_id": "20260302120000ABC", "data": data}
    return httpx.Response(status, json=body, headers=headers)


def make(
    handler: Handler, *, expire_in: int = 86400, max_attempts: int = 4
) -> tuple[TikTokClient, Recorder, InMemoryTokenStore]:
    clock = FrozenClock(NOW)
    recorder = Recorder(clock)
    now = int(NOW.timestamp())
    store = InMemoryTokenStore(
        TokenRecord("ROW_a1", now + expire_in, "ROW_r1", now + 10**7, shop_cipher="ROW_c")
    )
    settings = TikTokSettings(
        app_key="k",
        app_secret=SecretStr(SECRET),
        api_base_url="https://api.test",
        auth_base_url="https://auth.test",
        max_attempts=max_attempts,
        rate_limit_qps=5,
    )
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = build_client(
        settings, http, store, clock, sleep=recorder.sleep, monotonic=recorder.monotonic, rng=random.Random(1)
    )
    return client, recorder, store


def assert_signed(request: httpx.Request) -> None:
    params = dict(request.url.params)
    sign = params.pop("sign")
    assert sign == sign_request(SECRET, request.url.path, params, request.content)


def test_client_signs_the_exact_bytes_it_sends() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert_signed(request)
        return envelope(data={"orders": [], "next_page_token": "", "total_count": 0})

    client, _, _ = make(handler)
    client.search_orders({"update_time_ge": 1, "order_status": "AWAITING_SHIPMENT", "é": "ü"})
    request = seen[0]
    assert json.loads(request.content) == {"update_time_ge": 1, "order_status": "AWAITING_SHIPMENT", "é": "ü"}
    assert request.url.params["shop_cipher"] == "ROW_c"
    assert request.headers["x-tts-access-token"] == "ROW_a1"


def test_client_retries_429_honouring_retry_after_and_resigns() -> None:
    attempts: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        assert_signed(request)
        if len(attempts) < 3:
            return envelope(36009002, message="Too many requests", status=429, headers={"Retry-After": "7"})
        return envelope(data={"warehouses": [{"id": "1", "is_default": True}]})

    client, recorder, _ = make(handler)
    assert client.get_warehouses()[0].id == "1"
    retry_sleeps = [s for s in recorder.sleeps if s >= 7]
    assert len(retry_sleeps) == 2
    stamps = [r.url.params["timestamp"] for r in attempts]
    assert len(set(stamps)) == 3  # a fresh timestamp and signature per attempt


def test_client_backoff_is_exponential_with_bounded_jitter() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return envelope(36009003, message="Internal error", status=500)

    client, recorder, _ = make(handler, max_attempts=4)
    with pytest.raises(errors.ServerError):
        client.get_warehouses()
    backoffs = [s for s in recorder.sleeps if s >= 1.0]
    assert len(backoffs) == 3
    for n, delay in enumerate(backoffs):
        assert 2**n <= delay <= 2**n + 0.5


def test_client_business_429_code_with_http_200_is_rate_limited() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return envelope(36009002, message="Too many requests") if len(calls) == 1 else envelope(data={})

    client, _, _ = make(handler)
    assert client.get_warehouses() == []
    assert len(calls) == 2


def test_client_does_not_retry_non_idempotent_write_after_5xx() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503, text="overloaded")

    client, _, _ = make(handler)
    with pytest.raises(errors.AmbiguousWriteError) as info:
        client.mark_package_shipped("1", tracking_number="T", shipping_provider_id="P")
    assert len(calls) == 1
    assert info.value.exception_code == "tiktok.unavailable"


def test_client_retries_non_idempotent_write_on_429_and_refused_connection() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(calls) == 2:
            return envelope(36009002, status=429, message="Too many requests")
        return envelope(data={"order_id": "1", "package_id": "9", "order_line_item_ids": ["11"]})

    client, _, _ = make(handler)
    assert client.mark_package_shipped("1", tracking_number="T", shipping_provider_id="P").package_id == "9"
    assert len(calls) == 3


def test_client_read_error_retried_for_reads_ambiguous_for_writes() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) % 2:
            raise httpx.ReadError("reset", request=request)
        return envelope(data={})

    client, _, _ = make(handler)
    assert client.get_warehouses() == []
    with pytest.raises(errors.AmbiguousWriteError):
        client.ship_package("9", tracking_number="T", shipping_provider_id="P")


@pytest.mark.parametrize(
    ("code", "status", "message", "error_type"),
    [
        (106001, 401, "Invalid credentials. The `sign` query parameter is invalid.", errors.SignatureError),
        (106013, 200, "shop_cipher missing", errors.ShopCipherError),
        (
            36009004,
            200,
            "Unexpected identifier. The `shop_cipher` query parameter is not required",
            errors.ShopCipherError,
        ),
        (36009004, 200, "Invalid timestamp", errors.RequestRejectedError),
        (36009004, 200, "Invalid access token header", errors.TikTokAuthError),
        (105005, 200, "Access denied", errors.TikTokAuthError),
        (12052260, 200, "product does not exist", errors.NotFoundError),
        (36009009, 404, "Invalid path", errors.NotFoundError),
        (12052013, 200, "description too long", errors.ValidationError),
    ],
)
def test_client_maps_envelope_to_typed_errors(
    code: int, status: int, message: str, error_type: type[errors.TikTokError]
) -> None:
    client, _, _ = make(lambda request: envelope(code, message=message, status=status))
    with pytest.raises(error_type) as info:
        client.get_warehouses()
    assert type(info.value) is error_type
    assert info.value.code == code and info.value.request_id == "20260302120000ABC"
    assert str(code) in str(info.value) and "/logistics/202309/warehouses" in str(info.value)


def test_client_refreshes_on_105002_then_succeeds() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path == "/api/v2/token/refresh":
            assert request.url.host == "auth.test"
            now = int(NOW.timestamp())
            return envelope(
                data={
                    "access_token": "ROW_a2",
                    "access_token_expire_in": now + 604799,
                    "refresh_token": "ROW_r1",
                    "refresh_token_expire_in": now + 10**7,
                }
            )
        if request.headers["x-tts-access-token"] == "ROW_a1":
            return envelope(105002, message="Expired credentials")
        return envelope(data={"warehouses": []})

    client, _, store = make(handler)
    assert client.get_warehouses() == []
    assert paths == ["/logistics/202309/warehouses", "/api/v2/token/refresh", "/logistics/202309/warehouses"]
    record = store.load()
    assert record is not None and record.access_token == "ROW_a2" and record.shop_cipher == "ROW_c"


def test_client_refreshes_before_expiry_without_a_failed_call() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path == "/api/v2/token/refresh":
            now = int(NOW.timestamp())
            return envelope(
                data={
                    "access_token": "ROW_a2",
                    "access_token_expire_in": now + 604799,
                    "refresh_token": "ROW_r1",
                    "refresh_token_expire_in": now + 10**7,
                }
            )
        assert request.headers["x-tts-access-token"] == "ROW_a2"
        return envelope(data={})

    client, _, _ = make(handler, expire_in=120)  # inside the 300 s margin
    client.get_warehouses()
    assert paths == ["/api/v2/token/refresh", "/logistics/202309/warehouses"]


def test_client_get_orders_batches_ids_by_50() -> None:
    batches: list[list[str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ids = request.url.params["ids"].split(",")
        batches.append(ids)
        return envelope(data={"orders": [{"id": i, "status": "AWAITING_SHIPMENT"} for i in ids]})

    client, _, _ = make(handler)
    orders = client.get_orders([str(n) for n in range(120)])
    assert [len(b) for b in batches] == [50, 50, 20]
    assert len(orders) == 120


def test_client_paces_calls_under_the_rate_limit() -> None:
    client, recorder, _ = make(lambda request: envelope(data={}))
    for _ in range(6):
        client.get_warehouses()
    assert recorder.t == pytest.approx(1.0)  # 6 calls at 5 qps: 5 gaps of 0.2 s


def test_client_unreadable_answer_is_a_server_error() -> None:
    client, _, _ = make(lambda request: httpx.Response(502, text="<html>bad gateway</html>"), max_attempts=2)
    with pytest.raises(errors.ServerError):
        client.get_warehouses()
