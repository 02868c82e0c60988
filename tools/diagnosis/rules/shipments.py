"""Shipments that reached Shopwright from SFCC but that TikTok did not take.

The fulfillment push marks such a shipment ``failed`` and never sends it again on its own (a
second package on TikTok must not happen), so each finding says what to do by hand and offers to
close the failure once it is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store.models import ExceptionRecord, Fulfillment
from tools.diagnosis.findings import Finding, Fix, quoted
from tools.diagnosis.rules.common import exception_evidence, ident, order_ref, raw_fault, setting_location
from tools.diagnosis.snapshot import Snapshot

CLOSE_STEP = (
    "Once that is done, close this failure with resolve_exception: the shipment is not sent to TikTok "
    "again on its own."
)

# (why, what to do in one sentence, the steps)
Explain = Callable[[Snapshot, ExceptionRecord, str], tuple[str, str, list[str]]]


def _tracking_missing(s: Snapshot, record: ExceptionRecord, ship: str) -> tuple[str, str, list[str]]:
    return (
        f"{ship} has no tracking number, and TikTok takes no package without one",
        "Enter its tracking number in TikTok Seller Center",
        [
            "Enter the tracking number of these lines in TikTok Seller Center (Orders > the order > Ship).",
            "Check why SFCC shipped it without one: the shipment's tracking number and carrier fields.",
        ],
    )


def _order_canceled(s: Snapshot, record: ExceptionRecord, ship: str) -> tuple[str, str, list[str]]:
    steps = ["Stop the parcel with the carrier if you still can, or arrange its return."]
    route = s.route
    if route is not None and route.state == "created" and route.canceled_downstream_at is None:
        where = setting_location(s.destination, "order_statuses_to_push") if s.destination else "the settings"
        steps.append(
            f'SFCC order {ident(route.external_id)} was never canceled: add "canceled" to '
            f"order_statuses_to_push in {where}."
        )
    return f"{ship} was not pushed: the order is canceled on TikTok", "Stop or recall the parcel", steps


def _order_not_found(s: Snapshot, record: ExceptionRecord, ship: str) -> tuple[str, str, list[str]]:
    return (
        f"TikTok does not return the order for the shop of connection {s.source.name}, so {ship} was not "
        "pushed",
        "Find the order's shop in TikTok Seller Center and ship it there",
        [
            f"Search the order in TikTok Seller Center of the shop connection {s.source.name} is "
            "authorised for; if another shop owns it, ship it there by hand.",
        ],
    )


def _lines_unavailable(s: Snapshot, record: ExceptionRecord, ship: str) -> tuple[str, str, list[str]]:
    short = raw_fault(record).get("short")
    items = ", ".join(f"{units} x {quoted(sku)}" for sku, units in sorted(dict(short or {}).items()))
    return (
        f"TikTok has no open line left for {items or 'its items'} of {ship} (already shipped or "
        "canceled there)",
        "Compare the order on TikTok with the SFCC shipment",
        [
            "Compare the order's packages in TikTok Seller Center with the SFCC shipment.",
            "Ship any line still open by hand in Seller Center.",
        ],
    )


def _fulfillment_rejected(s: Snapshot, record: ExceptionRecord, ship: str) -> tuple[str, str, list[str]]:
    code = raw_fault(record).get("code")
    return (
        f"TikTok refused {ship}"
        + (f" (TikTok code {code})" if code is not None else "")
        + "; TikTok's message is in the evidence",
        "Ship the lines by hand in TikTok Seller Center",
        ["Read TikTok's message in the evidence, then ship the lines by hand in TikTok Seller Center."],
    )


EXPLAIN: dict[str, Explain] = {
    "fulfillment.tracking_missing": _tracking_missing,
    "fulfillment.order_canceled": _order_canceled,
    "tiktok.order_not_found": _order_not_found,
    "tiktok.fulfillment_lines_unavailable": _lines_unavailable,
    "tiktok.fulfillment_rejected": _fulfillment_rejected,
}


def _shipment(s: Snapshot, record: ExceptionRecord) -> Fulfillment | None:
    return next((f for f in s.fulfillments if record.entity_id in (f.external_id, str(f.id))), None)


def shipments_not_taken(s: Snapshot) -> list[Finding]:
    """`fulfillment.tracking_missing`, `fulfillment.order_canceled`, `tiktok.order_not_found`,
    `tiktok.fulfillment_lines_unavailable`, `tiktok.fulfillment_rejected`: a shipment of the order
    TikTok did not take; what to do by hand, then close the failure.
    """
    findings = []
    for record in s.exceptions:
        explain = EXPLAIN.get(record.code)
        if explain is None or record.entity_type != "fulfillment":
            continue
        shipment = _shipment(s, record)
        ship = f"shipment {ident(record.entity_id)} of {order_ref(s)}"
        why, action, steps = explain(s, record, ship)
        evidence: dict[str, Any] = exception_evidence(record) | {
            "shipment": record.entity_id,
            "carrier": shipment.carrier if shipment else None,
            "tracking_number": shipment.tracking_number if shipment else None,
            "push_state": shipment.push_state if shipment else None,
            "lines": shipment.lines if shipment else None,
            "order_status": s.order.status,
            "tiktok_status": s.order.channel_status,
        }
        findings.append(
            Finding(
                code=record.code,
                summary=f"{why[0].upper()}{why[1:]}. {action}, then close this failure.",
                evidence=evidence,
                fix=Fix(tool="resolve_exception", arguments={"exception_id": record.id}),
                next_steps=[*steps, CLOSE_STEP],
            )
        )
    return findings


RULES = [shipments_not_taken]
