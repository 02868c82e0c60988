"""Where an order is in its lifecycle, in one sentence."""

from __future__ import annotations

from tools.diagnosis.rules.common import ident, when
from tools.diagnosis.snapshot import Snapshot

_AFTER_CREATED = {
    "readyForFulfillment": "waiting for shipment",
    "sentToFulfillment": "sent to fulfillment, waiting for shipment",
    "partialFulfillment": "partly shipped",
    "fulfilled": "shipped",
    "new": "waiting for shipment",
}


def describe_lifecycle(s: Snapshot) -> str:
    """A sentence like "created in SFCC as TT576...; waiting for shipment"."""
    order = s.order
    route = s.route
    if order.status == "onHold":
        return f"on hold until {when(order.hold_until)}" if order.hold_until else "on hold at TikTok"
    if order.fulfillment_type == "platform" and route is None:
        return f"fulfilled by TikTok (status {order.status}); nothing is shipped from SFCC"
    if route is None:
        if order.status == "canceled":
            return "canceled on TikTok before it reached SFCC"
        return f"received from TikTok (status {order.status}); not routed to SFCC yet"
    dest = s.connection_name(route.destination_connection_id)
    number = ident(route.external_id) if route.external_id else "(number not chosen yet)"
    if route.state == "created":
        if order.status == "canceled":
            if route.canceled_downstream_at is not None:
                return f"canceled, in SFCC too (order {number} on {dest})"
            return f"canceled on TikTok; SFCC order {number} on {dest} not canceled yet"
        stage = _AFTER_CREATED.get(order.status, f"status {order.status}")
        return f"created in SFCC as {number} on {dest}; {stage}"
    if route.state == "pending":
        return f"queued for SFCC ({dest}); next attempt at {when(route.next_attempt_at)}"
    if route.state == "sending":
        return f"being pushed to SFCC ({dest}) now"
    if route.state == "failed":
        return f"push to SFCC ({dest}) failed after {route.attempts} attempt(s)"
    return f"route to {dest} is {route.state}"
