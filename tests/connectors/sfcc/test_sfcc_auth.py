"""SFCC token auth: driven by hand through the generator, then through a MockTransport."""

from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr
from sfcc_helpers import T0

from connectors.engine.clock import FrozenClock
from connectors.sfcc.auth import (
    BM_USER_GRANT,
    AccountManagerAuth,
    BusinessManagerUserAuth,
    SlasPrivateClientAuth,
    SlasTrustedSystemAuth,
    scapi_tenant_scope,
)
from connectors.sfcc.errors import SfccAuthError, SfccUnavailableError

SECRET = "not-a-real-secret"


def am_auth(clock: FrozenClock, scope: str | None = None) -> AccountManagerAuth:
    return AccountManagerAuth(
        account_manager_url="https://am.test",
        client_id="client-a",
        client_secret=SecretStr(SECRET),
        clock=clock,
        scope=scope,
        label="OCAPI client",
    )


def token_response(request: httpx.Request, token: str, expires_in: int = 1799) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": token, "token_type": "Bearer", "expires_in": expires_in}, request=request
    )


def form_of(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def test_account_manager_auth_fetches_token_with_basic_and_tenant_scope() -> None:
    clock = FrozenClock(T0)
    auth = am_auth(clock, scope=scapi_tenant_scope("zzte_053", "sfcc.orders.rw"))
    flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/orders"))
    token_request = next(flow)
    assert token_request.url == "https://am.test/dwsso/oauth2/access_token"
    expected = "Basic " + base64.b64encode(f"client-a:{SECRET}".encode()).decode()
    assert token_request.headers["Authorization"] == expected
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form_of(token_request) == {
        "grant_type": "client_credentials",
        "scope": "SALESFORCE_COMMERCE_API:zzte_053 sfcc.orders.rw",
    }
    api_request = flow.send(token_response(token_request, "tok-1"))
    assert api_request.headers["Authorization"] == "Bearer tok-1"
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200, request=api_request))


def test_token_auth_reuses_token_until_refresh_margin() -> None:
    clock = FrozenClock(T0)
    auth = am_auth(clock)
    flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/a"))
    flow.send(token_response(next(flow), "tok-1"))
    clock.advance(timedelta(seconds=1700))  # 99 s left, above the 60 s margin
    flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/b"))
    assert next(flow).headers["Authorization"] == "Bearer tok-1"
    clock.advance(timedelta(seconds=60))  # 39 s left: refresh first
    flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/c"))
    refresh = next(flow)
    assert refresh.url.path == "/dwsso/oauth2/access_token"
    assert flow.send(token_response(refresh, "tok-2")).headers["Authorization"] == "Bearer tok-2"


def test_token_auth_refreshes_once_on_invalid_access_token_and_resends() -> None:
    clock = FrozenClock(T0)
    auth = am_auth(clock)
    flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/a"))
    first = flow.send(token_response(next(flow), "tok-1"))
    fault = {"_v": "25.6", "fault": {"type": "InvalidAccessTokenException", "message": "invalid"}}
    refresh = flow.send(httpx.Response(401, json=fault, request=first))
    assert refresh.url.path == "/dwsso/oauth2/access_token"
    retried = flow.send(token_response(refresh, "tok-2"))
    assert retried.url.path == "/a"
    assert retried.headers["Authorization"] == "Bearer tok-2"
    with pytest.raises(StopIteration):  # a second 401 is returned to the caller, not looped on
        flow.send(httpx.Response(401, json=fault, request=retried))


def test_token_auth_names_the_credential_and_never_the_secret_when_refused() -> None:
    auth = am_auth(FrozenClock(T0))
    flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/a"))
    token_request = next(flow)
    refused = httpx.Response(
        401,
        json={"error": "invalid_client", "error_description": "Client authentication failed."},
        request=token_request,
    )
    with pytest.raises(SfccAuthError) as info:
        flow.send(refused)
    assert info.value.code == "sfcc.auth_failed"
    assert "OCAPI client 'client-a'" in str(info.value)
    assert SECRET not in str(info.value)
    assert info.value.fault is not None and info.value.fault.type == "invalid_client"


def test_token_auth_maps_token_endpoint_503_to_unavailable() -> None:
    auth = am_auth(FrozenClock(T0))
    flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/a"))
    token_request = next(flow)
    with pytest.raises(SfccUnavailableError):
        flow.send(httpx.Response(503, request=token_request))


def test_business_manager_user_grant_goes_to_the_instance() -> None:
    auth = BusinessManagerUserAuth(
        ocapi_url="https://inst.test",
        client_id="client-a",
        client_secret=SecretStr(SECRET),
        user="bm@example.com",
        password=SecretStr("key-1"),
        clock=FrozenClock(T0),
    )
    request = next(auth.sync_auth_flow(httpx.Request("GET", "https://inst.test/x")))
    assert str(request.url) == "https://inst.test/dw/oauth2/access_token?client_id=client-a"
    decoded = base64.b64decode(request.headers["Authorization"][6:]).decode()
    assert decoded == f"bm@example.com:key-1:{SECRET}"
    assert form_of(request) == {"grant_type": BM_USER_GRANT}


def test_slas_private_client_sends_channel_id() -> None:
    auth = SlasPrivateClientAuth(
        scapi_url="https://scapi.test",
        organization_id="f_ecom_zzte_053",
        client_id="slas-a",
        client_secret=SecretStr(SECRET),
        site_id="RefArch",
        clock=FrozenClock(T0),
    )
    request = next(auth.sync_auth_flow(httpx.Request("GET", "https://scapi.test/x")))
    assert request.url.path == "/shopper/auth/v1/organizations/f_ecom_zzte_053/oauth2/token"
    assert form_of(request) == {"grant_type": "client_credentials", "channel_id": "RefArch"}


def test_slas_trusted_system_sends_the_required_fields() -> None:
    auth = SlasTrustedSystemAuth(
        scapi_url="https://scapi.test",
        organization_id="f_ecom_zzte_053",
        client_id="slas-a",
        client_secret=SecretStr(SECRET),
        site_id="RefArch",
        clock=FrozenClock(T0),
        login_id="guest",
    )
    request = next(auth.sync_auth_flow(httpx.Request("GET", "https://scapi.test/x")))
    assert request.url.path.endswith("/oauth2/trusted-system/token")
    assert form_of(request) == {
        "grant_type": "client_credentials",
        "hint": "ts_ext_on_behalf_of",
        "login_id": "guest",
        "idp_origin": "ecom",
        "channel_id": "RefArch",
        "client_id": "slas-a",
    }


def test_token_auth_through_mock_transport_refreshes_after_expiry() -> None:
    issued: list[str] = []
    clock = FrozenClock(T0)

    def fake(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/dwsso/oauth2/access_token":
            issued.append(f"tok-{len(issued) + 1}")
            return token_response(request, issued[-1], expires_in=600)
        if request.headers["Authorization"] != f"Bearer {issued[-1]}":
            return httpx.Response(
                401, json={"fault": {"type": "InvalidAccessTokenException", "message": "x"}}
            )
        return httpx.Response(200, json={"ok": True})

    with httpx.Client(transport=httpx.MockTransport(fake), auth=am_auth(clock)) as client:
        assert client.get("https://api.test/a").json() == {"ok": True}
        assert client.get("https://api.test/b").json() == {"ok": True}
        assert issued == ["tok-1"]
        clock.advance(timedelta(seconds=590))
        assert client.get("https://api.test/c").status_code == 200
        assert issued == ["tok-1", "tok-2"]
