"""The deterministic diagnosis: run every rule over one order's snapshot and assemble the answer."""

from __future__ import annotations

from tools.diagnosis.codes import describe
from tools.diagnosis.findings import Diagnosis, Finding, Fix
from tools.diagnosis.lifecycle import describe_lifecycle
from tools.diagnosis.rules import (
    cancellation,
    catalog,
    catalog_records,
    connection_failures,
    connector,
    fulfillment,
    ingestion,
    order_push,
    routing,
    shipments,
    state,
    stock,
)
from tools.diagnosis.rules.common import Rule, exception_evidence, ident, order_ref
from tools.diagnosis.snapshot import Snapshot

# Order matters only for reading: state first (is it held? pushed at all?), then what broke.
RULES: tuple[Rule, ...] = (
    *state.RULES,
    *connector.RULES,
    *connection_failures.RULES,
    *routing.RULES,
    *cancellation.RULES,
    *order_push.RULES,
    *ingestion.RULES,
    *fulfillment.RULES,
    *shipments.RULES,
    *catalog.RULES,
    *catalog_records.RULES,
    *stock.RULES,
)

# Findings that describe where the order is rather than something wrong with it.
INFORMATIONAL = frozenset({"order.on_hold"})


def diagnose(snapshot: Snapshot) -> Diagnosis:
    """Every finding the rules make, the recorded failures no rule explains, and the lifecycle."""
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(snapshot))
    findings.extend(_unexplained(snapshot, {f.code for f in findings}))
    # Failures recorded on the order come first: they are what actually happened.
    findings.sort(key=lambda f: 0 if "exception_id" in f.evidence else 1)
    lifecycle = describe_lifecycle(snapshot)
    problems = [f for f in findings if f.code not in INFORMATIONAL]
    ref = order_ref(snapshot).capitalize()
    if not findings:
        summary = f"{ref} is fine: {lifecycle}."
    elif not problems:
        summary = findings[0].summary
    else:
        codes = ", ".join(dict.fromkeys(f.code for f in problems))
        summary = f"{ref}: {lifecycle}. Found {len(problems)} problem(s): {codes}."
    return Diagnosis(
        order_id=snapshot.order.external_id,
        status=snapshot.order.status,
        healthy=not problems,
        lifecycle=lifecycle,
        summary=summary,
        findings=findings,
    )


def _unexplained(s: Snapshot, covered: set[str]) -> list[Finding]:
    """Open records no rule explained, described from the registry; and `order.push_failed` when a
    push failed with no typed failure stored at all.
    """
    findings = []
    for record in s.exceptions:
        if record.code in covered:
            continue
        covered.add(record.code)
        info = describe(record.code, record.category)
        findings.append(
            Finding(
                code=record.code,
                summary=(
                    f"A failure {record.code} is open on {record.entity_type} {ident(record.entity_id)} "
                    f"(seen {record.count} times): {info.meaning}"
                ),
                evidence=exception_evidence(record),
                next_steps=[f"Check: {info.cause_to_check}", f"Fix: {info.fix}", *info.next_steps],
            )
        )
    route = s.route
    if route is not None and route.state == "failed" and not findings and not covered:
        findings.append(
            Finding(
                code="order.push_failed",
                summary=(
                    f"The last push of {order_ref(s)} to SFCC failed and no typed failure is "
                    f"stored; the route's "
                    "last error is in the evidence. Retry once its cause is fixed."
                ),
                evidence={"last_error": route.last_error, "attempts": route.attempts},
                fix=Fix(tool="retry_order_push", arguments={"order_id": s.order.external_id}),
                next_steps=["Read the last error, fix its cause, then retry the push."],
            )
        )
    return findings
