"""Small helpers every rule module shares: evidence from exception rows, names, times."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from connectors.config import env_var_for_secret
from store.models import ExceptionRecord
from tools.connections import ConnectionView
from tools.diagnosis.findings import Finding, quoted
from tools.diagnosis.snapshot import Snapshot, fault_info

Rule = Callable[[Snapshot], list[Finding]]

_PLAIN = re.compile(r"^[A-Za-z0-9_.:@/-]{1,64}$")
AWAITING_SHIPMENT = ("readyForFulfillment", "sentToFulfillment", "partialFulfillment")


def ident(value: Any) -> str:
    """An id shown bare when it is a plain token (order numbers, connection names), else quoted."""
    text = str(value)
    return text if _PLAIN.match(text) else quoted(text)


def order_ref(s: Snapshot) -> str:
    return f"order {ident(s.order.external_id)}"


def when(moment: datetime | None) -> str:
    return "unknown time" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def exception_evidence(record: ExceptionRecord) -> dict[str, Any]:
    """The stored failure as plain fields: what the downstream system said stays data."""
    fault = fault_info(record)
    return {
        "exception_id": record.id,
        "code": record.code,
        "entity": f"{record.entity_type}:{record.entity_id}",
        "message": record.message,
        "fault_type": fault.type,
        "fault_message": fault.message,
        "fault_arguments": fault.arguments,
        "count": record.count,
        "first_seen_at": record.first_seen_at.isoformat(),
        "last_seen_at": record.last_seen_at.isoformat(),
    }


def on_this_order(s: Snapshot, record: ExceptionRecord) -> bool:
    """Whether the record is about the order itself (rather than its connection or a SKU)."""
    if record.entity_type == "order":
        return record.entity_id in (s.order.external_id, str(s.order.id))
    if record.entity_type == "order_route":
        return any(record.entity_id == str(route.id) for route in s.routes)
    return False


def setting_location(connection: ConnectionView, field_name: str, *, secret: bool = False) -> str:
    """Where a person changes one setting of a connection."""
    if secret:
        return (
            f"the environment variable {env_var_for_secret(connection.name, field_name)} or "
            f"[connections.{connection.name}] in the secrets file"
        )
    return f"`{field_name}` under [connections.{connection.name}] in shopwright.toml"


def awaiting_push(s: Snapshot) -> bool:
    """The order still has to be created in SFCC (no route yet, or a route not created)."""
    if s.destination is None or s.order.status in ("onHold", "canceled"):
        return False
    route = s.route
    return route is None or route.state in ("pending", "sending", "failed")


def pushes_enabled(s: Snapshot) -> bool:
    """Whether the destination's settings would push this order's status at all."""
    if s.destination is None or not s.destination.setting("push_orders"):
        return False
    statuses = s.destination.setting("order_statuses_to_push") or []
    return s.order.status in statuses or (s.order.status == "new" and "readyForFulfillment" in statuses)


def record_connection(s: Snapshot, record: ExceptionRecord) -> ConnectionView | None:
    """The connection a record belongs to: its connection id, or the connection it is about."""
    if record.connection_id is not None and record.connection_id in s.connections:
        return s.connections[record.connection_id]
    if record.entity_type == "connection":
        return next((c for c in s.connections.values() if c.name == record.entity_id), None)
    return None


def next_run(s: Snapshot, connection: str, flow: str | None) -> datetime | None:
    """When the daemon next runs ``flow`` of ``connection`` (any of its flows when ``flow`` is None)."""
    dues = [
        lease.next_due_at
        for lease in s.leases
        if lease.connection_name == connection
        and lease.next_due_at is not None
        and (flow is None or lease.flow_name == flow)
    ]
    return min(dues) if dues else None


def raw_fault(record: ExceptionRecord) -> dict[str, Any]:
    """The stored fault when it is a JSON object (what the flows store), else an empty one."""
    return dict(record.fault) if isinstance(record.fault, dict) else {}
