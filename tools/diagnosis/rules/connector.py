"""Connector rules: credentials, permissions and availability of SFCC and TikTok."""

from __future__ import annotations

from store.models import ExceptionRecord
from tools.connections import ConnectionView
from tools.diagnosis.findings import Finding, quoted
from tools.diagnosis.rules.common import (
    exception_evidence,
    ident,
    next_run,
    on_this_order,
    order_ref,
    setting_location,
    when,
)
from tools.diagnosis.snapshot import Snapshot, fault_info

# SFCC credentials a seller enters, in the order a connection uses them: (setting, label, secret).
SFCC_CREDENTIALS = (
    ("short_code", "short code", None),
    ("organization_id", "organization id", None),
    ("site_id", "site id", None),
    ("ocapi_url", "OCAPI URL", None),
    ("b2c_api_client_id", "B2C API client", "b2c_api_client_password"),
    ("b2c_shop_api_client_id", "B2C Shop API client", "b2c_shop_api_client_password"),
    ("ocapi_client_id", "OCAPI client", "ocapi_client_password"),
    ("business_manager_user", "Business Manager user", "business_manager_password"),
)

# Words a stored fault uses for a credential, matched against its type and argument names only.
_FAULT_HINTS = {
    "short_code": ("short_code", "shortcode"),
    "organization_id": ("organization", "tenant", "org_id"),
    "site_id": ("site_id", "siteid", "sitenotfound"),
    "ocapi_url": ("ocapi_url", "hostname", "host"),
}


def _failing_credential(
    connection: ConnectionView, record: ExceptionRecord
) -> tuple[str, str, str | None] | None:
    """The one credential the evidence names, or None when it does not say."""
    fault = fault_info(record)
    named = fault.arguments.get("credential") or fault.arguments.get("setting")
    for setting, label, secret in SFCC_CREDENTIALS:
        if named and named in (setting, secret, label):
            return setting, label, secret
    client = fault.arguments.get("client_id")
    if client:
        for setting, label, secret in SFCC_CREDENTIALS:
            if setting.endswith("_client_id") and connection.setting(setting) == client:
                return setting, label, secret
    words = " ".join([fault.type or "", *map(str, fault.arguments)]).lower()
    for setting, hints in _FAULT_HINTS.items():
        if any(hint in words for hint in hints):
            return next(c for c in SFCC_CREDENTIALS if c[0] == setting)
    if fault.type == "invalid_grant" and connection.setting("ocapi_auth") == "business_manager_user":
        return SFCC_CREDENTIALS[-1]
    return None


def sfcc_auth_failed(s: Snapshot) -> list[Finding]:
    """`sfcc.auth_failed`: name the credential the evidence points at, or list what to check."""
    dest = s.destination
    records = s.open_exceptions("sfcc.auth_failed")
    if dest is None or not records:
        return []
    record = records[0]
    credential = _failing_credential(dest, record)
    evidence = exception_evidence(record) | {"connection": dest.name, "last_auth_error": dest.last_auth_error}
    if credential is not None:
        setting, label, secret = credential
        where = setting_location(dest, setting)
        steps = [f"Check the {label} ({setting}) set in {where}."]
        if secret:
            steps.append(
                f"If it changed in Account Manager or Business Manager, update its secret in "
                f"{setting_location(dest, secret, secret=True)}, and check the client is still active."
            )
        summary = (
            f"SFCC refused the {label} of connection {dest.name}, so nothing can reach SFCC "
            f"(last at {when(record.last_seen_at)}). Correct it in {where}."
        )
        evidence["credential"] = setting
    else:
        summary = (
            f"SFCC refused the credentials of connection {dest.name} (last at {when(record.last_seen_at)}); "
            "the stored fault does not say which one, so check them in the order below."
        )
        steps = [
            f"Check the {label} ({setting}) in {setting_location(dest, setting)}."
            + (f" Its secret is in {setting_location(dest, secret, secret=True)}." if secret else "")
            for setting, label, secret in SFCC_CREDENTIALS
        ]
        steps.append(
            "Check in Account Manager that the API clients are active and their passwords unchanged."
        )
    return [Finding(code="sfcc.auth_failed", summary=summary, evidence=evidence, next_steps=steps)]


