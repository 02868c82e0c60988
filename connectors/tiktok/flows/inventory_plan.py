"""What to send TikTok for one SKU: a quantity, a deactivation, or nothing. Pure, no I/O.

available = on hand - committed - buffer, never below zero, capped at what TikTok accepts in one
update. A pre-owned product is a single item: it always lists quantity 1 while in stock and is
deactivated once sold, never set to 0 (a pre-owned listing at 0 would stay live and be re-stocked
by mistake).
"""

from __future__ import annotations

from dataclasses import dataclass
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
