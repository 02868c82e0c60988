"""Routing rules: what SFCC needs to accept an order (customer, shipping, payment, products)."""

from __future__ import annotations

from typing import Any

from tools.diagnosis.findings import Finding, Fix, quoted
from tools.diagnosis.rules.common import (
    awaiting_push,
    exception_evidence,
    ident,
    order_ref,
    setting_location,
)
from tools.diagnosis.snapshot import Snapshot, fault_info

_UNKNOWN_PRODUCT_FAULTS = {"InvalidProductItemException", "InvalidProductIdException", "product-not-found"}
_NOT_ORDERABLE_FAULTS = {
    "ProductItemNotAvailableException",
    "product-item-not-available",
    "InvalidProductItemQuantityException",
}


def known_shipping_methods(s: Snapshot) -> list[str]:
    """SFCC shipping method ids the store knows for the destination site.

    The store keeps no copy of the site's method list, so this is what the evidence holds: ids a
    fault listed as applicable, and ids already mapped (which the site accepted or will be asked for).
    """
    found: set[str] = set()
    for record in s.exceptions:
        applicable = fault_info(record).arguments.get("applicable_shipping_methods")
        if isinstance(applicable, list):
            found |= {str(m.get("id") if isinstance(m, dict) else m) for m in applicable}
    found |= {method for method, _ in s.shipping_mapping().values()}
    return sorted(found)


def _methods_step(s: Snapshot, rejected: Any = None) -> str:
    # A method SFCC just rejected is no candidate, even though a mapping still names it.
    methods = [m for m in known_shipping_methods(s) if rejected is None or m != rejected]
    if not methods:
        return (
            "The store holds no list of the site's shipping methods: find the ids in Business Manager > "
            "Merchant Tools > Ordering > Shipping Methods."
        )
    return "Shipping method ids known for this site: " + ", ".join(quoted(m) for m in methods) + "."


def customer_missing(s: Snapshot) -> list[Finding]:
    """`sfcc.customer_missing`: generic customer unset or unknown, or a strategy TikTok cannot serve."""
    dest = s.destination
    records = s.open_exceptions("sfcc.customer_missing")
    if dest is None or not (records or awaiting_push(s)):
        return []
    strategy = dest.setting("customer_strategy")
    number = dest.setting("generic_customer_number")
    evidence: dict[str, Any] = {
        "connection": dest.name,
        "customer_strategy": strategy,
        "generic_customer_number": number,
    }
    if records:
        evidence |= exception_evidence(records[0])
    if strategy != "generic_customer":
        summary = (
            f"SFCC cannot get a customer for {order_ref(s)}: connection {dest.name} matches customers by "
            "email or company, which TikTok orders do not carry. Switch to the generic customer strategy."
        )
        steps = [
            f'Set customer_strategy = "generic_customer" in {setting_location(dest, "customer_strategy")}.'
        ]
        if not number:
            steps.append(
                f"Also set the generic customer number in "
                f"{setting_location(dest, 'generic_customer_number')}."
            )
    elif not number:
        summary = (
            f"SFCC cannot get a customer for {order_ref(s)}: the generic customer number of connection "
            f"{dest.name} is not set. Set it to an existing SFCC customer number."
        )
        steps = [f"Set generic_customer_number in {setting_location(dest, 'generic_customer_number')}."]
    elif records:
        summary = (
            f"SFCC rejected {order_ref(s)} because generic customer {ident(number)} of connection "
            f"{dest.name} "
            "is not a customer SFCC knows. Check the number, or create that customer."
        )
        steps = [
            "Look up the customer number in Business Manager > Merchant Tools > Customers.",
            f"Correct it in {setting_location(dest, 'generic_customer_number')}, then retry the order.",
        ]
    else:
        return []
    return [Finding(code="sfcc.customer_missing", summary=summary, evidence=evidence, next_steps=steps)]


def shipping_method_missing(s: Snapshot) -> list[Finding]:
    """`mapping.shipping_method_missing`: the delivery option has no SFCC shipping method."""
    dest = s.destination
    records = s.open_exceptions("mapping.shipping_method_missing")
    if dest is None or not (records or awaiting_push(s)):
        return []
    option = s.order.shipping_option
    mapping = s.shipping_mapping()
    if option is not None and option in mapping:
        return []
    evidence: dict[str, Any] = {
        "connection": dest.name,
        "delivery_option": option,
        "mapped_options": sorted(mapping),
    }
    if records:
        evidence |= exception_evidence(records[0])
    if option is None:
        return [
            Finding(
                code="mapping.shipping_method_missing",
                summary=(
                    f"{order_ref(s).capitalize()} carries no TikTok delivery option, so no SFCC shipping "
                    "method can be chosen for it. Check the order's raw payload from TikTok."
                ),
                evidence=evidence,
                next_steps=["Read the order with get_order and check its delivery option on TikTok."],
            )
        ]
    return [
        Finding(
            code="mapping.shipping_method_missing",
            summary=(
                f"{order_ref(s).capitalize()} was not pushed: TikTok delivery option {quoted(option)} has no "
                f"SFCC shipping method on connection {dest.name}. Map it to a shipping method id of the site."
            ),
            evidence=evidence,
            fix=Fix(
                tool="map_shipping_method",
                arguments={"connection": dest.name, "delivery_option": option},
                missing_arguments=["shipping_method_id"],
            ),
            next_steps=[_methods_step(s), "After mapping, retry the order with retry_order_push."],
        )
    ]


