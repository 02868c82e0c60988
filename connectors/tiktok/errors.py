"""TikTok Shop errors: the one place that turns a response envelope into a typed error.

Every Open API and auth-host response carries ``{code, message, request_id, data}``. Business errors
usually come with HTTP 200 and a non-zero ``code``; a few come with their own HTTP status (106001 with
401, rate limiting with 429). `error_from_response` classifies by code first, then by HTTP status, and
for the overloaded code 36009004 by its message (the reference says to).
"""

from __future__ import annotations

from typing import Any

# Codes from the reference's common-errors table (section 4).
CODE_OK = 0
CODE_TOKEN_EXPIRED = 105002
CODE_SCOPE_DENIED = 105005
CODE_INVALID_SIGN = 106001
CODE_SHOP_CIPHER_MISSING = 106013
CODE_INVALID_TOKEN = 101000
CODE_INVALID_AUTH_CODE = 36004004
CODE_RATE_LIMITED = 36009002
CODE_INTERNAL = 36009003
CODE_REQUEST_INVALID = 36009004
CODE_TIMEOUT = 36009007
CODE_INVALID_PATH = 36009009
CODE_INVALID_METHOD = 36009010
CODE_INVALID_VERSION = 36009014
CODE_IP_NOT_ALLOWED = 36009033
CODE_BATCH_ITEM_FAILED = 12052990

_SERVER_CODES = frozenset({CODE_INTERNAL, CODE_TIMEOUT, 10002014, 10037002})
_NOT_FOUND_CODES = frozenset({CODE_INVALID_PATH, 12019150, 12052260, 21008111})

REAUTHORISE_STEPS = (
    "Re-authorise the app: sign in to TikTok Shop Seller Center with the shop's main (master) account, "
    "open the app's authorisation link from the Shopwright connection settings, approve it, and let "
    "Shopwright exchange the new authorisation code."
)


class TikTokError(Exception):
    """Any failure talking to TikTok Shop; carries the envelope fields for diagnosis."""

    #: The stable Exception code the store records for this failure (see EXCEPTIONS.md).
    exception_code = "tiktok.api_error"
    #: Whether repeating the same call later may succeed.
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.request_id = request_id
        self.http_status = http_status
        self.path = path

    def __str__(self) -> str:
        where = f" on {self.path}" if self.path else ""
        code = f" (code {self.code})" if self.code is not None else ""
        rid = f" [request_id {self.request_id}]" if self.request_id else ""
        return f"TikTok Shop rejected the call{where}{code}: {self.message}{rid}"


class TikTokAuthError(TikTokError):
    """Credentials were refused (bad token, missing scope, bad app key)."""

    exception_code = "tiktok.auth_failed"


class TokenExpiredError(TikTokAuthError):
    """The access token expired (105002); refreshing it fixes the call."""

    retryable = True


class AuthExpiredError(TikTokAuthError):
    """The seller must re-authorise: the refresh token is expired or invalid, or the seller left."""

    exception_code = "tiktok.auth_expired"

    def __init__(self, reason: str, **kwargs: Any) -> None:
        super().__init__(f"{reason} {REAUTHORISE_STEPS}", **kwargs)
        self.reason = reason

    def __str__(self) -> str:
        return f"TikTok Shop authorisation has ended: {self.message}"


class SignatureError(TikTokAuthError):
    """The ``sign`` parameter did not match (106001): a bug or a wrong app secret."""

    exception_code = "tiktok.signature_invalid"


class RequestRejectedError(TikTokError):
    """A gateway rejection such as a stale timestamp, bad version or unexpected shop_cipher."""

    exception_code = "tiktok.request_rejected"


class ShopCipherError(RequestRejectedError):
    """shop_cipher missing (106013) or sent where the endpoint refuses it."""


class RateLimitedError(TikTokError):
    """HTTP 429 or 36009002. ``retry_after`` is the server's hint in seconds, when given."""

    exception_code = "tiktok.rate_limited"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ValidationError(TikTokError):
    """The request was understood but refused (bad field, state conflict)."""

    exception_code = "tiktok.validation_failed"


class NotFoundError(TikTokError):
    """The path or the entity does not exist (or belongs to another shop)."""

    exception_code = "tiktok.not_found"


class ServerError(TikTokError):
    """TikTok failed (5xx, internal error, timeout); the same call may succeed later."""

    exception_code = "tiktok.unavailable"
    retryable = True


class UnavailableError(ServerError):
    """No usable response at all (connection refused, reset, timed out, malformed body)."""


class AmbiguousWriteError(ServerError):
    """A non-idempotent write got no clear answer: it may or may not have been applied.

    The client does not re-send such writes; the caller must read the entity back (e.g. package
    detail or order detail) and decide.
    """

    retryable = False


def parse_retry_after(value: str | None) -> float | None:
    """Read a Retry-After header given in seconds; HTTP dates are ignored (TikTok sends seconds)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(seconds, 0.0)


def error_from_envelope(
    code: int,
    message: str,
    *,
    request_id: str | None = None,
    http_status: int | None = None,
    path: str | None = None,
    retry_after: float | None = None,
) -> TikTokError:
    """Classify a non-zero envelope ``code`` (or a bad HTTP status) into a typed error."""
    kw: dict[str, Any] = {"code": code, "request_id": request_id, "http_status": http_status, "path": path}
    lowered = message.lower()
    if code == CODE_RATE_LIMITED or http_status == 429:
        return RateLimitedError(message, retry_after=retry_after, **kw)
    if code == CODE_TOKEN_EXPIRED:
        return TokenExpiredError(message, **kw)
    if code == CODE_INVALID_SIGN:
        return SignatureError(message, **kw)
    if code == CODE_SHOP_CIPHER_MISSING:
        return ShopCipherError(message, **kw)
    if code == CODE_REQUEST_INVALID:
        # 36009004 is overloaded; the message tells which check failed.
        if "shop_cipher" in lowered or "category_asset_cipher" in lowered:
            return ShopCipherError(message, **kw)
        if "access token" in lowered or "access_token" in lowered or "app_key" in lowered:
            return TikTokAuthError(message, **kw)
        return RequestRejectedError(message, **kw)
    if code in (CODE_INVALID_TOKEN, CODE_SCOPE_DENIED, CODE_IP_NOT_ALLOWED) or str(code).startswith("105"):
        return TikTokAuthError(message, **kw)
    if code == CODE_INVALID_AUTH_CODE:
        return AuthExpiredError(f"TikTok refused the authorisation code or refresh token ({message}).", **kw)
    if code in _SERVER_CODES or (http_status is not None and http_status >= 500):
        return ServerError(message, **kw)
    if code in _NOT_FOUND_CODES or http_status == 404:
        return NotFoundError(message, **kw)
    if code in (CODE_INVALID_METHOD, CODE_INVALID_VERSION):
        return RequestRejectedError(message, **kw)
    if http_status == 401:
        return TikTokAuthError(message, **kw)
    return ValidationError(message, **kw)
