"""Fault parsing into typed errors, and the client's one retry policy (no real sleeping)."""

from __future__ import annotations

import random
from collections.abc import Callable

import httpx
import pytest
from sfcc_helpers import T0, make_settings

from connectors.engine.clock import FrozenClock
from connectors.sfcc.client import SfccClient
from connectors.sfcc.errors import (
    SfccAuthError,
    SfccCustomerMissingError,
    SfccError,
    SfccInvalidShippingMethodError,
    SfccPermissionError,
    SfccProductUnavailableError,
    SfccUnavailableError,
    error_from_response,
    parse_fault,
)
from connectors.sfcc.retry import RetryPolicy


def ocapi(status: int, fault_type: str, **args: object) -> httpx.Response:
    doc = {
        "_v": "25.6",
        "fault": {"type": fault_type, "message": f"{fault_type} happened", "arguments": args},
    }
    return httpx.Response(status, json=doc)


def test_parse_fault_reads_ocapi_fault_document() -> None:
    fault = parse_fault(ocapi(400, "InvalidShippingMethodIdException", shippingMethodId="EXP"))
    assert fault is not None
    assert (fault.type, fault.source, fault.arguments) == (
        "InvalidShippingMethodIdException",
        "ocapi",
        {"shippingMethodId": "EXP"},
    )


def test_parse_fault_flattens_type_value_arguments() -> None:
    doc = {
        "fault": {"type": "X", "message": "m", "arguments": {"method": {"type": "string", "value": "GET"}}}
    }
    fault = parse_fault(httpx.Response(403, json=doc))
    assert fault is not None and fault.arguments == {"method": "GET"}


def test_parse_fault_reads_scapi_problem_json_slug() -> None:
    doc = {
        "type": "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/order-not-found",
        "title": "Order Not Found",
        "detail": "No order with number '1' exists.",
    }
    fault = parse_fault(httpx.Response(404, json=doc, headers={"content-type": "application/problem+json"}))
    assert fault is not None
    assert (fault.type, fault.message, fault.source) == (
        "order-not-found",
        "No order with number '1' exists.",
        "scapi",
    )


def test_parse_fault_reads_slas_oauth_error() -> None:
    fault = parse_fault(
        httpx.Response(
            401, json={"error": "invalid_client", "error_description": "Basic Authorization failed."}
        )
    )
    assert fault is not None and (fault.type, fault.source) == ("invalid_client", "slas")


def test_parse_fault_returns_none_for_non_json() -> None:
    assert parse_fault(httpx.Response(502, text="<html>bad gateway</html>")) is None


@pytest.mark.parametrize(
    ("response", "cls", "code"),
    [
        (
            ocapi(400, "MissingShippingMethodIdException"),
            SfccInvalidShippingMethodError,
            "sfcc.invalid_shipping_method",
        ),
        (ocapi(404, "CustomerNotFoundException"), SfccCustomerMissingError, "sfcc.customer_missing"),
        (
            ocapi(400, "ProductItemNotAvailableException"),
            SfccProductUnavailableError,
            "sfcc.product_unavailable",
        ),
        (ocapi(401, "InvalidAccessTokenException"), SfccAuthError, "sfcc.auth_failed"),
        (
            ocapi(403, "ClientAccessForbiddenException", method="GET", path="/x"),
            SfccPermissionError,
            "sfcc.permission_denied",
        ),
        (
            httpx.Response(503, headers={"sfdc_maintenance": "system"}),
            SfccUnavailableError,
            "sfcc.unavailable",
        ),
        (ocapi(400, "BodyDecodingException"), SfccError, "sfcc.request_rejected"),
    ],
)
def test_error_from_response_picks_class_and_code(
    response: httpx.Response, cls: type[SfccError], code: str
) -> None:
    error = error_from_response(response, "order TT1")
    assert type(error) is cls
    assert error.code == code
    assert error.status_code == response.status_code
    assert "order TT1" in error.message


def test_error_from_response_redacts_echoed_access_token() -> None:
    error = error_from_response(ocapi(401, "InvalidAccessTokenException", accessToken="abc.def"), "x")
    assert "abc.def" not in repr(error.raw)
    assert error.fault is not None and error.fault.arguments["accessToken"] == "[redacted]"


def _client(
    handler: Callable[[httpx.Request], httpx.Response], sleeps: list[float], attempts: int = 4
) -> SfccClient:
    def routed(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/dwsso/oauth2/access_token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 1799})
        return handler(request)

    http = httpx.Client(transport=httpx.MockTransport(routed))
    retry = RetryPolicy(max_attempts=attempts, base_delay=1.0, rng=random.Random(7))
    return SfccClient(http, make_settings(), clock=FrozenClock(T0), retry=retry, sleep=sleeps.append)


def test_client_retries_429_with_retry_after_then_succeeds() -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, json={"ok": 1})]
    sleeps: list[float] = []
    client = _client(lambda r: answers.pop(0), sleeps)
    assert client.request_json("POST", client.shop_url("/baskets"), auth="ocapi", what="x") == {"ok": 1}
    assert sleeps == [3.0]
    assert client.stats.retries == 1


def test_client_retries_maintenance_503_with_bounded_jittered_backoff() -> None:
    sleeps: list[float] = []
    client = _client(lambda r: httpx.Response(503, headers={"sfdc_maintenance": "site"}), sleeps, attempts=4)
    with pytest.raises(SfccUnavailableError) as info:
        client.request("GET", client.shop_url("/orders/TT1"), auth="ocapi", what="the lookup of order TT1")
    assert info.value.code == "sfcc.unavailable"
    assert len(sleeps) == 3
    for attempt, slept in enumerate(sleeps, start=1):
        assert 0 <= slept <= 2 ** (attempt - 1)


def test_client_does_not_retry_non_idempotent_post_on_502() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(502)

    client = _client(handler, [])
    with pytest.raises(SfccError):
        client.request("POST", client.shop_url("/baskets/b/items"), auth="ocapi", what="x", json=[])
    assert calls == ["POST"]


def test_client_retries_connect_errors_but_gives_up_with_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    sleeps: list[float] = []
    client = _client(handler, sleeps, attempts=3)
    with pytest.raises(SfccUnavailableError, match="could not be reached"):
        client.request("GET", client.shop_url("/orders/1"), auth="ocapi", what="x")
    assert len(sleeps) == 2


def test_client_sends_decimal_amounts_exactly() -> None:
    from decimal import Decimal

    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(200, json={})

    client = _client(handler, [])
    client.request(
        "POST",
        client.shop_url("/baskets/b/payment_instruments"),
        auth="ocapi",
        what="x",
        json={"amount": Decimal("0.10") + Decimal("0.20"), "payment_method_id": "TTS"},
    )
    assert seen == [b'{"amount":0.30,"payment_method_id":"TTS"}']


def test_retry_policy_honours_retry_after_cap() -> None:
    policy = RetryPolicy(max_delay=10)
    assert policy.delay(1, "120") == 10
    assert 0 <= policy.delay(1, "Wed, 21 Oct 2015 07:28:00 GMT") <= policy.base_delay
