"""Reading a person's request without a model: which tool, with which values.

Only the person's own words are parsed here; tool output never chooses a tool. Arguments are
filled by matching slots (an order id, a SKU, a proposal number) to the tool's input schema,
so the offline backend follows whatever field names the tool contract declares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.backends.base import ToolSpec

# Field names a slot may take in a tool's input model, in order of preference.
SLOT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "order_id": ("order_id", "order", "external_id", "order_external_id", "order_number"),
    "sku": ("sku", "seller_sku", "master_sku", "query", "tiktok_sku"),
    "exception_id": ("exception_id", "id"),
    "proposal_id": ("proposal_id", "id"),
    # "map SRC to DST": the left side names what TikTok sends, the right side what SFCC expects.
    "src": ("sku", "tiktok_sku", "delivery_option", "carrier", "source"),
    "dst": ("channel_sku", "sfcc_sku", "shipping_method_id", "shipping_provider_id", "payment_method_id"),
    "connection": ("connection", "connection_name"),
}
_ON_CONNECTION = re.compile(
    r"\s+on\s+(?:connection\s+)?[`'\"]?([A-Za-z0-9_-]+)[`'\"]?\s*[.!]?$", re.IGNORECASE
)

# "order 1234567" (any id said as an order), or a bare TikTok-length id (TikTok's are 18 digits).
_ORDER = re.compile(r"\border\s*(?:id\s*|no\.?\s*|number\s*)?#?\s*(\d{6,20})\b|\b(\d{15,20})\b", re.I)
_SKU = re.compile(r"\b(?:sku|product)\s+[`'\"]?([^\s`'\"?,]+)", re.IGNORECASE)
_MAP = re.compile(
    r"\bmap\s+(?P<kind>sku|shipping(?:\s+(?:option|method))?|delivery(?:\s+option)?|payment(?:\s+method)?|carrier)?"
    r"\s*[`'\"]?(?P<src>.+?)[`'\"]?\s*(?:->|→|\bto\b)\s*[`'\"]?(?P<dst>[^`'\"]+?)[`'\"]?\s*[.!]?$",
    re.IGNORECASE,
)
_PROPOSAL = re.compile(
    r"\b(approve|apply|accept|reject|decline)\s+(?:the\s+)?(?:attribute\s+)?proposal\s*#?(\d+)", re.I
)
_EXCEPTION_ID = re.compile(r"\bexception\s*#?(\d+)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Intent:
    """What the person asked for: a tool call, the "apply the fix" chain, or help."""

    kind: str  # "call", "apply_fix", "help"
    tool: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    positional: tuple[str, ...] = ()


def read_intent(text: str) -> Intent:
    """Map one message to an intent; unknown requests get help, never a guess."""
    lowered = text.lower()
    order = _ORDER.search(text)
    order_slots = {"order_id": order.group(1) or order.group(2)} if order else {}
    if re.search(r"\b(apply|do)\s+(the\s+|that\s+|this\s+)?fix\b|\bfix\s+(it|that|this|order)\b", lowered):
        return Intent("apply_fix", slots=order_slots)
    if (proposal := _PROPOSAL.search(text)) is not None:
        verb = proposal.group(1).lower()
        tool = "reject_attribute_proposal" if verb in ("reject", "decline") else "apply_attribute_proposal"
        return Intent("call", tool, {"proposal_id": int(proposal.group(2))})
    on = _ON_CONNECTION.search(text.strip())
    request = text.strip()[: on.start()] if on else text.strip()
    if (mapping := _MAP.search(request)) is not None:
        kind = (mapping.group("kind") or "sku").lower()
        tool = (
            "map_shipping_method"
            if kind.startswith(("shipping", "delivery"))
            else "map_payment_method"
            if kind.startswith("payment")
            else "map_carrier"
            if kind.startswith("carrier")
            else "map_sku"
        )
        slots = {"src": mapping.group("src").strip(), "dst": mapping.group("dst").strip()}
        if on:
            slots["connection"] = on.group(1)
        return Intent("call", tool, slots)
    exception = _EXCEPTION_ID.search(text)
    if exception and re.search(r"\b(resolve|dismiss|close)\b", lowered):
        closing: dict[str, Any] = {"exception_id": int(exception.group(1))}
        if re.search(r"\bdismiss", lowered):
            closing["outcome"] = "dismissed"
        return Intent("call", "resolve_exception", closing)
    if exception:
        return Intent("call", "explain_exception", {"exception_id": int(exception.group(1))})
    if order and re.search(r"\b(retry|re-?push|re-?send|push\b.*\bagain)\b", lowered):
        return Intent("call", "retry_order_push", order_slots)
    if order and re.search(r"\b(status|where is|show|details?)\b", lowered) and "fail" not in lowered:
        return Intent("call", "get_order", order_slots)
    if order:
        return Intent("call", "diagnose_order", order_slots)
    return _read_catalog_or_health(text, lowered)


def _read_catalog_or_health(text: str, lowered: str) -> Intent:
    sku_match = _SKU.search(text)
    sku = {"sku": sku_match.group(1)} if sku_match else {}
    if "unmapped" in lowered:
        return Intent("call", "list_unmapped_skus")
    if re.search(r"\borders\b", lowered):
        return Intent("call", "search_orders", _order_filters(lowered))
    if "proposal" in lowered:
        return Intent("call", "list_attribute_proposals")
    if sku and re.search(r"\b(suggest|fill|missing)\b", lowered) and "attribute" in lowered:
        return Intent("call", "suggest_attributes_for_sku", sku)
    if sku and re.search(r"\b(inventory|stock|available)\b", lowered):
        return Intent("call", "inventory_for_sku", sku)
    if sku and re.search(r"\bproduct\b", lowered):
        return Intent("call", "get_product", sku)
    if sku:
        return Intent("call", "find_sku", sku)
    if re.search(r"\b(exceptions?|failures?|errors?|broken|alerts?|failing)\b", lowered):
        return Intent("call", "list_exceptions")
    if re.search(r"\b(connections?|credentials?|auth)\b", lowered):
        return Intent("call", "connection_health")
    if re.search(r"\b(flows?|sync|daemon|health|healthy)\b", lowered):
        return Intent("call", "flow_status")
    return Intent("help")


def _order_filters(lowered: str) -> dict[str, Any]:
    """Filters for "which orders failed?", "orders on hold", "canceled orders"."""
    if re.search(r"\b(fail(ed|ing|s)?|rejected|stuck)\b", lowered):
        return {"route_state": "failed"}
    if "on hold" in lowered or "onhold" in lowered:
        return {"status": "onHold"}
    if re.search(r"\bcancel+ed\b", lowered):
        return {"status": "canceled"}
    return {}


def fill_arguments(
    spec: ToolSpec, slots: Mapping[str, Any], positional: Sequence[str] = ()
) -> dict[str, Any]:
    """Arguments for ``spec`` from named slots, then positional values for the remaining required fields."""
    properties: dict[str, Any] = spec.parameters.get("properties", {})
    required = [name for name in properties if name in set(spec.parameters.get("required", []))]
    arguments: dict[str, Any] = {}
    for slot, value in slots.items():
        for name in SLOT_FIELDS.get(slot, (slot,)):
            if name in properties and name not in arguments:
                arguments[name] = _coerce(properties[name], value)
                break
    remaining = [name for name in required if name not in arguments]
    for name, value in zip(remaining, positional, strict=False):
        arguments[name] = _coerce(properties[name], value)
    return arguments


def _coerce(schema: Mapping[str, Any], value: Any) -> Any:
    kinds = {schema.get("type")} | {option.get("type") for option in schema.get("anyOf", [])}
    if "integer" in kinds and isinstance(value, str) and value.isdigit():
        return int(value)
    if "string" in kinds and isinstance(value, int):
        return str(value)
    return value
