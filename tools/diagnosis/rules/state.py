"""State rules: an order that is held, or that the settings never push."""

from __future__ import annotations

from typing import Any

from tools.diagnosis.findings import Finding, quoted
from tools.diagnosis.rules.common import exception_evidence, order_ref, setting_location, when
from tools.diagnosis.snapshot import Snapshot


def on_hold(s: Snapshot) -> list[Finding]:
    """`order.on_hold`: not a failure; say when the hold ends."""
    if s.order.status != "onHold":
        return []
    until = s.order.hold_until
    evidence: dict[str, Any] = {
        "hold_until": until.isoformat() if until else None,
        "channel_status": s.order.channel_status,
        "hold_window_minutes": s.source.setting("hold_window_minutes"),
    }
    if until is not None and until > s.now:
        summary = (
            f"{order_ref(s).capitalize()} is on hold until {when(until)} (buyers may still change it); "
            "it goes to SFCC after that. Nothing to do."
        )
        steps: list[str] = []
    elif until is not None:
        summary = (
            f"{order_ref(s).capitalize()}'s hold ended at {when(until)}; the next TikTok order run releases "
            "it. If it stays on hold, check that flow with flow_status."
        )
        steps = ["Run flow_status and check the TikTok orders flow of the connection ran since then."]
    else:
        summary = (
            f"TikTok itself still holds {order_ref(s)} (TikTok status {quoted(s.order.channel_status)}); "
            "Shopwright releases it when TikTok does. Nothing to do."
        )
        steps = []
    return [Finding(code="order.on_hold", summary=summary, evidence=evidence, next_steps=steps)]


def status_not_pushed(s: Snapshot) -> list[Finding]:
    """`order.status_not_pushed`: push off, status not pushed, or source channel filtered out."""
    records = s.open_exceptions("order.status_not_pushed")
    route = s.route
    if s.order.status in ("onHold",) or (route is not None and (route.state != "pending" or route.attempts)):
        return []
    if s.order.status == "canceled" and route is None:
        return []  # canceled before it reached SFCC: nothing needs pushing
    dest = s.destination
    extra = exception_evidence(records[0]) if records else {}
    if dest is None:
        return [
            Finding(
                code="order.status_not_pushed",
                summary=(
                    f"{order_ref(s).capitalize()} is not routed to SFCC: the store has no single "
                    f"SFCC connection "
                    "to push it to. Configure one SFCC connection, or check which one should receive it."
                ),
                evidence={
                    "sfcc_connections": sorted(v.name for v in s.connections.values() if v.type == "sfcc")
                }
                | extra,
                next_steps=["Add or check the [connections.<name>] table of type sfcc in shopwright.toml."],
            )
        ]
    findings = []
    statuses = list(dest.setting("order_statuses_to_push") or [])
    channels = list(dest.setting("push_source_channels") or [])
    base = {
        "connection": dest.name,
        "order_status": s.order.status,
        "order_statuses_to_push": statuses,
        "push_orders": dest.setting("push_orders"),
        "source_channel": s.order.source_channel,
        "push_source_channels": channels,
    } | extra
    if not dest.setting("push_orders"):
        findings.append(
            _finding(
                s,
                f"pushing orders is switched off on connection {dest.name}",
                f"Set push_orders = true in {setting_location(dest, 'push_orders')}.",
                base,
            )
        )
    status = s.order.status
    reaches_pushed = status in statuses or (status == "new" and "readyForFulfillment" in statuses)
    if not reaches_pushed:
        findings.append(
            _finding(
                s,
                f"its status {status} is not among the statuses connection {dest.name} pushes",
                f'Add "{status}" to order_statuses_to_push in '
                f"{setting_location(dest, 'order_statuses_to_push')}.",
                base,
            )
        )
    if channels and s.order.source_channel not in channels:
        findings.append(
            _finding(
                s,
                f"its source channel {quoted(s.order.source_channel)} is not among the channels connection "
                f"{dest.name} pushes",
                f"Add it to push_source_channels in {setting_location(dest, 'push_source_channels')}, "
                "or empty that list to push every channel.",
                base,
            )
        )
    return findings


def _finding(s: Snapshot, why: str, step: str, evidence: dict[str, Any]) -> Finding:
    return Finding(
        code="order.status_not_pushed",
        summary=f"{order_ref(s).capitalize()} is not pushed to SFCC because {why}. {step}",
        evidence=evidence,
        next_steps=[step, "The daemon picks the order up on its next push run after the change."],
    )


RULES = [on_hold, status_not_pushed]
