"""``sync_daemon.py authorize CONNECTION --code AUTH_CODE`` for TikTok Shop.

The seller approves the app on TikTok's authorisation page; TikTok redirects to the app's callback
URL with ``?code=AUTH_CODE&state=...``. The code is single-use and short-lived: this step exchanges
it for tokens, keeps them in the store (shared by every daemon replica), and binds the connection
to its shop by keeping the shop's ``cipher`` from the authorized-shops call. Tokens are never
printed; the shop, the cipher and the expiry times are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from connectors.engine.hooks import AuthorizationError
from connectors.runtime import ConnectionRuntime
from connectors.tiktok.client import TikTokClient, build_client
from connectors.tiktok.errors import AuthExpiredError, TikTokError
from connectors.tiktok.schemas import Shop
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from connectors.tiktok.tokens import TokenRecord

# Where a seller approves the app (reference section 1). Which host is current depends on the app
# type (UNCERTAIN): service-based apps use services[.us].tiktokshop.com, older ones the auth host.
AUTHORIZE_URL_US = "https://services.us.tiktokshop.com/open/authorize"
AUTHORIZE_URL_GLOBAL = "https://services.tiktokshop.com/open/authorize"
LEGACY_AUTHORIZE_URL = "https://auth.tiktok-shops.com/oauth/authorize"
# An interactive command: one retry for a blip, not the daemon's long backoff.
AUTHORIZE_ATTEMPTS = 2


def instructions(connection: str, settings: TikTokSettings) -> str:
    """Where the seller gets an authorisation code, and what to run with it."""
    return "\n".join(
        [
            "To get an authorisation code, sign in to TikTok Shop Seller Center with the shop's main "
            "account and open the app's authorisation link:",
            f"  US shops:     {AUTHORIZE_URL_US}?service_id=<your app's service id>&state=<any text>",
            f"  other shops:  {AUTHORIZE_URL_GLOBAL}?service_id=<your app's service id>&state=<any text>",
            f"  older apps:   {LEGACY_AUTHORIZE_URL}?app_key={settings.app_key}&state=<any text>",
            "After you approve, TikTok redirects to the app's callback URL with ?code=AUTH_CODE&state=...; "
            "the code works once and only for a few minutes. Then run:",
            f"  python sync_daemon.py authorize {connection} --code AUTH_CODE",
        ]
    )


@dataclass(frozen=True)
class Authorization:
    """The outcome: which shop the connection is bound to, and until when its tokens last."""

    connection: str
    shop: Shop
    record: TokenRecord

    def lines(self) -> list[str]:
        shop = self.shop
        region = shop.region or "region not yet assigned"
        return [
            f"{self.connection}: authorised for shop {shop.name or '(unnamed)'} (id {shop.id}, {region}, "
            f"{shop.seller_type or 'seller type unknown'})",
            f"  shop cipher:    {shop.cipher}",
            f"  access token:   valid until {_when(self.record.access_token_expire_in)} "
            "(renewed automatically before then)",
            f"  refresh token:  valid until {_when(self.record.refresh_token_expire_in)} "
            "(authorise again before then)",
            "Tokens are kept in the store; they are not shown.",
        ]


def authorize_connection(runtime: ConnectionRuntime, code: str | None) -> Authorization:
    """Exchange ``code`` (None: keep the stored tokens) and bind the connection to its shop.

    Raises `AuthorizationError` with what to do when TikTok refuses the code, no tokens are stored,
    or the shop to use is ambiguous or not covered. With several shops and no ``shop_id`` setting
    the exchanged tokens are kept, so binding again after setting ``shop_id`` needs no new code.
    """
    settings = runtime.settings
    assert isinstance(settings, TikTokSettings)
    client = _client(runtime, settings)
    try:
        if code is not None:
            client.exchange_auth_code(code.strip())
        elif client.tokens.store.load() is None:
            raise AuthorizationError(
                f"{runtime.name} has no TikTok Shop tokens yet.\n{instructions(runtime.name, settings)}"
            )
        shops = client.get_authorized_shops()
        shop = choose_shop(runtime.name, shops, settings.shop_id)
        record = client.tokens.current().with_shop(shop.id, shop.cipher)
        client.tokens.store.save(record)
    except AuthExpiredError as error:
        what = "the authorisation code" if code is not None else "the stored tokens"
        raise AuthorizationError(
            f"TikTok Shop refused {what} for {runtime.name} ({error.reason}). A code works once and "
            f"expires within minutes: get a new one.\n{instructions(runtime.name, settings)}"
        ) from error
    except TikTokError as error:
        raise AuthorizationError(
            f"Authorising {runtime.name} failed: {error}. Check app_key, the app secret and "
            f"auth_base_url/api_base_url ({settings.auth_base_url}, {settings.api_base_url})."
        ) from error
    return Authorization(runtime.name, shop, record)


def choose_shop(connection: str, shops: Sequence[Shop], shop_id: str | None) -> Shop:
    """The shop ``shop_id`` names, or the only one; otherwise an error listing the choices."""
    listing = ", ".join(f"{s.id} ({s.name or 'unnamed'}, {s.region or 'no region'})" for s in shops)
    if shop_id is not None:
        for shop in shops:
            if shop.id == shop_id:
                return shop
        raise AuthorizationError(
            f"shop_id {shop_id} of {connection} is not among the shops this authorisation covers: "
            f"{listing or 'none'}. Fix shop_id under [connections.{connection}], or authorise with the "
            "account that owns that shop."
        )
    if len(shops) == 1:
        return shops[0]
    if not shops:
        raise AuthorizationError(
            f"The authorisation of {connection} covers no shop. Authorise with the shop's main account."
        )
    raise AuthorizationError(
        f"The authorisation of {connection} covers {len(shops)} shops: {listing}. Set shop_id = "
        f'"<one of those ids>" under [connections.{connection}], then run `python sync_daemon.py '
        f"authorize {connection}` again (the tokens are kept: no new code is needed)."
    )


def _client(runtime: ConnectionRuntime, settings: TikTokSettings) -> TikTokClient:
    quick = settings.model_copy(update={"max_attempts": min(settings.max_attempts, AUTHORIZE_ATTEMPTS)})
    tokens = StoreTokenStore(runtime.session_factory, runtime.name)
    return build_client(quick, runtime.http, tokens, runtime.clock)


def _when(unix_seconds: int) -> str:
    return datetime.fromtimestamp(unix_seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


class TikTokAuthorizer:
    """The `Authorizer` hook of the TikTok connector type."""

    def instructions(self, runtime: ConnectionRuntime) -> str:
        assert isinstance(runtime.settings, TikTokSettings)
        return instructions(runtime.name, runtime.settings)

    def authorize(self, runtime: ConnectionRuntime, code: str | None) -> Sequence[str]:
        return authorize_connection(runtime, code).lines()
