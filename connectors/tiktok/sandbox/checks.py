"""What TikTok's gateway verifies before a call reaches an API, in the order the sandbox checks it.

The signature is recomputed here from the reference on purpose rather than imported from the
client, so a client bug cannot be mirrored by the server it is tested against.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from connectors.tiktok.sandbox.envelope import ApiError
from connectors.tiktok.sandbox.state import Grant, SandboxState

TIMESTAMP_PAST = 300  # earlier than 5 minutes before now is refused
TIMESTAMP_FUTURE = 30  # later than 30 seconds ahead is refused
_NO_CIPHER = re.compile(
    r"^/(authorization|seller)/|^/product/\d+/(images/upload|files/upload|global_products|compliance)"
)
_BRANDS = re.compile(r"^/product/\d+/brands$")


def expected_sign(secret: str, path: str, params: dict[str, str], body: bytes) -> str:
    """sign = hex HMAC-SHA256(secret, secret + path + sorted k+v (no sign/access_token) + body + secret)."""
    pairs = "".join(f"{k}{params[k]}" for k in sorted(params) if k not in ("sign", "access_token"))
    message = f"{secret}{path}{pairs}".encode() + body + secret.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def cipher_forbidden(method: str, path: str) -> bool:
    """Endpoints that answer 'Unexpected identifier' when shop_cipher is sent."""
    return bool(_NO_CIPHER.match(path)) or (method == "POST" and bool(_BRANDS.match(path)))


@dataclass
class Caller:
    """Who is calling, once the gateway checks pass."""

    grant: Grant
    shop: dict[str, Any] | None

    @property
    def shop_key(self) -> str:
        return self.shop["id"] if self.shop else f"app:{self.grant.refresh_token[-8:]}"


def verify(state: SandboxState, request: Request, body: bytes) -> Caller:
    """Run the gateway checks; raise `ApiError` with TikTok's code on the first failure."""
    params = dict(request.query_params)
    path = request.url.path
    if params.get("app_key") != state.app_key:
        raise ApiError(36009004, "Invalid app_key. Check the app_key query parameter.")
    _check_timestamp(state, params.get("timestamp"))
    sign = params.get("sign")
    if not sign:
        raise ApiError(36009004, "Missing signature. The sign query parameter is required.")
    content_type = request.headers.get("content-type", "")
    signed_body = b"" if content_type.split(";")[0].strip().lower() == "multipart/form-data" else body
    if not hmac.compare_digest(sign, expected_sign(state.app_secret, path, params, signed_body)):
        raise ApiError(106001, "Invalid credentials. The `sign` query parameter is invalid.")
    grant = _check_token(state, request.headers.get("x-tts-access-token"))
    return Caller(grant, _check_cipher(state, grant, request.method, path, params.get("shop_cipher")))


def _check_timestamp(state: SandboxState, raw: str | None) -> None:
    try:
        timestamp = int(raw or "")
    except ValueError:
        raise ApiError(36009004, "Invalid timestamp. The timestamp query parameter is required.") from None
    now = state.clock.timestamp()
    if timestamp < 0 or timestamp < now - TIMESTAMP_PAST or timestamp > now + TIMESTAMP_FUTURE:
        raise ApiError(
            36009004,
            "Invalid timestamp. The timestamp is expired or invalid: it must be within 5 minutes "
            "before and 30 seconds after the current time.",
        )


def _check_token(state: SandboxState, token: str | None) -> Grant:
    if not token:
        raise ApiError(36009004, "Invalid access token header. The x-tts-access-token header is required.")
    with state.lock:
        grant = state.grants.get(token)
    if grant is None or grant.revoked:
        raise ApiError(36009004, "Invalid access token header. The access token is invalid.")
    if state.clock.timestamp() >= grant.access_expire:
        raise ApiError(105002, "Expired credentials. The access token (x-tts-access-token) has expired.")
    return grant


def _check_cipher(
    state: SandboxState, grant: Grant, method: str, path: str, cipher: str | None
) -> dict[str, Any] | None:
    if cipher_forbidden(method, path):
        if cipher:
            raise ApiError(
                36009004,
                "Unexpected identifier. The `shop_cipher` query parameter is not required for this request.",
            )
        return None
    if not cipher:
        raise ApiError(106013, "Missing shop_cipher. The `shop_cipher` query parameter is required.")
    shop = state.shop_by_cipher(cipher)
    if shop is None or shop["id"] not in grant.shop_ids:
        raise ApiError(36009004, "Invalid shop_cipher. The shop is not authorised for this access token.")
    return shop
