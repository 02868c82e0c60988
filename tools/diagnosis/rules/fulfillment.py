"""Fulfillment rules: shipments that never come back from SFCC or never reach TikTok."""

from __future__ import annotations

from typing import Any

from tools.diagnosis.findings import Finding, Fix, quoted
from tools.diagnosis.rules.common import (
    AWAITING_SHIPMENT,
    exception_evidence,
    order_ref,
    setting_location,
)
from tools.diagnosis.snapshot import Snapshot


def fulfillment_not_pulled(s: Snapshot) -> list[Finding]:
    """`fulfillment.not_pulled`: the SFCC pull or the TikTok push of fulfillments is off."""
    records = s.open_exceptions("fulfillment.not_pulled")
    route = s.route
    created = route is not None and route.state == "created"
    if s.order.fulfillment_type != "seller" or not (records or created):
        return []
    waiting = s.order.status in AWAITING_SHIPMENT
    unpushed = [f for f in s.fulfillments if f.push_state != "pushed"]
    findings = []
    extra: dict[str, Any] = exception_evidence(records[0]) if records else {}
    dest = s.destination
    if dest is not None and waiting and not dest.setting("pull_fulfillments"):
        findings.append(
            Finding(
                code="fulfillment.not_pulled",
                summary=(
                    f"Shipments of {order_ref(s)} are never read from SFCC: pulling fulfillment "
                    f"information is "
                    f"off on connection {dest.name}. Switch it on."
                ),
                evidence={"connection": dest.name, "pull_fulfillments": False} | extra,
                next_steps=[
                    f"Set pull_fulfillments = true in {setting_location(dest, 'pull_fulfillments')}."
                ],
            )
        )
    if (waiting or unpushed) and not s.source.setting("push_fulfillments"):
        findings.append(
            Finding(
                code="fulfillment.not_pulled",
                summary=(
                    f"Shipments of {order_ref(s)} never reach TikTok: pushing fulfillments is off "
                    f"on connection "
                    f"{s.source.name}. Switch it on."
                ),
                evidence={
                    "connection": s.source.name,
                    "push_fulfillments": False,
                    "unpushed_fulfillments": [f.external_id for f in unpushed],
                }
                | extra,
                next_steps=[
                    f"Set push_fulfillments = true in {setting_location(s.source, 'push_fulfillments')}."
                ],
            )
        )
    if records and not findings:
        findings.append(
            Finding(
                code="fulfillment.not_pulled",
                summary=(
                    f"Fulfillment data for {order_ref(s)} is missing, though both fulfillment flows are on. "
                    "Check the last runs of the SFCC fulfillment pull with flow_status."
                ),
                evidence=extra,
                next_steps=["Run flow_status and connection_health for both connections."],
            )
        )
    return findings


def carrier_unsupported(s: Snapshot) -> list[Finding]:
    """`tiktok.carrier_unsupported`: the carrier is not offered for the order and no fallback applies."""
    records = s.open_exceptions("tiktok.carrier_unsupported")
    failed = [f for f in s.fulfillments if f.push_state == "failed"]
    if not records:
        return []
    record = records[0]
    shipment = next((f for f in s.fulfillments if record.entity_id in (f.external_id, str(f.id))), None)
    shipment = shipment or (failed[0] if failed else None)
    carrier = shipment.carrier if shipment else None
    use_fallback = s.source.setting("use_fallback_carrier")
    fallback_id = s.source.setting("fallback_shipping_provider_id")
    mapped = {m.source: m.target for m in s.mapping_rows("carrier", s.source)}
    steps = [
        "Map the carrier to one of the shipping providers TikTok offers for the order's delivery option.",
        f"Or set use_fallback_carrier = true and fallback_shipping_provider_id in "
        f"{setting_location(s.source, 'use_fallback_carrier')}.",
    ]
    if use_fallback and not fallback_id:
        steps.insert(0, "use_fallback_carrier is on but fallback_shipping_provider_id is empty; set it.")
    what = f"carrier {quoted(carrier)}" if carrier else "the shipment's carrier"
    return [
        Finding(
            code="tiktok.carrier_unsupported",
            summary=(
                f"TikTok refused the tracking of {order_ref(s)}: {what} is not a shipping provider "
                f"TikTok offers "
                "for this order, and no fallback carrier applies. Map the carrier or enable the fallback."
            ),
            evidence=exception_evidence(record)
            | {
                "carrier": carrier,
                "tracking_number": shipment.tracking_number if shipment else None,
                "carrier_mappings": mapped,
                "use_fallback_carrier": use_fallback,
                "fallback_shipping_provider_id": fallback_id,
            },
            fix=Fix(
                tool="map_carrier",
                arguments={"connection": s.source.name, "carrier": carrier},
                missing_arguments=["shipping_provider_id"],
            )
            if carrier
            else None,
            next_steps=steps,
        )
    ]


RULES = [fulfillment_not_pulled, carrier_unsupported]
