"""The sandbox's in-memory SFCC instance: seed data, tokens, baskets, orders and counters.

All mutation happens under one lock, so the threaded ASGI server and the admin surface can
touch the state at the same time.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from connectors.engine.clock import Clock, SystemClock


@dataclass
class ApiClient:
    """An Account Manager API client or a SLAS client, with its secret and scopes."""

    client_id: str
    secret: str
    kind: str  # "account_manager" or "slas_private"
    scopes: list[str]
    active: bool = True


@dataclass
class Token:
    """An issued access token and what it may do."""

    client_id: str
    kind: str  # "am", "bm", "slas", "tsob"
    scopes: list[str]
    expires_at: datetime
    login_id: str | None = None


@dataclass
class FaultConfig:
    """Injected faults; randomness comes from a seeded generator so tests are deterministic."""

    seed: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    next_429: int = 0
    next_503: int = 0
    maintenance: bool = False
    latency_ms: int = 0
    rate_limit_per_second: float | None = None
    retry_after: int = 1
    token_lifetime: int = 1799
    #: an instance whose search index cannot filter: product searches with a filter answer 400
    unfilterable_product_search: bool = False


def login_of(customer: dict[str, Any]) -> str | None:
    """The login of a seeded customer (`login`, or `credentials.login` as the Data API writes it)."""
    login = customer.get("login") or customer.get("credentials", {}).get("login")
    return str(login) if login else None


def iso(moment: datetime) -> str:
    """OCAPI date-time text (UTC, Z suffix, milliseconds)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class SandboxState:
    """Everything the sandbox knows; build with `from_seed`."""

    organization_id: str
    short_code: str
    site: dict[str, Any]
    clients: dict[str, ApiClient]
    ocapi_settings: dict[str, dict[str, list[dict[str, Any]]]]
    bm_users: dict[str, dict[str, str]]
    products: dict[str, dict[str, Any]]
    inventory_lists: dict[str, dict[str, Any]]
    records: dict[tuple[str, str], dict[str, Any]]
    customers: dict[str, dict[str, Any]]
    shipping_methods: dict[str, dict[str, Any]]
    payment_methods: dict[str, dict[str, Any]]
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    baskets: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    faults: FaultConfig = field(default_factory=FaultConfig)
    clock: Clock = field(default_factory=SystemClock)
    monotonic: Callable[[], float] = time.monotonic
    lock: threading.RLock = field(default_factory=threading.RLock)
    requests_by_client: Counter[str] = field(default_factory=Counter)
    responses_by_status: Counter[int] = field(default_factory=Counter)
    rng: random.Random = field(default_factory=random.Random)
    _window: dict[str, list[float]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def from_seed(cls, seed: dict[str, Any], clock: Clock | None = None) -> SandboxState:
        """Build the state from a seed document (format in connectors/sfcc/README.md)."""
        clients = {
            c["client_id"]: ApiClient(
                client_id=c["client_id"],
                secret=c["client_secret"],
                kind=c.get("kind", "account_manager"),
                scopes=list(c.get("scopes", [])),
                active=c.get("active", True),
            )
            for c in seed.get("api_clients", [])
        }
        ocapi: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for api in ("shop", "data"):
            settings = seed.get("ocapi_settings", {}).get(api, {})
            ocapi[api] = {c["client_id"]: c.get("resources", []) for c in settings.get("clients", [])}
        state = cls(
            organization_id=seed["organization_id"],
            short_code=seed.get("short_code", "sandbox1"),
            site=seed["site"],
            clients=clients,
            ocapi_settings=ocapi,
            bm_users={u["login"]: u for u in seed.get("business_manager_users", [])},
            products={p["id"]: p for p in seed.get("products", [])},
            inventory_lists={i["id"]: i for i in seed.get("inventory_lists", [])},
            records={
                (r["inventory_list_id"], r["product_id"]): dict(r)
                for r in seed.get("product_inventory_records", [])
            },
            customers={c["customer_no"]: c for c in seed.get("customers", [])},
            shipping_methods={m["id"]: m for m in seed.get("shipping_methods", [])},
            payment_methods={m["id"]: m for m in seed.get("payment_methods", [])},
            orders={o["order_no"]: o for o in seed.get("orders", [])},
        )
        if clock is not None:
            state.clock = clock
        return state

    @property
    def site_id(self) -> str:
        """The one site this sandbox serves."""
        return str(self.site["id"])

    @property
    def tenant_id(self) -> str:
        """Organization id without `f_ecom_`."""
        return self.organization_id.removeprefix("f_ecom_")

    def next_id(self, prefix: str) -> str:
        """A fresh id, unique in this sandbox."""
        return f"{prefix}{next(self._ids):08d}"

    def now_iso(self) -> str:
        """Current time as OCAPI date-time text."""
        return iso(self.clock.now())

    def site_inventory_list(self) -> str | None:
        """The inventory list assigned to the site (baskets check stock against it)."""
        for list_id, doc in self.inventory_lists.items():
            sites = [s["id"] if isinstance(s, dict) else s for s in doc.get("assigned_sites", [])]
            if self.site_id in sites:
                return list_id
        return None

    def ats(self, product_id: str) -> Decimal | None:
        """Available-to-sell of a product in the site's list; None means no record (not orderable)."""
        list_id = self.site_inventory_list()
        record = self.records.get((list_id or "", product_id))
        if record is None:
            default_in_stock = bool(self.inventory_lists.get(list_id or "", {}).get("default_in_stock"))
            return Decimal(999999) if default_in_stock else None
        if record.get("perpetual_flag"):
            return Decimal(999999)
        return Decimal(str(record.get("ats", 0)))

    def customer_by_login(self, login: str) -> dict[str, Any] | None:
        """The customer with this login (logins compare without case, as SFCC's do)."""
        wanted = login.lower()
        for doc in self.customers.values():
            found = login_of(doc)
            if found is not None and found.lower() == wanted:
                return doc
        return None

    def take_rate_slot(self, client_id: str) -> bool:
        """Count a request against the client's per-second limit; False when over it."""
        limit = self.faults.rate_limit_per_second
        if not limit:
            return True
        now = self.monotonic()
        window = [t for t in self._window.get(client_id, []) if now - t < 1.0]
        if len(window) >= limit:
            self._window[client_id] = window
            return False
        window.append(now)
        self._window[client_id] = window
        return True
