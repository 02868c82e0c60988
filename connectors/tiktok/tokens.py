"""TikTok Shop tokens: the record, where it is kept, and the auth-host requests that renew it.

The auth host (``/api/v2/token/get`` and ``/api/v2/token/refresh``) is not signed: the app secret
travels in the query. `TokenManager` builds those requests and reads their answers but sends nothing
itself; `TikTokAuth` yields its requests, and `exchange_code` sends one through a caller's client.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Protocol

import httpx
from pydantic import SecretStr
from pydantic import ValidationError as PydanticValidationError

from connectors.engine.clock import Clock
from connectors.tiktok.errors import (
    CODE_OK,
    AuthExpiredError,
    ServerError,
    TikTokError,
    error_from_envelope,
)
from connectors.tiktok.schemas import Envelope, TokenData

TOKEN_GET_PATH = "/api/v2/token/get"  # noqa: S105 (a path)
TOKEN_REFRESH_PATH = "/api/v2/token/refresh"  # noqa: S105 (a path)
# The grant type is spelled this way on the wire (not "authorization_code").
GRANT_AUTH_CODE = "authorized_code"
GRANT_REFRESH = "refresh_token"


@dataclass(frozen=True)
class TokenRecord:
    """What Shopwright keeps per TikTok connection. Expiries are absolute Unix seconds."""

    access_token: str
    access_token_expire_in: int
    refresh_token: str
    refresh_token_expire_in: int
    shop_cipher: str | None = None
    shop_id: str | None = None
    open_id: str = ""
    seller_name: str = ""

    def __repr__(self) -> str:
        # Tokens are secrets: never let them reach a log line or a traceback.
        return (
            f"TokenRecord(access_token='***', access_token_expire_in={self.access_token_expire_in}, "
            f"refresh_token='***', refresh_token_expire_in={self.refresh_token_expire_in}, "
            f"shop_cipher={self.shop_cipher!r}, shop_id={self.shop_id!r})"
        )

    __str__ = __repr__

    def with_shop(self, shop_id: str, shop_cipher: str) -> TokenRecord:
        """The same tokens bound to a shop (after the authorized-shops call)."""
        return replace(self, shop_id=shop_id, shop_cipher=shop_cipher)


@dataclass(frozen=True)
class TokenRenewal:
    """One refresh under way: the newest record the store knows, and where its successor goes."""

    latest: TokenRecord | None
    save: Callable[[TokenRecord], None]


class TokenStore(Protocol):
    """Persistence for one connection's token record (the store-backed one lives with the store)."""

    def load(self) -> TokenRecord | None:
        """The current record; it may come from a short-lived cache."""
        ...

    def save(self, record: TokenRecord) -> None: ...

    def renewal(self) -> AbstractContextManager[TokenRenewal]:
        """Take the right to refresh (other refreshers wait) and read the newest record afresh."""
        ...


class InMemoryTokenStore:
    """A thread-safe TokenStore for tests, the demo and one-off scripts."""

    def __init__(self, record: TokenRecord | None = None) -> None:
        self._record = record
        self._lock = threading.Lock()
        self._renewing = threading.RLock()
        self.saves = 0

    def load(self) -> TokenRecord | None:
        with self._lock:
            return self._record

    def save(self, record: TokenRecord) -> None:
        with self._lock:
            self._record = record
            self.saves += 1

    @contextmanager
    def renewal(self) -> Iterator[TokenRenewal]:
        with self._renewing:
            yield TokenRenewal(self.load(), self.save)

    def __repr__(self) -> str:
        return f"InMemoryTokenStore(record={self._record!r})"


