"""TikTok Shop request signing, webhook verification, and the `httpx.Auth` that applies both.

Signing (reference section 2): every query parameter except ``sign`` and ``access_token``, sorted by
key byte-wise, concatenated as key+value after the path; the raw body appended unless the request is
multipart; the whole wrapped in the app secret on both sides; lowercase hex HMAC-SHA256 keyed with
the app secret. Values are signed decoded, exactly as the server sees them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Generator, Mapping

import httpx
from pydantic import SecretStr

from connectors.engine.clock import Clock
from connectors.tiktok.errors import CODE_TOKEN_EXPIRED
from connectors.tiktok.tokens import TokenManager, TokenRecord

ACCESS_TOKEN_HEADER = "x-tts-access-token"  # noqa: S105 (a header name)
_UNSIGNED_PARAMS = frozenset({"sign", "access_token", ACCESS_TOKEN_HEADER})
# Paths that refuse shop_cipher (36009004 "Unexpected identifier") per the reference, section 2.
_NO_CIPHER_PATHS = (
    re.compile(r"^/authorization/"),
    re.compile(r"^/seller/"),
    re.compile(r"^/product/\d+/images/upload$"),
    re.compile(r"^/product/\d+/files/upload$"),
    re.compile(r"^/product/\d+/global_products"),
    re.compile(r"^/product/\d+/compliance"),
)
_BRANDS_PATH = re.compile(r"^/product/\d+/brands$")


def sign_request(app_secret: str, path: str, query: Mapping[str, str], body: bytes = b"") -> str:
    """Return the ``sign`` value for a request.

    ``query`` holds decoded values (array values already comma-joined); ``body`` is the exact bytes
    sent, or empty for GET and multipart requests (the caller leaves multipart bodies out).
    """
    parts = [path]
    for key in sorted(k for k in query if k not in _UNSIGNED_PARAMS):
        parts.append(f"{key}{query[key]}")
    message = app_secret.encode() + "".join(parts).encode() + body + app_secret.encode()
    return hmac.new(app_secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature(app_key: str, app_secret: str, raw_body: bytes) -> str:
    """The ``Authorization`` header TikTok sends with a webhook: hex HMAC-SHA256(secret, key + body)."""
    return hmac.new(app_secret.encode(), app_key.encode() + raw_body, hashlib.sha256).hexdigest()


def verify_webhook_signature(app_key: str, app_secret: str, raw_body: bytes, signature: str) -> bool:
    """True when ``signature`` matches the raw webhook body; compared in constant time."""
    expected = webhook_signature(app_key, app_secret, raw_body)
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())


def takes_shop_cipher(method: str, path: str) -> bool:
    """Whether an Open API endpoint takes ``shop_cipher`` (it must be omitted where it does not)."""
    if any(pattern.match(path) for pattern in _NO_CIPHER_PATHS):
        return False
    return not (method.upper() == "POST" and _BRANDS_PATH.match(path))


def is_multipart(content_type: str | None) -> bool:
    """Compare only the media type: the header carries a ``boundary=`` parameter."""
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() == "multipart/form-data"


def _response_code(response: httpx.Response) -> int | None:
    try:
        payload = json.loads(response.content)
    except ValueError:
        return None
    code = payload.get("code") if isinstance(payload, dict) else None
    return code if isinstance(code, int) else None


class TikTokAuth(httpx.Auth):
    """Signs Open API requests and keeps the access token fresh.

    On every attempt it sets ``app_key``, a fresh ``timestamp`` from the injected clock,
    ``shop_cipher`` where the endpoint takes it, ``sign`` and the ``x-tts-access-token`` header.
    Before sending it refreshes a token that is about to expire; after a 105002 answer it refreshes
    once and re-sends, re-signed. It only yields requests: the client that runs it does the I/O.
    A request that already carries ``shop_cipher`` keeps it (cross-border sellers with many shops).
    """

    requires_request_body = True
    requires_response_body = True

    def __init__(self, *, app_key: str, app_secret: SecretStr, tokens: TokenManager, clock: Clock) -> None:
        self.app_key = app_key
        self._app_secret = app_secret
        self.tokens = tokens
        self.clock = clock

    def __repr__(self) -> str:
        return f"TikTokAuth(app_key={self.app_key!r})"

    def sign(self, request: httpx.Request, record: TokenRecord) -> None:
        """Set the auth query parameters and header on ``request`` in place, for this attempt."""
        params = request.url.params
        for stale in ("sign", "timestamp", "app_key", "access_token"):
            params = params.remove(stale)
        params = params.set("app_key", self.app_key)
        params = params.set("timestamp", str(int(self.clock.now().timestamp())))
        if takes_shop_cipher(request.method, request.url.path):
            if "shop_cipher" not in params and record.shop_cipher:
                params = params.set("shop_cipher", record.shop_cipher)
        else:
            params = params.remove("shop_cipher")
        body = b"" if is_multipart(request.headers.get("content-type")) else request.content
        query = {key: params[key] for key in params}
        params = params.set(
            "sign", sign_request(self._app_secret.get_secret_value(), request.url.path, query, body)
        )
        request.url = request.url.copy_with(params=params)
        request.headers[ACCESS_TOKEN_HEADER] = record.access_token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        record = self.tokens.current()
        if self.tokens.needs_refresh(record):
            record = yield from self._refresh(record)
        self.sign(request, record)
        response = yield request
        if _response_code(response) == CODE_TOKEN_EXPIRED:
            # Revoked early or our clock is behind TikTok's: refresh once, re-sign, re-send.
            record = yield from self._refresh(record)
            self.sign(request, record)
            yield request

    def _refresh(self, record: TokenRecord) -> Generator[httpx.Request, httpx.Response, TokenRecord]:
        return (yield from self.tokens.refresh(record))
