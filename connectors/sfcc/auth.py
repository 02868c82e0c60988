"""Token auth for SFCC as `httpx.Auth` generators: no I/O besides the requests they yield.

Four grants, one refresh rule: fetch a token when there is none or it expires within the margin,
and fetch a fresh one once when the API answers 401 (OCAPI `InvalidAccessTokenException`, SCAPI
`invalid-access-token`), then re-send the original request. Tokens and secrets are never logged
or put in an error message.
"""

from __future__ import annotations

import base64
from abc import ABC, abstractmethod
from collections.abc import Generator
from datetime import datetime, timedelta
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr

from connectors.engine.clock import Clock
from connectors.sfcc.errors import SfccAuthError, SfccUnavailableError, parse_fault, raw_document

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BM_USER_GRANT = "urn:demandware:params:oauth:grant-type:client-id:dwsid:dwsecuretoken"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


class TokenAuth(httpx.Auth, ABC):
    """Bearer-token auth that refreshes before expiry and once on a 401."""

    requires_response_body = True
    #: the setting a person must fix when this grant fails, e.g. "OCAPI client 'abc'".
    credential = "SFCC credential"

    def __init__(self, clock: Clock, refresh_margin: timedelta = timedelta(seconds=60)) -> None:
        self._clock = clock
        self._margin = refresh_margin
        self._token: str | None = None
        self._expires_at: datetime | None = None

    @abstractmethod
    def build_token_request(self) -> httpx.Request:
        """The request that fetches a new token; each grant defines its own."""

    def invalidate(self) -> None:
        """Forget the token so the next request fetches a new one."""
        self._token = None
        self._expires_at = None

    @property
    def expires_at(self) -> datetime | None:
        """When the current token expires, if there is one."""
        return self._expires_at

    def _needs_refresh(self) -> bool:
        if self._token is None or self._expires_at is None:
            return True
        return self._clock.now() >= self._expires_at - self._margin

    def _refresh(self) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield self.build_token_request()
        if response.status_code != 200:
            fault = parse_fault(response)
            detail = f"{fault.type}: {fault.message}" if fault else f"HTTP {response.status_code}"
            cls = SfccUnavailableError if response.status_code in (429, 503, 504) else SfccAuthError
            raise cls(
                f"SFCC refused the token request of the {self.credential} ({detail}). "
                f"Check that credential in the SFCC connection settings.",
                fault=fault,
                status_code=response.status_code,
                raw=raw_document(response),
                retry_after=response.headers.get("Retry-After"),
            )
        doc = response.json()
        token = doc.get("access_token") if isinstance(doc, dict) else None
        if not isinstance(token, str) or not token:
            raise SfccAuthError(f"The token response for the {self.credential} had no access_token.")
        # Account Manager tokens last about 30 minutes; SLAS says 30 (15 for agents). Trust expires_in.
        lifetime = int(doc.get("expires_in") or 1799)
        self._token = token
        self._expires_at = self._clock.now() + timedelta(seconds=lifetime)
        # A margin larger than a tenth of the lifetime would refresh on every call for short tokens.
        self._margin = min(self._margin, timedelta(seconds=lifetime / 10))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach a valid token; refresh once and re-send when the API answers 401."""
        if self._needs_refresh():
            yield from self._refresh()
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == 401:
            yield from self._refresh()
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request


class AccountManagerAuth(TokenAuth):
    """Account Manager client credentials (`/dwsso/oauth2/access_token`, HTTP Basic).

    Used for OCAPI (no scope) and for the SCAPI Admin APIs (scope `SALESFORCE_COMMERCE_API:{tenant}`
    plus the API scopes).
    """

    def __init__(
        self,
        *,
        account_manager_url: str,
        client_id: str,
        client_secret: SecretStr,
        clock: Clock,
        scope: str | None = None,
        label: str = "API client",
    ) -> None:
        super().__init__(clock)
        self._url = account_manager_url.rstrip("/") + "/dwsso/oauth2/access_token"
        self._client_id = client_id
        self._secret = client_secret
        self._scope = scope
        self.credential = f"{label} '{client_id}'"

    def build_token_request(self) -> httpx.Request:
        """POST grant_type=client_credentials with the client id and password as Basic auth."""
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        headers = {**_FORM, "Authorization": _basic(self._client_id, self._secret.get_secret_value())}
        return httpx.Request("POST", self._url, headers=headers, content=urlencode(form))


def scapi_tenant_scope(tenant_id: str, *scopes: str) -> str:
    """The SCAPI Admin scope string: tenant scope first, then the API scopes."""
    return " ".join([f"SALESFORCE_COMMERCE_API:{tenant_id}", *scopes])


class BusinessManagerUserAuth(TokenAuth):
    """OCAPI Business Manager user grant, sent to the instance itself, not to Account Manager."""

    def __init__(
        self,
        *,
        ocapi_url: str,
        client_id: str,
        client_secret: SecretStr,
        user: str,
        password: SecretStr,
        clock: Clock,
    ) -> None:
        super().__init__(clock)
        self._url = ocapi_url.rstrip("/") + "/dw/oauth2/access_token"
        self._client_id = client_id
        self._secret = client_secret
        self._user = user
        self._password = password
        self.credential = f"Business Manager user '{user}' (with OCAPI client '{client_id}')"

    def build_token_request(self) -> httpx.Request:
        """Basic auth of `user:password_or_access_key:client_secret`, client id in the query."""
        secret = f"{self._password.get_secret_value()}:{self._secret.get_secret_value()}"
        headers = {**_FORM, "Authorization": _basic(self._user, secret)}
        return httpx.Request(
            "POST",
            self._url,
            params={"client_id": self._client_id},
            headers=headers,
            content=urlencode({"grant_type": BM_USER_GRANT}),
        )


class _SlasAuth(TokenAuth):
    def __init__(
        self,
        *,
        scapi_url: str,
        organization_id: str,
        client_id: str,
        client_secret: SecretStr,
        site_id: str,
        clock: Clock,
    ) -> None:
        super().__init__(clock)
        self._base = f"{scapi_url.rstrip('/')}/shopper/auth/v1/organizations/{organization_id}/oauth2"
        self._client_id = client_id
        self._secret = client_secret
        self._site_id = site_id
        self.credential = f"B2C Shop API client '{client_id}'"

    def _post(self, path: str, form: dict[str, str]) -> httpx.Request:
        headers = {**_FORM, "Authorization": _basic(self._client_id, self._secret.get_secret_value())}
        return httpx.Request("POST", self._base + path, headers=headers, content=urlencode(form))


class SlasPrivateClientAuth(_SlasAuth):
    """SLAS guest token for a private client: client credentials plus the site as channel_id."""

    def build_token_request(self) -> httpx.Request:
        """POST /oauth2/token with grant_type=client_credentials and channel_id (required since 2024)."""
        return self._post("/token", {"grant_type": "client_credentials", "channel_id": self._site_id})


class SlasTrustedSystemAuth(_SlasAuth):
    """SLAS trusted-system-on-behalf token (scope `sfcc.ts_ext_on_behalf_of` on the client).

    The shopper is named by login id; `guest` gives a guest token.
    """

    def __init__(
        self,
        *,
        scapi_url: str,
        organization_id: str,
        client_id: str,
        client_secret: SecretStr,
        site_id: str,
        clock: Clock,
        login_id: str = "guest",
    ) -> None:
        super().__init__(
            scapi_url=scapi_url,
            organization_id=organization_id,
            client_id=client_id,
            client_secret=client_secret,
            site_id=site_id,
            clock=clock,
        )
        self._login_id = login_id

    def build_token_request(self) -> httpx.Request:
        """POST /oauth2/trusted-system/token with the six required fields.

        UNCERTAIN in the reference: the grant_type value; client_credentials is the likely one.
        """
        form = {
            "grant_type": "client_credentials",
            "hint": "ts_ext_on_behalf_of",
            "login_id": self._login_id,
            "idp_origin": "ecom",
            "channel_id": self._site_id,
            "client_id": self._client_id,
        }
        return self._post("/trusted-system/token", form)
