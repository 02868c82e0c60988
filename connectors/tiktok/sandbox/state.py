"""The sandbox's world: shops, tokens, orders, packages, products, and what it received.

One `SandboxState` is shared by the uvicorn thread and the test thread, so every read and write of
its collections happens under ``lock``. Payloads are kept in TikTok's own wire format (plain dicts)
so the routes return them as they are, after hiding what TikTok hides.
"""

from __future__ import annotations

import copy
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connectors.engine.clock import Clock
from connectors.tiktok.sandbox.catalog_state import CatalogState

ACCESS_TTL = 604_799  # a live token expired issue time + 604,799 s (reference section 1)
REFRESH_TTL = 365 * 86_400  # UNCERTAIN: samples range from a year to a century; configurable
ON_HOLD_SECONDS = 3_600  # TikTok's free-cancellation window is about an hour after payment


class OffsetClock:
    """The sandbox clock: a base clock plus an offset the admin surface can move forward."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self.base.now() + self.offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.offset += timedelta(seconds=seconds)

    def timestamp(self) -> int:
        return int(self.now().timestamp())


@dataclass
class Grant:
    """One authorisation: an access token, its refresh token and the shops it covers."""

    access_token: str
    access_expire: int
    refresh_token: str
    refresh_expire: int
    shop_ids: list[str]
    revoked: bool = False


@dataclass
class Received:
    """Everything the sandbox was asked to do, for assertions."""

    shipments: list[dict[str, Any]] = field(default_factory=list)
    shipping_info_updates: list[dict[str, Any]] = field(default_factory=list)
    inventory_updates: list[dict[str, Any]] = field(default_factory=list)
    webhook_deliveries: list[dict[str, Any]] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    rejections: dict[int, int] = field(default_factory=dict)


class SandboxState:
    """All mutable sandbox data; use ``with state.lock:`` around every access."""

    def __init__(self, *, app_key: str, app_secret: str, clock: Clock, rng_seed: int = 0) -> None:
        self.app_key = app_key
        self.app_secret = app_secret
        self.clock = OffsetClock(clock)
        self.lock = threading.RLock()
        self.rng = random.Random(rng_seed)
        self.access_ttl = ACCESS_TTL
        self.refresh_ttl = REFRESH_TTL
        self.on_hold_seconds = ON_HOLD_SECONDS
        self.reset()

    def reset(self) -> None:
        """Forget all data (keeps app credentials, clock and settings)."""
        with self.lock:
            self.shops: dict[str, dict[str, Any]] = {}
            self.auth_codes: set[str] = set()
            self.grants: dict[str, Grant] = {}
            self.refresh_index: dict[str, Grant] = {}
            self.orders: dict[str, dict[str, Any]] = {}
            self.hold_until: dict[str, int] = {}
            self.packages: dict[str, dict[str, Any]] = {}
            self.products: dict[str, dict[str, Any]] = {}
            self.sku_index: dict[str, str] = {}
            self.warehouses: list[dict[str, Any]] = []
            self.delivery_options: dict[str, list[dict[str, Any]]] = {}
            self.shipping_providers: dict[str, list[dict[str, Any]]] = {}
            self.cancellations: list[dict[str, Any]] = []
            self.returns: list[dict[str, Any]] = []
            self.statements: list[dict[str, Any]] = []
            self.webhooks: dict[str, dict[str, Any]] = {}
            self.received = Received()
            self.catalog = CatalogState.from_seed()
            self._serial = 0
            self.orders_version = 0
            self.count_cache: dict[tuple[int, str], int] = {}
            self._sorted_cache: dict[tuple[str, int], list[tuple[list[Any], str]]] = {}

    # --- ids and tokens -------------------------------------------------------------------------

    def next_id(self, prefix: str = "") -> str:
        """A fresh numeric-looking string id, deterministic per run."""
        with self.lock:
            self._serial += 1
            return f"{prefix}{7_000_000_000_000_000_000 + self._serial * 7919}"

    def new_token(self, prefix: str) -> str:
        with self.lock:
            return f"ROW_{prefix}{self.rng.getrandbits(96):024x}"

    def issue_grant(self, shop_ids: list[str] | None = None) -> Grant:
        """Create an authorisation for the given shops (default: every shop)."""
        with self.lock:
            now = self.clock.timestamp()
            grant = Grant(
                access_token=self.new_token("at"),
                access_expire=now + self.access_ttl,
                refresh_token=self.new_token("rt"),
                refresh_expire=now + self.refresh_ttl,
                shop_ids=list(shop_ids if shop_ids is not None else self.shops),
            )
            self.grants[grant.access_token] = grant
            self.refresh_index[grant.refresh_token] = grant
            return grant

    def expire_access_tokens(self, *, refresh: bool = False) -> int:
        """Expire every access token now (and every refresh token with ``refresh``)."""
        with self.lock:
            now = self.clock.timestamp()
            for grant in self.grants.values():
                grant.access_expire = min(grant.access_expire, now)
                if refresh:
                    grant.refresh_expire = min(grant.refresh_expire, now)
            return len(self.grants)

    def shop_by_cipher(self, cipher: str) -> dict[str, Any] | None:
        with self.lock:
            return next((s for s in self.shops.values() if s["cipher"] == cipher), None)

    # --- orders ---------------------------------------------------------------------------------

    def put_order(self, order: dict[str, Any]) -> None:
        """Insert or replace an order (wire format) and index its packages and hold."""
        with self.lock:
            order = copy.deepcopy(order)
            order["id"] = str(order["id"])
            order.setdefault("line_items", [])
            order.setdefault("packages", [])
            order.setdefault("update_time", order.get("create_time", self.clock.timestamp()))
            self.orders[order["id"]] = order
            self.touch()
            self.hold_until.pop(order["id"], None)
            if order.get("status") == "ON_HOLD":
                start = int(order.get("paid_time") or order.get("create_time") or self.clock.timestamp())
                self.hold_until[order["id"]] = start + self.on_hold_seconds
                order["is_on_hold_order"] = True
            for line in order["line_items"]:
                if line.get("package_id"):
                    self.index_package_line(order, line)

    def index_package_line(self, order: dict[str, Any], line: dict[str, Any]) -> None:
        package = self.packages.setdefault(
            str(line["package_id"]),
            {
                "package_id": str(line["package_id"]),
                "package_status": line.get("package_status") or "TO_FULFILL",
                "tracking_number": line.get("tracking_number") or "",
                "shipping_provider_id": line.get("shipping_provider_id") or "",
                "shipping_provider_name": line.get("shipping_provider_name") or "",
                "order_id": order["id"],
                "order_line_item_ids": [],
            },
        )
        if line["id"] not in package["order_line_item_ids"]:
            package["order_line_item_ids"].append(line["id"])
        if {"id": package["package_id"]} not in order["packages"]:
            order["packages"].append({"id": package["package_id"]})

    def release_holds(self) -> None:
        """Turn ON_HOLD orders whose window has passed into AWAITING_SHIPMENT (lazily, on read)."""
        with self.lock:
            now = self.clock.timestamp()
            for order_id, until in list(self.hold_until.items()):
                if until > now:
                    continue
                del self.hold_until[order_id]
                order = self.orders[order_id]
                if order.get("status") == "ON_HOLD":
                    order["status"] = "AWAITING_SHIPMENT"
                    order["update_time"] = until
                    self.touch()
                    for line in order["line_items"]:
                        if line.get("display_status") == "ON_HOLD":
                            line["display_status"] = "AWAITING_SHIPMENT"

    def touch(self) -> None:
        """Record that an order changed, so cached sort orders are rebuilt."""
        with self.lock:
            self.orders_version += 1

    def sorted_orders(self, field: str) -> list[tuple[list[Any], str]]:
        """``([field value, id], id)`` for every order, ascending; cached until an order changes."""
        with self.lock:
            cached = self._sorted_cache.get((field, self.orders_version))
            if cached is None:
                cached = sorted(([int(o.get(field) or 0), o["id"]], o["id"]) for o in self.orders.values())
                self._sorted_cache = {(field, self.orders_version): cached}
            return cached

    def order_view(self, order: dict[str, Any]) -> dict[str, Any]:
        """The order as the API returns it: no recipient address while UNPAID or ON_HOLD."""
        # A shallow copy is enough: the answer is serialised at once, on the event-loop thread
        # that also runs every route mutating orders in place.
        view = dict(order)
        if view.get("status") in ("UNPAID", "ON_HOLD"):
            view.pop("recipient_address", None)
        return view

    # --- products -------------------------------------------------------------------------------

    def put_product(self, product: dict[str, Any]) -> None:
        with self.lock:
            product = copy.deepcopy(product)
            product["id"] = str(product["id"])
            product.setdefault("status", "ACTIVATE")
            product.setdefault("skus", [])
            self.products[product["id"]] = product
            for sku in product["skus"]:
                sku["id"] = str(sku["id"])
                sku.setdefault("inventory", [])
                self.sku_index[sku["id"]] = product["id"]

    def count(self, counter: dict[Any, int], key: Any) -> None:
        with self.lock:
            counter[key] = counter.get(key, 0) + 1
