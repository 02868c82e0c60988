"""What the sandboxes hold at the end, checked against what was placed: lost, duplicated, extra.

The verdict comes from the sandboxes' own state (the SFCC instance's orders, the TikTok shops'
recorded shipments), not from Shopwright's store, so a bookkeeping bug in the store cannot hide a
lost or doubled order.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.models import Fulfillment, Order, OrderRoute


@dataclass
class Delivery:
    """One side of the exactly-once check: what should exist downstream, and what does.

    ``lost`` is what the store records as delivered but the sandbox lacks, plus, once the run has
    finished, everything still absent. A run stopped early leaves the rest as ``pending``.
    """

    what: str
    expected: int
    present: int = 0
    lost: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    duplicated: dict[str, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def exactly_once(self) -> bool:
        """Nothing lost, doubled, invented or altered (pending ones only in a run stopped early)."""
        return not (self.lost or self.duplicated or self.unexpected or self.mismatched)

    def classify_absent(self, absent: list[str], claimed: set[str], finished: bool) -> None:
        self.lost = sorted(key for key in absent if finished or key in claimed)
        self.pending = sorted(key for key in absent if not finished and key not in claimed)

    def line(self) -> str:
        verdict = "exactly once" if self.exactly_once else "NOT exactly once"
        pending = f", not yet delivered {len(self.pending)}" if self.pending else ""
        return (
            f"{self.what}: {self.present}/{self.expected} present{pending}, lost {len(self.lost)}, "
            f"duplicated {len(self.duplicated)}, unexpected {len(self.unexpected)}, "
            f"mismatched {len(self.mismatched)} -> {verdict}"
        )


def check_sfcc_orders(
    sfcc_orders: list[dict[str, Any]], numbers: dict[str, str], claimed: set[str], *, finished: bool
) -> Delivery:
    """Every placed TikTok order is one SFCC order with the number derived from its id, and no other.

    ``claimed``: SFCC order numbers whose route the store marks created.
    """
    result = Delivery("orders created in SFCC", len(numbers))
    counts = Counter(order["order_no"] for order in sfcc_orders)
    result.present = sum(1 for number in numbers if counts[number])
    result.classify_absent([n for n in numbers if counts[n] == 0], claimed, finished)
    result.duplicated = {number: count for number, count in counts.items() if count > 1}
    result.unexpected = sorted(number for number in counts if number not in numbers)
    return result


def check_tiktok_shipments(
    shipments: list[dict[str, Any]],
    numbers: dict[str, str],
    tracking: dict[str, str],
    claimed: set[str],
    *,
    finished: bool,
) -> Delivery:
    """Every shipment made in SFCC reached its TikTok order once, as one package with its tracking.

    ``tracking``: SFCC order number -> tracking number it was shipped with; ``claimed``: TikTok
    order ids whose fulfillment the store marks pushed.
    """
    by_tiktok = {tiktok_id: number for number, tiktok_id in numbers.items()}
    result = Delivery("fulfillments on TikTok", len(numbers))
    counts = Counter(shipment["order_id"] for shipment in shipments)
    result.present = sum(1 for tiktok_id in by_tiktok if counts[tiktok_id])
    result.classify_absent([t for t in by_tiktok if counts[t] == 0], claimed, finished)
    result.duplicated = {order_id: count for order_id, count in counts.items() if count > 1}
    result.unexpected = sorted(order_id for order_id in counts if order_id not in by_tiktok)
    for shipment in shipments:
        number = by_tiktok.get(shipment["order_id"])
        if number is not None and shipment.get("tracking_number") != tracking.get(number):
            result.mismatched.append(shipment["order_id"])
    return result


def store_claims(session_factory: sessionmaker[Session]) -> tuple[set[str], set[str]]:
    """What the store says was delivered: SFCC numbers of created routes, TikTok ids pushed."""
    with session_factory() as session:
        created = session.scalars(select(OrderRoute.external_id).where(OrderRoute.state == "created")).all()
        pushed = session.scalars(
            select(Order.external_id)
            .join(Fulfillment, Fulfillment.order_id == Order.id)
            .where(Fulfillment.push_state == "pushed")
        ).all()
    return {n for n in created if n}, set(pushed)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0..1) by the inclusive method; 0.0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[min(98, max(0, round(share * 100) - 1))]


def push_latencies(session_factory: sessionmaker[Session], sfcc_orders: list[dict[str, Any]]) -> list[float]:
    """Seconds from each route becoming pushable to its order existing in SFCC (creation_date)."""
    created = {
        order["order_no"]: datetime.fromisoformat(order["creation_date"].replace("Z", "+00:00"))
        for order in sfcc_orders
    }
    with session_factory() as session:
        rows = session.execute(select(OrderRoute.external_id, OrderRoute.pushable_at)).all()
    return [
        (created[number] - pushable).total_seconds()
        for number, pushable in rows
        if number in created and pushable is not None
    ]


@dataclass(frozen=True)
class RateUse:
    """Requests a sandbox answered over a window, against its configured limit."""

    name: str
    requests: int
    seconds: float
    limit_per_second: float
    answered_5xx: int
    answered_429: int
    detail: str

    @property
    def fraction(self) -> float:
        return self.requests / self.seconds / self.limit_per_second if self.seconds else 0.0

    def line(self) -> str:
        rate = self.requests / max(self.seconds, 1e-9)
        return (
            f"{self.name}: {self.requests} requests in {self.seconds:.0f} s = {rate:.1f}/s of a "
            f"{self.limit_per_second:g}/s limit = {self.fraction:.0%} (answered {self.answered_5xx} "
            f"HTTP 5xx and {self.answered_429} HTTP 429: {self.detail})"
        )


def tiktok_rate_use(name: str, state: dict[str, Any], seconds: float, qps: float) -> RateUse:
    """TikTok: answered calls + gateway rejections + injected faults, against the shop's QPS."""
    calls = sum(state["calls"].values())
    rejections = state["rejections"]
    injected = state["faults_injected"]
    requests = calls + sum(rejections.values()) + sum(injected.values())
    over_limit = int(rejections.get("36009002", 0))
    detail = f"{over_limit} over the shop's limit, the rest injected"
    return RateUse(
        name,
        requests,
        seconds,
        qps,
        int(injected.get("error", 0)),
        int(injected.get("429", 0)) + over_limit,
        detail,
    )


def sfcc_rate_use(name: str, stats: dict[str, Any], seconds: float) -> RateUse:
    """SFCC: every request the instance saw (tokens included), against the per-client limit."""
    by_status = stats["responses_by_status"]
    limit = float(stats["rate_limit_per_second"] or 0) or float("inf")
    detail = f"the 503s injected, the 429s injected or over the limit; {by_status.get('409', 0)} HTTP 409"
    return RateUse(
        name,
        int(stats["requests_total"]),
        seconds,
        limit,
        int(by_status.get("503", 0)),
        int(by_status.get("429", 0)),
        detail,
    )