def sfcc_permission_denied(s: Snapshot) -> list[Finding]:
    """`sfcc.permission_denied`: the resource, method or scope to add, as far as the fault says."""
    findings = []
    for record in s.open_exceptions("sfcc.permission_denied"):
        args = fault_info(record).arguments
        resource = args.get("resource") or args.get("path")
        method = args.get("method")
        scope = args.get("scope")
        client = args.get("client_id")
        name = s.destination.name if s.destination else record.entity_id
        if scope:
            fix = f"add the scope {quoted(scope)} to the API client in Account Manager"
        elif resource:
            allowed = f"{method} on " if method else ""
            fix = (
                f"allow {allowed}{quoted(resource)} for client {ident(client or 'the OCAPI client')} in "
                "Business Manager > Administration > Site Development > Open Commerce API Settings"
            )
        else:
            fix = (
                "compare the OCAPI settings of the client with the calls Shopwright makes, and check "
                "its OAuth scopes and Business Manager roles"
            )
        findings.append(
            Finding(
                code="sfcc.permission_denied",
                summary=f"SFCC denied a call of connection {name}: to fix it, {fix}.",
                evidence=exception_evidence(record)
                | {"resource": resource, "method": method, "scope": scope, "client_id": client},
                next_steps=[f"To fix it, {fix}.", "Then retry the order with retry_order_push."],
            )
        )
    return findings


def tiktok_auth_expired(s: Snapshot) -> list[Finding]:
    """`tiktok.auth_expired`: re-authorise from the master account."""
    records = s.open_exceptions("tiktok.auth_expired")
    if not records:
        return []
    name = s.source.name
    return [
        Finding(
            code="tiktok.auth_expired",
            summary=(
                f"TikTok Shop connection {name} lost its authorisation at {when(records[0].first_seen_at)}: "
                "no orders are pulled and no shipments are pushed until the shop is re-authorised."
            ),
            evidence=exception_evidence(records[0]) | {"connection": name},
            next_steps=[
                "Sign in to TikTok Shop Seller Center with the shop's main (master) account.",
                f"Open the app's authorisation link of connection {name} and approve it.",
                "Shopwright exchanges the new code on its own; authorisations last one year at most.",
            ],
        )
    ]


def tiktok_rate_limited(s: Snapshot) -> list[Finding]:
    """`tiktok.rate_limited`: nothing to do unless it persists; show the backlog."""
    records = s.open_exceptions("tiktok.rate_limited")
    if not records:
        return []
    record = records[0]
    name = s.source.name
    backlog = [
        {
            "flow": lease.flow_name,
            "next_due_at": lease.next_due_at.isoformat() if lease.next_due_at else None,
            "attempt": lease.attempt,
        }
        for lease in s.leases
        if lease.connection_name == name
    ]
    return [
        Finding(
            code="tiktok.rate_limited",
            summary=(
                f"TikTok is limiting the call rate of connection {name} (seen {record.count} times, last at "
                f"{when(record.last_seen_at)}); calls are retried automatically and nothing needs doing "
                "unless it persists."
            ),
            evidence=exception_evidence(record) | {"connection": name, "backlog": backlog},
            next_steps=["If it lasts for hours, lower `rate_limit_qps` for the connection."],
        )
    ]


def sfcc_unavailable(s: Snapshot) -> list[Finding]:
    """`sfcc.unavailable`: retried automatically; show the next attempt."""
    records = s.open_exceptions("sfcc.unavailable")
    if not records:
        return []
    record = records[0]
    route = s.route
    name = s.destination.name if s.destination else record.entity_id
    nxt = route.next_attempt_at if route is not None and route.next_attempt_at else next_run(s, name, None)
    subject = order_ref(s) if on_this_order(s, record) else f"connection {name}"
    return [
        Finding(
            code="sfcc.unavailable",
            summary=(
                f"SFCC was busy or unavailable for {subject} (seen {record.count} times, last at "
                f"{when(record.last_seen_at)}); it is retried automatically, next attempt at {when(nxt)}."
            ),
            evidence=exception_evidence(record)
            | {"connection": name, "next_attempt_at": nxt.isoformat() if nxt else None},
            next_steps=["Nothing to do; if it lasts, check SFCC maintenance windows and its status page."],
        )
    ]


RULES = [sfcc_auth_failed, sfcc_permission_denied, tiktok_auth_expired, tiktok_rate_limited, sfcc_unavailable]
