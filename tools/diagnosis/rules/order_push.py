"""Why an order's push to SFCC stopped: a refusal Shopwright does not classify, an address it
cannot send, and TikTok after-sales records of the order that the store refused to keep.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from connectors.sfcc.order_mapping import Address
from store.models import ExceptionRecord
from tools.diagnosis.findings import Finding, Fix, quoted
from tools.diagnosis.rules.common import (
    exception_evidence,
    ident,
    on_this_order,
    order_ref,
    raw_fault,
    setting_location,
)
from tools.diagnosis.snapshot import Snapshot, fault_info

# What each push step sends, in the words of a summary.
STEP_SUBJECT = {
    "resolve_customer": "the customer lookup",
    "create_basket": "the new basket",
    "set_customer": "the basket's customer",
    "add_items": "the order's items",
    "set_shipping_address": "the shipping address",
    "set_shipping_method": "the shipping method",
    "set_billing_address": "the billing address",
    "add_payment_instrument": "the payment",
    "create_order": "the order creation",
}
# Steps that address the basket made for this push: a 404 there means SFCC discarded it.
BASKET_STEPS = frozenset(STEP_SUBJECT) - {"resolve_customer", "create_basket"}
STEP_HINT = {
    "resolve_customer": "check the customer settings (customer_strategy, generic_customer_number)",
    "set_customer": "check the customer settings (customer_strategy, generic_customer_number)",
    "add_items": "check the order's SKUs with find_sku and the products in Business Manager",
    "set_shipping_address": "check the order's shipping address with get_order",
    "set_billing_address": "check the order's address with get_order",
    "set_shipping_method": "check the shipping method mapping of the order's delivery option",
    "add_payment_instrument": "check the payment method mapping and the site's payment methods",
    "create_order": "check the site's order hooks and validation in the Business Manager logs",
}
RETRY = "Then retry the order with retry_order_push."


def _subject(step: Any) -> str:
    return STEP_SUBJECT.get(str(step), "a request") if step else "a request"


def _retry_fix(s: Snapshot) -> Fix | None:
    route = s.route
    if route is None or route.state != "failed":
        return None
    return Fix(tool="retry_order_push", arguments={"order_id": s.order.external_id})


def _refusal(s: Snapshot, record: ExceptionRecord) -> Finding:
    fault = raw_fault(record)
    step = fault.get("step")
    kind = fault_info(record).type
    what = f"fault {quoted(kind)}" if kind else "no fault type"
    route = s.route
    number = route.external_id if route else None
    evidence: dict[str, Any] = exception_evidence(record) | {
        "step": step,
        "status_code": fault.get("status_code"),
        "sfcc_order_number": number,
    }
    base = f"SFCC refused {_subject(step)} of {order_ref(s)}" + (f" at step {ident(step)}" if step else "")
    if record.code == "sfcc.not_found" and step in BASKET_STEPS:
        return Finding(
            code=record.code,
            summary=f"{base} ({what}): the basket of this push is gone. Retrying starts with a new basket.",
            evidence=evidence,
            fix=_retry_fix(s),
            next_steps=["Retry the order with retry_order_push; nothing reached SFCC as an order."],
        )
    if record.code == "sfcc.not_found":
        site = s.destination.setting("site_id") if s.destination else None
        where = setting_location(s.destination, "site_id") if s.destination else "the SFCC connection"
        return Finding(
            code=record.code,
            summary=(
                f"{base} ({what}): SFCC does not know what it was asked for. Check the site id, then "
                "retry the order."
            ),
            evidence=evidence | {"site_id": site},
            next_steps=[f"Check site_id {ident(site)} in {where}.", RETRY],
        )
    if record.code == "sfcc.conflict":
        prefix = s.destination.setting("order_number_prefix") if s.destination else None
        where = setting_location(s.destination, "order_number_prefix") if s.destination else "the settings"
        return Finding(
            code=record.code,
            summary=(
                f"{base} ({what}): order number {ident(number) if number else '(not chosen)'} is taken, "
                "but not by this order. Find the order that holds it; change the order number prefix if "
                "numbers collide."
            ),
            evidence=evidence | {"order_number_prefix": prefix},
            next_steps=[
                "Look the number up in Business Manager > Merchant Tools > Ordering > Orders.",
                f"If another order holds it, change order_number_prefix in {where}.",
                RETRY,
            ],
        )
    hint = STEP_HINT.get(str(step), "read the fault in the evidence and correct what it names")
    return Finding(
        code=record.code,
        summary=(
            f"{base} ({what}); SFCC's message is in the evidence. To fix it, {hint}, then retry the order."
        ),
        evidence=evidence,
        next_steps=[f"To fix it, {hint}.", RETRY],
    )


def sfcc_refusals(s: Snapshot) -> list[Finding]:
    """`sfcc.request_rejected`, `sfcc.not_found`, `sfcc.conflict` on the order's push: the step
    that failed and what to check there; a vanished basket is fixed by a retry.
    """
    findings: list[Finding] = []
    for code in ("sfcc.request_rejected", "sfcc.not_found", "sfcc.conflict"):
        findings.extend(_refusal(s, r) for r in s.open_exceptions(code) if on_this_order(s, r))
    return findings


def address_missing(s: Snapshot) -> list[Finding]:
    """`order.address_missing`: the order has no shipping address SFCC can take."""
    records = [r for r in s.open_exceptions("order.address_missing") if on_this_order(s, r)]
    if not records:
        return []
    address = s.order.shipping_address if isinstance(s.order.shipping_address, dict) else {}
    try:
        Address.model_validate(address)
        missing: list[str] = []
    except ValidationError as error:
        missing = sorted({str(item["loc"][0]) for item in error.errors() if item["loc"]})
    # Field names only: the address itself is the buyer's and stays out of the answer.
    evidence = exception_evidence(records[0]) | {
        "missing_or_invalid_fields": missing,
        "fields_present": sorted(k for k, v in address.items() if v),
        "channel_status": s.order.channel_status,
    }
    if not missing:
        summary = (
            f"{order_ref(s).capitalize()} has a usable shipping address now; the push re-checks it on its "
            "own, and the failure closes when it succeeds."
        )
        steps: list[str] = []
    else:
        fields = ", ".join(missing)
        summary = (
            f"{order_ref(s).capitalize()} was not pushed: its shipping address lacks {fields}. TikTok hides "
            "the address while an order is on hold; the next order pull reads it again."
        )
        steps = [
            "Wait for the next TikTok order pull; the push re-checks the order on its own.",
            "If the address stays incomplete, check it in TikTok Seller Center.",
        ]
    return [Finding(code="order.address_missing", summary=summary, evidence=evidence, next_steps=steps)]


def _problem(fault: dict[str, Any]) -> str:
    """Why the store refused the record, from its stored fault."""
    if not fault.get("order_id"):
        return "it names no order"
    stored = fault.get("refund_amount")
    refund: dict[str, Any] = stored if isinstance(stored, dict) else {}
    try:
        total = Decimal(str(refund.get("refund_total"))) if refund.get("refund_total") is not None else None
    except InvalidOperation:
        total = None
    if total is not None and total < 0:
        return "its refund total is negative"
    if refund and len(str(refund.get("currency") or "")) != 3:
        return "its refund currency is not a 3-letter code"
    return "a value the store cannot keep (see the evidence)"


def after_sales_refused(s: Snapshot) -> list[Finding]:
    """`tiktok.record_invalid`: a return or cancellation of the order that the store refused to keep."""
    findings = []
    for record in s.open_exceptions("tiktok.record_invalid"):
        if record.entity_type not in ("return", "cancellation"):
            continue
        fault = raw_fault(record)
        findings.append(
            Finding(
                code="tiktok.record_invalid",
                summary=(
                    f"TikTok {record.entity_type} {ident(record.entity_id)} of {order_ref(s)} was not "
                    f"stored: {_problem(fault)}. Check it in TikTok Seller Center; it is read again when "
                    "TikTok updates it."
                ),
                evidence=exception_evidence(record) | {"refund_amount": fault.get("refund_amount")},
                next_steps=[
                    f"Open the {record.entity_type} in TikTok Seller Center (Returns / Cancellations) and "
                    "check its refund.",
                ],
            )
        )
    return findings


RULES = [sfcc_refusals, address_missing, after_sales_refused]
