"""Which TikTok order lines a shipment covers, read from the live order. Pure, no I/O.

TikTok ships by line id, one line per unit. A Fulfillment row lists, per SKU, the quantity shipped
and the line ids picked when it was pulled; at push time those ids are checked against the live
order (another shipment, or the seller in Seller Center, may have taken them) and topped up with
other open lines of the same SKU.

The live order is also the idempotency check: lines already carrying this shipment's tracking
number mean the package exists on TikTok (an earlier run sent it and lost the answer or its
transaction), so it must not be sent again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.tiktok.schemas import LineItem, Order

_NOT_YET_SHIPPED = (None, "", "TO_FULFILL")


def is_open(line: LineItem) -> bool:
    """A line the seller can still ship: not canceled, no tracking, no package on its way."""
    return (
        line.display_status != "CANCELLED"
        and not line.tracking_number
        and line.package_status in _NOT_YET_SHIPPED
    )


@dataclass
class LineSelection:
    """The line ids to ship, and what could not be covered (SKU -> units short)."""

    line_ids: list[str] = field(default_factory=list)
    short: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return bool(self.line_ids) and not self.short


def wanted_units(lines: Sequence[Mapping[str, Any]]) -> Counter[str]:
    """Units per SKU in a Fulfillment's ``lines``."""
    units: Counter[str] = Counter()
    for line in lines:
        units[str(line.get("sku", ""))] += int(line.get("quantity") or 0)
    return units


def select_lines(lines: Sequence[Mapping[str, Any]], order: Order) -> LineSelection:
    """Pick open line ids for every unit of ``lines``: recorded ids first, then other open ones."""
    open_by_sku: dict[str, list[str]] = {}
    for item in order.line_items:
        if is_open(item):
            open_by_sku.setdefault(item.seller_sku, []).append(item.id)
    selection = LineSelection()
    taken: set[str] = set()
    for line in lines:
        sku = str(line.get("sku", ""))
        quantity = int(line.get("quantity") or 0)
        candidates = open_by_sku.get(sku, [])
        recorded = [str(i) for i in line.get("line_ids") or [] if str(i) in candidates]
        others = sorted(i for i in candidates if i not in recorded)
        chosen = [i for i in recorded + others if i not in taken][:quantity]
        taken.update(chosen)
        selection.line_ids.extend(chosen)
        if len(chosen) < quantity:
            selection.short[sku] = selection.short.get(sku, 0) + quantity - len(chosen)
    return selection


def shipped_package(lines: Sequence[Mapping[str, Any]], tracking_number: str, order: Order) -> str | None:
    """The package id when the live order shows this shipment already on TikTok, else None.

    The recorded line ids decide when all of them carry the tracking number; otherwise enough
    units of every SKU under that tracking number do (the ids may have been substituted).
    """
    ours = [i for i in order.line_items if i.tracking_number == tracking_number and i.package_id]
    if not ours:
        return None
    by_id = {i.id: i for i in ours}
    recorded = [str(i) for line in lines for i in line.get("line_ids") or []]
    if recorded and all(i in by_id for i in recorded):
        return by_id[recorded[0]].package_id
    have = Counter(i.seller_sku for i in ours)
    if all(have[sku] >= units for sku, units in wanted_units(lines).items() if units):
        return ours[0].package_id
    return None


def waiting_package(order: Order, line_ids: Sequence[str]) -> str | None:
    """The TikTok-created package awaiting the seller (TO_FULFILL) that holds exactly these lines.

    Outside the US and UK TikTok creates packages before shipping; such a package is shipped with
    ``ship package`` and the seller's tracking rather than by marking its lines shipped.
    """
    wanted = set(line_ids)
    packages = {i.package_id for i in order.line_items if i.id in wanted}
    if len(packages) != 1:
        return None
    (package_id,) = packages
    if not package_id:
        return None
    members = {i.id for i in order.line_items if i.package_id == package_id}
    statuses = {i.package_status for i in order.line_items if i.id in wanted}
    return package_id if members == wanted and statuses == {"TO_FULFILL"} else None


def record_shipment(order: Order, line_ids: Sequence[str], package_id: str, tracking_number: str) -> None:
    """Apply a shipment to the in-memory live order, so later shipments of it see current lines."""
    wanted = set(line_ids)
    for item in order.line_items:
        if item.id in wanted:
            item.package_id = package_id
            item.package_status = "PROCESSING"
            item.tracking_number = tracking_number


def fully_shipped(order: Order) -> bool:
    """True when no line of ``order`` is left to ship."""
    return not any(is_open(item) for item in order.line_items)
