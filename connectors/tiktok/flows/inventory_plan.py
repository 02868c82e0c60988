"""What to send TikTok for one SKU: a quantity, a deactivation, or nothing. Pure, no I/O.

available = on hand - committed - buffer, never below zero, capped at what TikTok accepts in one
update. A pre-owned product is a single item: it always lists quantity 1 while in stock and is
deactivated once sold, never set to 0 (a pre-owned listing at 0 would stay live and be re-stocked
by mistake).

With several warehouses (``decide_split``) the buffer is held back in each warehouse, so no
warehouse lists more than its own locations can ship. A pre-owned item lists its 1 in the warehouse
with the most available stock (the first warehouse id on a tie) and 0 in the others, and is
deactivated when the total over the warehouses is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from store.repositories.inventory import StockTotal

MAX_QUANTITY = 999_999  # UNCERTAIN upper bound per update (reference 3.3); the larger source value
PRE_OWNED = "pre_owned"

Action = Literal["send", "deactivate", "none"]


@dataclass(frozen=True)
class SkuDecision:
    """The outcome for one SKU: ``send`` ``quantity``, ``deactivate`` its product, or ``none``."""

    action: Action
    quantity: int
    available: int


def available_quantity(stock: StockTotal, buffer: int) -> int:
    """Units TikTok may sell: on hand - committed - buffer, floored at 0 and capped."""
    return min(max(0, stock.on_hand - stock.committed - buffer), MAX_QUANTITY)


def one_piece_split(available: Mapping[str, int], units: int) -> dict[str, int]:
    """A pre-owned item's ``units`` (one, or none once sold) in the warehouse with the most stock
    (the lowest id on a tie), 0 in the others."""
    best = min(available, key=lambda warehouse: (-available[warehouse], warehouse))
    return {warehouse: units if warehouse == best else 0 for warehouse in sorted(available)}


def decide(
    stock: StockTotal,
    *,
    buffer: int,
    condition: str,
    pushed_quantity: int | None,
    listing_status: str,
    force: bool,
) -> SkuDecision:
    """Compare the wanted quantity with what was last pushed (``force`` sends it regardless)."""
    available = available_quantity(stock, buffer)
    if condition == PRE_OWNED:
        if listing_status == "inactive":
            # Deactivated after it sold: a person re-lists it on TikTok; a quantity cannot revive it.
            return SkuDecision("none", 0, available)
        if available < 1:
            return SkuDecision("deactivate", 0, available)
        wanted = 1
    else:
        wanted = available
    if force or pushed_quantity != wanted:
        return SkuDecision("send", wanted, available)
    return SkuDecision("none", wanted, available)


@dataclass(frozen=True)
class SplitDecision:
    """The outcome for one SKU sent to several warehouses: ``send`` ``quantities`` (one per warehouse,
    every warehouse listed), ``deactivate`` its product, or ``none``."""

    action: Action
    quantities: dict[str, int] = field(default_factory=dict)
    available: int = 0

    @property
    def total(self) -> int:
        return sum(self.quantities.values())


def decide_split(
    stock: Mapping[str, StockTotal],
    *,
    buffer: int,
    condition: str,
    pushed: Mapping[str, int] | None,
    listing_status: str,
    force: bool,
) -> SplitDecision:
    """Quantities per warehouse id from each warehouse's stock; sent when any differs from ``pushed``
    (what TikTok last accepted per warehouse) or with ``force``."""
    available = {warehouse: available_quantity(total, buffer) for warehouse, total in stock.items()}
    total = sum(available.values())
    if condition == PRE_OWNED:
        if listing_status == "inactive":
            return SplitDecision("none", {}, total)
        if total < 1:
            return SplitDecision("deactivate", {}, total)
        wanted = one_piece_split(available, 1)
    else:
        wanted = dict(sorted(available.items()))
    if force or pushed is None or dict(pushed) != wanted:
        return SplitDecision("send", wanted, total)
    return SplitDecision("none", wanted, total)