class TokenManager:
    """Decides when to refresh and turns auth-host answers into saved token records.

    ``refresh_margin`` seconds before ``access_token_expire_in`` the token counts as expired, so a
    call never leaves with a token that dies in flight.
    """

    def __init__(
        self,
        *,
        app_key: str,
        app_secret: SecretStr,
        auth_base_url: str,
        store: TokenStore,
        clock: Clock,
        refresh_margin: int = 300,
    ) -> None:
        self.app_key = app_key
        self._app_secret = app_secret
        self.auth_base_url = auth_base_url.rstrip("/")
        self.store = store
        self.clock = clock
        self.refresh_margin = refresh_margin

    def __repr__(self) -> str:
        return f"TokenManager(app_key={self.app_key!r}, auth_base_url={self.auth_base_url!r})"

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    def current(self) -> TokenRecord:
        """The saved record, or AuthExpiredError when the connection was never authorised."""
        record = self.store.load()
        if record is None:
            raise AuthExpiredError("This TikTok Shop connection has no tokens yet.")
        return record

    def needs_refresh(self, record: TokenRecord) -> bool:
        """True when the access token is expired or about to be."""
        return self.now() >= record.access_token_expire_in - self.refresh_margin

    def exchange_request(self, auth_code: str) -> httpx.Request:
        """GET /api/v2/token/get for a seller's authorisation code."""
        return self._auth_request(TOKEN_GET_PATH, {"auth_code": auth_code, "grant_type": GRANT_AUTH_CODE})

    def refresh_request(self, record: TokenRecord) -> httpx.Request:
        """GET /api/v2/token/refresh; raises AuthExpiredError if the refresh token is already dead."""
        if self.now() >= record.refresh_token_expire_in:
            raise AuthExpiredError("The TikTok Shop refresh token has expired.")
        params = {"refresh_token": record.refresh_token, "grant_type": GRANT_REFRESH}
        return self._auth_request(TOKEN_REFRESH_PATH, params)

    def _auth_request(self, path: str, params: dict[str, str]) -> httpx.Request:
        query = {"app_key": self.app_key, "app_secret": self._app_secret.get_secret_value(), **params}
        return httpx.Request("GET", f"{self.auth_base_url}{path}", params=query)

    def refresh(self, stale: TokenRecord) -> Generator[httpx.Request, httpx.Response, TokenRecord]:
        """Renew ``stale`` (expiring, or just refused with 105002), yielding the auth-host request.

        Under the store's renewal (on PostgreSQL a row lock: daemons take turns) the newest record
        is read afresh. When another process already renewed it, that record is used and nothing is
        sent; otherwise its refresh token, the newest one, is spent and the answer saved before the
        renewal ends. The refresh answer carries a refresh token, and the reference does not say
        whether the previous one keeps working, so a refresh token is never spent twice on purpose.
        """
        with self.store.renewal() as renewal:
            latest = renewal.latest or stale
            if latest.access_token != stale.access_token and not self.needs_refresh(latest):
                return latest
            response = yield self.refresh_request(latest)
            record = self.record_from(response, latest)
            renewal.save(record)
            return record

    def record_from(self, response: httpx.Response, previous: TokenRecord | None) -> TokenRecord:
        """Parse a token answer into a record that keeps the shop binding of ``previous``."""
        data = _token_data(response)
        return TokenRecord(
            access_token=data.access_token,
            access_token_expire_in=data.access_token_expire_in,
            refresh_token=data.refresh_token,
            refresh_token_expire_in=data.refresh_token_expire_in,
            shop_cipher=previous.shop_cipher if previous else None,
            shop_id=previous.shop_id if previous else None,
            open_id=data.open_id,
            seller_name=data.seller_name,
        )

    def apply_response(self, response: httpx.Response, previous: TokenRecord | None) -> TokenRecord:
        """Parse a token answer, keep the shop binding of ``previous``, save and return the record."""
        record = self.record_from(response, previous)
        self.store.save(record)
        return record

    def exchange_code(self, http: httpx.Client, auth_code: str) -> TokenRecord:
        """Exchange a seller's authorisation code for tokens and save them."""
        response = http.send(self.exchange_request(auth_code))
        response.read()
        return self.apply_response(response, self.store.load())


def _token_data(response: httpx.Response) -> TokenData:
    path = response.request.url.path
    if response.status_code >= 500:
        raise ServerError(f"auth host answered HTTP {response.status_code}", http_status=500, path=path)
    try:
        envelope = Envelope.model_validate(json.loads(response.content))
    except (ValueError, PydanticValidationError) as exc:
        raise ServerError(f"auth host sent an unreadable answer: {exc}", path=path) from exc
    if envelope.code != CODE_OK:
        error: TikTokError = error_from_envelope(
            envelope.code,
            envelope.message,
            request_id=envelope.request_id,
            http_status=response.status_code,
            path=path,
        )
        if error.retryable:
            raise error
        # Any refusal of a code or refresh token means the seller has to authorise again.
        raise AuthExpiredError(
            f"TikTok refused to issue tokens (code {envelope.code}: {envelope.message}).",
            code=envelope.code,
            request_id=envelope.request_id,
            path=path,
        )
    try:
        return TokenData.model_validate(envelope.data)
    except PydanticValidationError as exc:
        raise ServerError(
            f"auth host sent incomplete token data: {exc.error_count()} errors", path=path
        ) from exc
