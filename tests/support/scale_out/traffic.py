"""The world outside Shopwright: buyers placing TikTok orders, and the warehouse shipping in SFCC.

Orders enter each TikTok sandbox through its admin seed endpoint in TikTok's wire format; SFCC
ships an order through the SFCC sandbox's admin ship endpoint with a tracking number and a
carrier, as a warehouse system would update the order in Business Manager.
"""

from __future__ import annotations

import random
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.sfcc.order_mapping import order_number_for
from connectors.tiktok.sandbox.seed import make_order
from scale_out.sandboxes import SandboxProcess
from store.models import OrderRoute

SEED_CHUNK = 500
CARRIERS = ("USPS", "UPS", "FedEx")  # the shipping providers the TikTok sandbox offers


def tiktok_order_id(shop_index: int, number: int) -> str:
    """An 18-digit TikTok-style order id, unique across the scenario's shops."""
    return f"5766{shop_index:02d}{number:012d}"


def wire_order(order_id: str, rng: random.Random, paid_at: int) -> dict[str, Any]:
    """A paid, seller-fulfilled order of one to six units over the sandbox catalog."""
    units = [rng.randint(0, 2) for _ in range(3)]
    if not any(units):
        units[rng.randrange(3)] = 1
    order = make_order(order_id, status="AWAITING_SHIPMENT", create_time=paid_at - 30, units=units, rng=rng)
    order["recipient_address"]["district_info"] = [
        {"address_level": "L0", "address_level_name": "Country", "address_name": "United States"},
        {"address_level": "L1", "address_level_name": "State", "address_name": "TX"},
        {"address_level": "L3", "address_level_name": "City", "address_name": "Austin"},
    ]
    return order


@dataclass
class OrderFeed:
    """Places ``total`` orders over the shops, all at once or at ``rate`` orders per second."""

    shops: list[SandboxProcess]
    total: int
    rate: float | None = None
    seed: int = 11
    placed: dict[int, list[str]] = field(init=False)  # shop index -> TikTok order ids
    started_at: float | None = field(default=None, init=False)
    _rng: random.Random = field(init=False)
    _count: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self.placed = {index: [] for index in range(1, len(self.shops) + 1)}

    @property
    def count(self) -> int:
        return self._count

    def expected_ids(self) -> dict[int, list[str]]:
        return {index: list(ids) for index, ids in self.placed.items()}

    def step(self) -> int:
        """Place the orders that are due by now; returns how many were placed."""
        now = time.monotonic()
        if self.started_at is None:
            self.started_at = now
        due = self.total if self.rate is None else min(self.total, int((now - self.started_at) * self.rate))
        placed = 0
        while self._count < due:
            batch = min(SEED_CHUNK, due - self._count)
            by_shop: dict[int, list[dict[str, Any]]] = {index: [] for index in self.placed}
            paid_at = int(time.time())
            for _ in range(batch):
                shop_index = self._count % len(self.shops) + 1
                order_id = tiktok_order_id(shop_index, self._count)
                by_shop[shop_index].append(wire_order(order_id, self._rng, paid_at))
                self.placed[shop_index].append(order_id)
                self._count += 1
            for shop_index, orders in by_shop.items():
                if orders:
                    self.shops[shop_index - 1].post("/_sandbox/seed", {"orders": orders})
            placed += batch
        return placed


@dataclass
class Warehouse:
    """Ships every order that reached SFCC, once, with a tracking number and a carrier."""

    sfcc: SandboxProcess
    session_factory: sessionmaker[Session]
    shipped: dict[str, str] = field(default_factory=dict)  # SFCC order number -> tracking number
    missing: set[str] = field(default_factory=set)  # routes "created" whose order SFCC lacks

    def step(self) -> int:
        """Ship the orders created in SFCC since the last step; returns how many."""
        with self.session_factory() as session:
            numbers = session.scalars(
                select(OrderRoute.external_id).where(OrderRoute.state == "created")
            ).all()
        fresh = [n for n in numbers if n and n not in self.shipped and n not in self.missing]
        for number in fresh:
            tracking = f"1ZSCALE{zlib.crc32(number.encode()):010d}"
            carrier = CARRIERS[int(number[-1]) % len(CARRIERS)]
            response = self.sfcc.admin.post(
                f"/_sandbox/orders/{number}/ship", json={"tracking_number": tracking, "c_carrier": carrier}
            )
            if response.status_code == 404:
                self.missing.add(number)
                continue
            response.raise_for_status()
            self.shipped[number] = tracking
        return len(fresh)


def sfcc_numbers(expected: dict[int, list[str]], prefix: str = "TT") -> dict[str, str]:
    """SFCC order number -> TikTok order id, for every order placed."""
    return {order_number_for(order_id, prefix): order_id for ids in expected.values() for order_id in ids}