def invalid_shipping_method(s: Snapshot) -> list[Finding]:
    """`sfcc.invalid_shipping_method`: the mapped id is one SFCC does not have."""
    records = s.open_exceptions("sfcc.invalid_shipping_method")
    if not records or s.destination is None:
        return []
    option = s.order.shipping_option
    mapped = s.shipping_mapping().get(option or "")
    fault = fault_info(records[0])
    method = mapped[0] if mapped else fault.arguments.get("shipping_method_id")
    what = f"shipping method {quoted(method)}" if method else "the shipping method"
    return [
        Finding(
            code="sfcc.invalid_shipping_method",
            summary=(
                f"SFCC rejected {order_ref(s)}: {what} is not valid on site "
                f"{ident(s.destination.setting('site_id'))}. Map delivery option {quoted(option)} to a "
                "shipping method id the site has."
            ),
            evidence=exception_evidence(records[0])
            | {
                "delivery_option": option,
                "mapped_method": method,
                "mapped_in": mapped[1] if mapped else None,
            },
            fix=Fix(
                tool="map_shipping_method",
                arguments={"connection": s.destination.name, "delivery_option": option},
                missing_arguments=["shipping_method_id"],
            ),
            next_steps=[_methods_step(s, method), "After remapping, retry the order with retry_order_push."],
        )
    ]


def invalid_payment_method(s: Snapshot) -> list[Finding]:
    """`sfcc.invalid_payment_method`: no payment mapping applies, or SFCC rejects the mapped id."""
    dest = s.destination
    records = s.open_exceptions("sfcc.invalid_payment_method")
    if dest is None or not (records or awaiting_push(s)):
        return []
    target = s.payment_target()
    source = s.payment_method or "*"
    evidence: dict[str, Any] = {
        "connection": dest.name,
        "tiktok_payment_method": s.payment_method,
        "mapped_payment_method": target[0] if target else None,
    }
    if records:
        evidence |= exception_evidence(records[0])
    if target is None:
        return [
            Finding(
                code="sfcc.invalid_payment_method",
                summary=(
                    f"{order_ref(s).capitalize()} has no SFCC payment method: no payment mapping of "
                    f"connection "
                    f"{dest.name} applies to it. Map it to the dedicated TikTok payment method (e.g. TTS)."
                ),
                evidence=evidence,
                fix=Fix(
                    tool="map_payment_method",
                    arguments={"connection": dest.name, "source": "*"},
                    missing_arguments=["payment_method_id"],
                ),
                next_steps=[
                    "Create a payment method such as TTS in Business Manager > Merchant Tools > "
                    "Ordering > Payment Methods if the site has none for TikTok."
                ],
            )
        ]
    if not records:
        return []
    return [
        Finding(
            code="sfcc.invalid_payment_method",
            summary=(
                f"SFCC rejected {order_ref(s)}: payment method {quoted(target[0])} (from the "
                f"{target[1]}) is not "
                "a payment method the site has. Create it in SFCC or map a method id the site has."
            ),
            evidence=evidence,
            fix=Fix(
                tool="map_payment_method",
                arguments={"connection": dest.name, "source": source},
                missing_arguments=["payment_method_id"],
            ),
            next_steps=[
                "Check Business Manager > Merchant Tools > Ordering > Payment Methods for the id "
                "and that it is enabled.",
                "Then retry the order with retry_order_push.",
            ],
        )
    ]


def product_unavailable(s: Snapshot) -> list[Finding]:
    """`sfcc.product_unavailable`: SFCC refused an item of the order."""
    findings = []
    for record in s.open_exceptions("sfcc.product_unavailable"):
        fault = fault_info(record)
        sku = (
            fault.arguments.get("product_id")
            or fault.arguments.get("productId")
            or fault.arguments.get("sku")
        )
        if sku is None and record.entity_type in ("sku", "product"):
            sku = record.entity_id
        if fault.type in _UNKNOWN_PRODUCT_FAULTS:
            why = "is unknown to the site or outside its catalog"
        elif fault.type in _NOT_ORDERABLE_FAULTS:
            why = "is not orderable (offline, not in stock or not available)"
        else:
            why = "is unknown, offline, outside the site catalog or not orderable"
        item = f"product {quoted(sku)}" if sku else "a product of the order"
        fix = None
        if sku and s.destination is not None:
            fix = Fix(
                tool="map_sku",
                arguments={"connection": s.destination.name, "sku": str(sku)},
                missing_arguments=["channel_sku"],
            )
        findings.append(
            Finding(
                code="sfcc.product_unavailable",
                summary=f"SFCC rejected {order_ref(s)}: {item} {why}. Check the product in SFCC, or "
                f"map the SKU "
                "SFCC uses for it.",
                evidence=exception_evidence(record) | {"sku": sku},
                fix=fix,
                next_steps=[
                    "In Business Manager > Merchant Tools > Products, check the product is online, assigned "
                    "to the site catalog, and orderable with inventory.",
                    "If SFCC knows the product under another SKU, map it with map_sku, then retry the order.",
                ],
            )
        )
    return findings


RULES = [
    customer_missing,
    shipping_method_missing,
    invalid_shipping_method,
    invalid_payment_method,
    product_unavailable,
]
