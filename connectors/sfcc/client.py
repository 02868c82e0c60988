"""SFCC HTTP client: URL shapes per API family, token auth per family, retries in one place."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from connectors.engine.clock import Clock
from connectors.sfcc import jsonwire
from connectors.sfcc.auth import (
    AccountManagerAuth,
    BusinessManagerUserAuth,
    SlasTrustedSystemAuth,
    TokenAuth,
    scapi_tenant_scope,
)
from connectors.sfcc.errors import SfccAuthError, SfccError, SfccUnavailableError, error_from_response
from connectors.sfcc.retry import RetryPolicy
from connectors.sfcc.settings import SfccSettings

log = logging.getLogger(__name__)

AuthKind = Literal["ocapi", "scapi_admin", "scapi_tsob"]

#: Scopes the SCAPI Admin token asks for, next to the tenant scope: only what the connector uses
#: (order lookups for createOrders), since a server may refuse a token asking for more.
SCAPI_ADMIN_SCOPES = ("sfcc.orders.rw",)


@dataclass
class CallStats:
    """What the client sent, for benchmarks and the run log."""

    requests: int = 0
    retries: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


class SfccClient:
    """Talks to one SFCC connection through an `httpx.Client` owned by the caller."""

    def __init__(
        self,
        http: httpx.Client,
        settings: SfccSettings,
        *,
        clock: Clock,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        auths: Mapping[AuthKind, httpx.Auth] | None = None,
    ) -> None:
        self.http = http
        self.settings = settings
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._auths: dict[AuthKind, httpx.Auth] = dict(auths or {})
        self._shopper_auths: dict[str, httpx.Auth] = {}
        self.stats = CallStats()

    # --- URLs -------------------------------------------------------------------------------
    def shop_url(self, path: str) -> str:
        """OCAPI Shop API URL of the configured site."""
        s = self.settings
        return f"{s.ocapi_url}/s/{s.site_id}/dw/shop/{s.ocapi_url_version}{path}"

    def data_url(self, path: str) -> str:
        """OCAPI Data API URL in the organization context (/s/-/)."""
        s = self.settings
        return f"{s.ocapi_url}/s/-/dw/data/{s.ocapi_url_version}{path}"

    def scapi_url(self, family: str, path: str) -> str:
        """SCAPI URL, e.g. family `checkout/orders/v1`, path `/orders`."""
        s = self.settings
        return f"{s.scapi_base_url}/{family}/organizations/{s.organization_id}{path}"

    # --- auth -------------------------------------------------------------------------------
    def auth(self, kind: AuthKind) -> httpx.Auth:
        """The token auth for an API family, built once from the settings."""
        if kind not in self._auths:
            self._auths[kind] = self._build_auth(kind)
        return self._auths[kind]

    def shopper_auth(self, login_id: str) -> httpx.Auth:
        """A trusted-system-on-behalf token auth for one shopper login (SLAS names shoppers by login)."""
        if login_id not in self._shopper_auths:
            self._shopper_auths[login_id] = self._build_auth("scapi_tsob", login_id=login_id)
        return self._shopper_auths[login_id]

    def _build_auth(self, kind: AuthKind, login_id: str = "guest") -> TokenAuth:
        s = self.settings
        if kind == "ocapi":
            if s.ocapi_auth == "business_manager_user":
                if not s.business_manager_user or s.business_manager_password is None:
                    raise SfccAuthError(
                        "OCAPI is set to the Business Manager user grant but the Business Manager "
                        "user name or password is empty. Set both in the SFCC connection settings."
                    )
                return BusinessManagerUserAuth(
                    ocapi_url=s.ocapi_url,
                    client_id=s.ocapi_client_id,
                    client_secret=s.ocapi_client_password,
                    user=s.business_manager_user,
                    password=s.business_manager_password,
                    clock=self.clock,
                )
            return AccountManagerAuth(
                account_manager_url=s.account_manager_url,
                client_id=s.ocapi_client_id,
                client_secret=s.ocapi_client_password,
                clock=self.clock,
                label="OCAPI client",
            )
        if kind == "scapi_admin":
            if not s.b2c_api_client_id or s.b2c_api_client_password is None:
                raise SfccAuthError(
                    "The SCAPI Admin APIs need the B2C API client id and password, which are empty. "
                    "Set them in the SFCC connection settings."
                )
            return AccountManagerAuth(
                account_manager_url=s.account_manager_url,
                client_id=s.b2c_api_client_id,
                client_secret=s.b2c_api_client_password,
                clock=self.clock,
                scope=scapi_tenant_scope(s.tenant_id, *SCAPI_ADMIN_SCOPES),
                label="B2C API client",
            )
        if not s.b2c_shop_api_client_id or s.b2c_shop_api_client_password is None:
            raise SfccAuthError(
                "SCAPI createOrders needs the B2C Shop API client id and password, which are empty. "
                "Set them in the SFCC connection settings, or push with the OCAPI basket flow."
            )
        return SlasTrustedSystemAuth(
            scapi_url=s.scapi_base_url,
            organization_id=s.organization_id,
            client_id=s.b2c_shop_api_client_id,
            client_secret=s.b2c_shop_api_client_password,
            site_id=s.site_id,
            clock=self.clock,
            login_id=login_id,
        )

    # --- requests ---------------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        auth: AuthKind,
        what: str,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        expect: frozenset[int] = frozenset(),
        shopper: str | None = None,
    ) -> httpx.Response:
        """Send one call with retries; raise a typed `SfccError` unless 2xx or in `expect`.

        `what` names the action and entity for error messages, e.g. "the basket of order TT123".
        `shopper` is the login a `scapi_tsob` call acts for (default: a guest).
        """
        attempt = 0
        while True:
            attempt += 1
            self.stats.requests += 1
            try:
                chosen = self.shopper_auth(shopper) if shopper else self.auth(auth)
                response = self._send(method, url, chosen, json, params)
            except httpx.TransportError as exc:
                if self.retry.should_retry_error(method, exc, attempt):
                    self._backoff(attempt, None)
                    continue
                raise SfccUnavailableError(
                    f"SFCC could not be reached for {what} ({type(exc).__name__}); retried {attempt} times."
                ) from exc
            except SfccUnavailableError as exc:
                # The token endpoint itself was rate limited or in maintenance.
                if attempt < self.retry.max_attempts:
                    self._backoff(attempt, exc.retry_after)
                    continue
                raise
            status = response.status_code
            self.stats.by_status[status] = self.stats.by_status.get(status, 0) + 1
            if status < 300 or status in expect:
                return response
            if self.retry.should_retry_status(method, status, attempt):
                log.info("SFCC answered %s to %s %s; retrying (attempt %s)", status, method, what, attempt)
                self._backoff(attempt, response.headers.get("Retry-After"))
                continue
            raise error_from_response(response, what)

    def _send(
        self, method: str, url: str, auth: httpx.Auth, body: Any, params: Mapping[str, Any] | None
    ) -> httpx.Response:
        headers = {"Accept": "application/json"}
        content: str | None = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            content = jsonwire.dumps(body)
        return self.http.request(method, url, content=content, params=params, headers=headers, auth=auth)

    def _backoff(self, attempt: int, retry_after: str | None) -> None:
        self.stats.retries += 1
        self._sleep(self.retry.delay(attempt, retry_after))

    def request_json(self, method: str, url: str, *, auth: AuthKind, what: str, **kw: Any) -> Any:
        """`request` and parse the body, reading numbers with decimals as Decimal."""
        response = self.request(method, url, auth=auth, what=what, **kw)
        if not response.content:
            return None
        return jsonwire.loads(response.content)


def is_fault(error: SfccError, *types: str) -> bool:
    """Whether `error` carries one of the given fault types."""
    return error.fault is not None and error.fault.type in types
