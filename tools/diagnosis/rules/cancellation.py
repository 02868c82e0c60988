"""A TikTok cancellation that did not cancel the SFCC order."""

from __future__ import annotations

from tools.diagnosis.findings import Finding, quoted
from tools.diagnosis.rules.common import (
    exception_evidence,
    ident,
    on_this_order,
    order_ref,
    setting_location,
)
from tools.diagnosis.snapshot import Snapshot, fault_info


def cancel_not_propagated(s: Snapshot) -> list[Finding]:
    """`order.cancel_not_propagated`: 'canceled' is not a status the connection pushes, or SFCC
    refused the cancellation (an order it shipped or completed already).
    """
    dest = s.destination
    route = s.route
    records = [r for r in s.open_exceptions("order.cancel_not_propagated") if on_this_order(s, r)]
    created = route is not None and route.state == "created" and route.canceled_downstream_at is None
    if dest is None or route is None or s.order.status != "canceled" or not created:
        return []
    statuses = dest.setting("order_statuses_to_push") or []
    evidence = {"connection": dest.name, "order_statuses_to_push": statuses, "sfcc_order": route.external_id}
    evidence |= exception_evidence(records[0]) if records else {}
    if "canceled" not in statuses:
        return [
            Finding(
                code="order.cancel_not_propagated",
                summary=(
                    f"{order_ref(s).capitalize()} was canceled on TikTok but SFCC order "
                    f"{ident(route.external_id)} stays open: 'canceled' is not among the statuses "
                    f"connection {dest.name} pushes. Add it."
                ),
                evidence=evidence,
                next_steps=[
                    f'Add "canceled" to order_statuses_to_push in '
                    f"{setting_location(dest, 'order_statuses_to_push')}.",
                    "Until then, cancel the order by hand in Business Manager.",
                ],
            )
        ]
    if not records:
        return []
    kind = fault_info(records[0]).type
    return [
        Finding(
            code="order.cancel_not_propagated",
            summary=(
                f"{order_ref(s).capitalize()} was canceled on TikTok, but SFCC refused to cancel order "
                f"{ident(route.external_id)} ({f'fault {quoted(kind)}' if kind else 'no fault type'}), most "
                "likely because it is shipped or completed. Cancel or return it in Business Manager."
            ),
            evidence=evidence,
            next_steps=[
                "Open the order in Business Manager > Merchant Tools > Ordering > Orders; cancel it, or "
                "start a return if it has shipped.",
                "Stop the parcel with the carrier if it is still on its way.",
            ],
        )
    ]


RULES = [cancel_not_propagated]
