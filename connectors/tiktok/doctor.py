"""``sync_daemon.py doctor`` for a TikTok Shop connection: tokens, shop and cipher, warehouses.

Each check is live where it can be (the tokens are proven by a signed call, not only by their
stored expiry) and says, when it fails, what is wrong and what the seller runs next. Later checks
need the earlier ones, so the first failure ends the list instead of repeating itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from connectors.runtime import ConnectionRuntime
from connectors.tiktok.client import TikTokClient, build_client
from connectors.tiktok.errors import AuthExpiredError, ServerError, TikTokAuthError, TikTokError
from connectors.tiktok.schemas import Shop, Warehouse
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from connectors.tiktok.tokens import TokenRecord
from connectors.types import DoctorCheck

# Doctor answers in seconds: one retry for a blip, not the daemon's long backoff.
DOCTOR_ATTEMPTS = 2
# Warn (but pass) when the refresh token ends within this many days.
REFRESH_WARNING_DAYS = 14


def tiktok_doctor(runtime: ConnectionRuntime) -> Sequence[DoctorCheck]:
    """The checks of one TikTok connection, in order; stops at the first failure."""
    settings = runtime.settings
    assert isinstance(settings, TikTokSettings)
    name = runtime.name
    authorize = f"python sync_daemon.py authorize {name} --code AUTH_CODE"
    store = StoreTokenStore(runtime.session_factory, name)
    record = store.load()
    now = int(runtime.clock.now().timestamp())
    if record is None:
        return [
            DoctorCheck(
                "tokens",
                False,
                f"no tokens in the store: the shop was never authorised. Run `{authorize}` "
                f"(`python sync_daemon.py authorize {name}` prints where to get the code)",
            )
        ]
    if now >= record.refresh_token_expire_in:
        return [
            DoctorCheck(
                "tokens",
                False,
                f"the refresh token expired at {_when(record.refresh_token_expire_in)}: the seller must "
                f"authorise again. Run `{authorize}` with a new code",
            )
        ]
    quick = settings.model_copy(update={"max_attempts": min(settings.max_attempts, DOCTOR_ATTEMPTS)})
    client = build_client(quick, runtime.http, store, runtime.clock)
    checks: list[DoctorCheck] = []
    try:
        shops = client.get_authorized_shops()  # proves the tokens (refreshing them if due)
        checks.append(_token_check(store.load() or record, now))
        shop_check, shop = _shop_check(name, settings, store.load() or record, shops)
        checks.append(shop_check)
        if shop is not None:
            checks.append(_warehouse_check(client))
    except AuthExpiredError as error:
        checks.append(
            DoctorCheck(
                "tokens",
                False,
                f"TikTok refused the tokens ({error.reason}): the seller must authorise again. "
                f"Run `{authorize}` with a new code",
            )
        )
    except TikTokAuthError as error:
        checks.append(
            DoctorCheck(
                "tokens",
                False,
                f"TikTok refused the credentials: {error}. Check app_key and the app secret "
                f"(SHOPWRIGHT_<CONNECTION>_APP_SECRET), then run `{authorize}`",
            )
        )
    except ServerError as error:
        checks.append(
            DoctorCheck(
                "reachable",
                False,
                f"cannot reach TikTok Shop at {settings.api_base_url}: {error}. Check api_base_url, "
                "auth_base_url and the network, then run doctor again",
            )
        )
    except TikTokError as error:
        checks.append(DoctorCheck("api", False, f"{error}"))
    return checks


def _token_check(record: TokenRecord, now: int) -> DoctorCheck:
    detail = (
        f"valid: access token until {_when(record.access_token_expire_in)} (renewed automatically), "
        f"refresh token until {_when(record.refresh_token_expire_in)}"
    )
    days_left = (record.refresh_token_expire_in - now) // 86_400
    if days_left < REFRESH_WARNING_DAYS:
        detail += f"; only {days_left} day(s) left: authorise again soon"
    return DoctorCheck("tokens", True, detail)


def _shop_check(
    name: str, settings: TikTokSettings, record: TokenRecord, shops: Sequence[Shop]
) -> tuple[DoctorCheck, Shop | None]:
    rebind = f"python sync_daemon.py authorize {name}"
    wanted = settings.shop_id or record.shop_id
    listing = ", ".join(f"{s.id} ({s.name})" for s in shops) or "none"
    if wanted is None:
        return (
            DoctorCheck(
                "shop",
                False,
                f"the connection is bound to no shop (authorised shops: {listing}). Run `{rebind}`"
                + (" after setting shop_id" if len(shops) > 1 else ""),
            ),
            None,
        )
    shop = next((s for s in shops if s.id == wanted), None)
    if shop is None:
        return (
            DoctorCheck(
                "shop",
                False,
                f"shop {wanted} is not among the shops the tokens cover ({listing}). Fix shop_id under "
                f"[connections.{name}] or authorise with the shop's account, then run `{rebind}`",
            ),
            None,
        )
    if record.shop_cipher != shop.cipher or record.shop_id != shop.id:
        return (
            DoctorCheck(
                "shop",
                False,
                f"{shop.name} ({shop.id}) has cipher {shop.cipher}, but the store keeps "
                f"{record.shop_cipher or 'none'} for shop {record.shop_id or 'none'}. Run `{rebind}` to keep "
                "the right cipher",
            ),
            None,
        )
    region = shop.region or "no region yet"
    return DoctorCheck("shop", True, f"{shop.name} (id {shop.id}, {region}), cipher {shop.cipher}"), shop


def _warehouse_check(client: TikTokClient) -> DoctorCheck:
    warehouses = client.get_warehouses()
    sales = [w for w in warehouses if w.type == "SALES_WAREHOUSE"]
    described = "; ".join(_describe(w) for w in warehouses) or "none"
    if not sales:
        return DoctorCheck(
            "warehouses",
            False,
            f"the shop has no sales warehouse ({described}). Add one in Seller Center "
            "(Settings > Warehouse) so orders and inventory have a location",
        )
    enabled = [w for w in sales if w.effect_status in ("", "ENABLED")]
    if not enabled:
        return DoctorCheck(
            "warehouses", False, f"no sales warehouse is enabled ({described}). Enable one in Seller Center"
        )
    return DoctorCheck("warehouses", True, f"{len(warehouses)}: {described}")


def _describe(warehouse: Warehouse) -> str:
    kind = {"SALES_WAREHOUSE": "sales", "RETURN_WAREHOUSE": "return"}.get(warehouse.type, warehouse.type)
    flags = [kind]
    if warehouse.is_default:
        flags.append("default")
    if warehouse.effect_status and warehouse.effect_status != "ENABLED":
        flags.append(warehouse.effect_status.lower())
    return f"{warehouse.name or '(unnamed)'} {warehouse.id} ({', '.join(flags)})"


def _when(unix_seconds: int) -> str:
    return datetime.fromtimestamp(unix_seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")
