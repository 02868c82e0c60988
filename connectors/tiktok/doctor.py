"""``sync_daemon.py doctor`` for a TikTok Shop connection: tokens, shop and cipher, warehouses, and
the location -> warehouse map of the inventory push when one is set.

Each check is live where it can be (the tokens are proven by a signed call, not only by their
stored expiry) and says, when it fails, what is wrong and what the seller runs next. Later checks
need the earlier ones, so the first failure ends the list instead of repeating itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from connectors.runtime import ConnectionRuntime
from connectors.tiktok.client import build_client
from connectors.tiktok.errors import AuthExpiredError, ServerError, TikTokAuthError, TikTokError
from connectors.tiktok.schemas import Shop, Warehouse
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from connectors.tiktok.tokens import TokenRecord
from connectors.types import DoctorCheck
from store.models import Connection, Location

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
            warehouses = client.get_warehouses()
            checks.append(_warehouse_check(warehouses))
            if checks[-1].ok and settings.inventory_warehouses:
                checks.append(_inventory_map_check(runtime, settings, warehouses))
            elif checks[-1].ok and settings.default_warehouse_id:
                default_id = settings.default_warehouse_id
                checks.append(_default_warehouse_check(runtime.name, default_id, warehouses))
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


def _warehouse_check(warehouses: Sequence[Warehouse]) -> DoctorCheck:
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


def _default_warehouse_check(name: str, warehouse_id: str, warehouses: Sequence[Warehouse]) -> DoctorCheck:
    """``default_warehouse_id`` must be an enabled sales warehouse of the shop, or every push is refused."""
    found = next((w for w in warehouses if w.id == warehouse_id), None)
    if found is not None and found.type == "SALES_WAREHOUSE" and found.effect_status in ("", "ENABLED"):
        return DoctorCheck("inventory warehouse", True, f"{found.name or '(unnamed)'} {warehouse_id}")
    return DoctorCheck(
        "inventory warehouse",
        False,
        f"default_warehouse_id {warehouse_id} is {_why_unusable(found)}, so TikTok refuses the stock sent "
        f"there (12052097). Set it under [connections.{name}] to an enabled sales warehouse of the shop, "
        "or remove it to use the shop's default",
    )


def _inventory_map_check(
    runtime: ConnectionRuntime, settings: TikTokSettings, warehouses: Sequence[Warehouse]
) -> DoctorCheck:
    """Every mapped warehouse id must be an enabled sales warehouse of the shop (else the push is
    refused); a location code not in the store yet is a warning (the SFCC pull may not have run)."""
    mapping = settings.inventory_warehouses
    where = f"inventory_warehouses under [connections.{runtime.name}]"
    usable = {
        w.id: w for w in warehouses if w.type == "SALES_WAREHOUSE" and w.effect_status in ("", "ENABLED")
    }
    feeding: dict[str, list[str]] = {}
    for code, warehouse in sorted(mapping.items()):
        feeding.setdefault(warehouse, []).append(code)
    wrong = sorted(warehouse for warehouse in feeding if warehouse not in usable)
    if wrong:
        by_id = {w.id: w for w in warehouses}
        problems = "; ".join(
            f"warehouse {w} (fed by {_codes(feeding[w])}) is {_why_unusable(by_id.get(w))}" for w in wrong
        )
        choices = ", ".join(f"{w.name or '(unnamed)'} {w.id}" for w in usable.values())
        return DoctorCheck(
            "inventory warehouses",
            False,
            f"{problems}. TikTok refuses stock sent there (12052097); map the locations to the shop's "
            f"enabled sales warehouses ({choices}) in {where}",
        )
    detail = "; ".join(
        f"{usable[warehouse].name or '(unnamed)'} {warehouse} <- {_codes(codes)}"
        for warehouse, codes in sorted(feeding.items())
    )
    unknown = sorted(set(mapping) - _location_codes(runtime, set(mapping)))
    if unknown:
        detail += (
            f"; warning: location code(s) {_codes(unknown)} match no location in the store, "
            "and push_inventory sends nothing until each does. Use the SFCC inventory list ids in "
            f"{where}, or let the SFCC inventory pull run first"
        )
    return DoctorCheck("inventory warehouses", True, detail)


def _codes(codes: Sequence[str]) -> str:
    return ", ".join(repr(code) for code in codes)


def _why_unusable(warehouse: Warehouse | None) -> str:
    if warehouse is None:
        return "not a warehouse of the shop"
    if warehouse.type != "SALES_WAREHOUSE":
        return f"a {warehouse.type.lower().replace('_', ' ') or 'non-sales warehouse'}, not a sales warehouse"
    return f"not enabled ({warehouse.effect_status.lower()})"


def _location_codes(runtime: ConnectionRuntime, codes: set[str]) -> set[str]:
    """The ``codes`` that are the external id of a location of another connection in the store."""
    with runtime.session_factory() as session:
        return set(
            session.scalars(
                select(Location.external_id)
                .join(Connection, Connection.id == Location.connection_id)
                .where(Connection.name != runtime.name, Location.external_id.in_(sorted(codes)))
            )
        )


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
