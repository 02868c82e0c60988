"""Whole-run failures of a connection: TikTok API errors, SFCC refusals and crashed flows.

The daemon records these on the connection (``entity_type == "connection"``) when a flow run stops;
the run rolled back, so nothing of it was saved, and the daemon runs the flow again later. Each
finding says which flow stopped, why as far as the stored fault tells, and when it runs next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store.models import ExceptionRecord
from tools.connections import ConnectionView
from tools.diagnosis.findings import Finding, quoted
from tools.diagnosis.rules.common import (
    exception_evidence,
    next_run,
    raw_fault,
    record_connection,
    setting_location,
    when,
)
from tools.diagnosis.snapshot import Snapshot, fault_info

# TikTok's own error codes the stored fault may carry (reference section 4).
SCOPE_DENIED = 105005
IP_NOT_ALLOWED = 36009033
INVALID_TOKEN = 101000
SHOP_CIPHER_MISSING = 106013
INVALID_PATH = 36009009
INVALID_METHOD_OR_VERSION = (36009010, 36009014)

Explain = Callable[[ConnectionView, ExceptionRecord], tuple[str, list[str]]]


def _tiktok_code(record: ExceptionRecord) -> int | None:
    code = raw_fault(record).get("code")
    return code if isinstance(code, int) else None


def _reauthorise(conn: ConnectionView) -> str:
    return (
        "Re-authorise the shop: sign in to TikTok Seller Center with the shop's main (master) account, "
        f"approve the app's authorisation link, then run "
        f"`python sync_daemon.py authorize {conn.name} --code AUTH_CODE`."
    )


def _auth_failed(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    code = _tiktok_code(record)
    if code == SCOPE_DENIED:
        return (
            "the app was not granted the API scope the flow needs (TikTok code 105005)",
            [
                "In TikTok Shop Partner Center, add the API package the flow needs to the app.",
                _reauthorise(conn) + " The new scope applies once the shop approves it.",
            ],
        )
    if code == IP_NOT_ALLOWED:
        return (
            "the daemon's IP address is not in the app's IP allow list (TikTok code 36009033)",
            ["Add the public IP address of the daemon's host to the app's allow list in Partner Center."],
        )
    if code == INVALID_TOKEN or (code is not None and str(code).startswith("105")):
        return (f"TikTok no longer accepts the access token (TikTok code {code})", [_reauthorise(conn)])
    return (
        "TikTok refused the app key or the access token",
        [
            f"Check the app key in {setting_location(conn, 'app_key')} against Partner Center.",
            _reauthorise(conn),
        ],
    )


def _signature_invalid(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    return (
        "TikTok refused the signature of its calls: the app secret set for it is not the app's current one",
        [
            f"Copy the app secret from TikTok Shop Partner Center into "
            f"{setting_location(conn, 'app_secret', secret=True)}, then restart the daemon."
        ],
    )


def _request_rejected(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    code = _tiktok_code(record)
    # The stored message is Shopwright's own sentence around TikTok's; it is only matched here.
    text = record.message.lower()
    if code == SHOP_CIPHER_MISSING or "shop_cipher" in text or "cipher" in text:
        return (
            "TikTok's gateway refused the shop cipher sent with the call",
            [_reauthorise(conn) + " Authorising again fetches the shop cipher."],
        )
    if "timestamp" in text:
        return (
            "TikTok's gateway refused the call's timestamp: the daemon's clock is off",
            [
                "Synchronise the clock of the daemon's host (NTP); TikTok refuses timestamps over 5 "
                "minutes old."
            ],
        )
    if code in INVALID_METHOD_OR_VERSION:
        return (
            f"TikTok does not serve the API method or version the flow calls (TikTok code {code})",
            ["Report it with the request id in the evidence: the flow calls an API TikTok retired."],
        )
    return (
        "TikTok's gateway refused the request before reading it",
        [
            "Check the clock of the daemon's host (NTP) and the shop cipher (re-authorise to refresh it).",
            "If neither explains it, report it with the request id in the evidence.",
        ],
    )


def _validation_failed(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    return (
        "TikTok refused a request of the run as invalid; its message is in the evidence",
        [
            "Read TikTok's message in the evidence and correct the setting it names "
            f"(the settings of [connections.{conn.name}] in shopwright.toml).",
            "If no setting explains it, report it with the request id in the evidence.",
        ],
    )


def _not_found(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    if _tiktok_code(record) == INVALID_PATH:
        return (
            "TikTok does not let the app call an API path the flow needs (TikTok code 36009009)",
            ["Check in TikTok Shop Partner Center that the app has the API package for that path."],
        )
    return (
        "TikTok answered not found for something the run asked for",
        [
            f"Check that connection {conn.name} is authorised for the shop that owns the data.",
            "If it is, report it with the request id in the evidence.",
        ],
    )


def _unavailable(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    return (
        "TikTok failed or timed out; the run is retried automatically with backoff",
        ["Nothing to do unless it lasts; then check the network from the daemon's host to TikTok."],
    )


def _pagination_loop(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    return (
        "TikTok returned the same page twice, so the run stopped rather than loop; its cursor did not move",
        [
            "Nothing to do at first: the next run reads the list again.",
            "If it repeats, report the request id.",
        ],
    )


def _api_error(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    code = _tiktok_code(record)
    return (
        "TikTok answered with an error Shopwright does not classify"
        + (f" (TikTok code {code})" if code is not None else ""),
        [
            "Look the TikTok code up in the Partner Center error list.",
            "If it persists, report it to TikTok with the request id in the evidence.",
        ],
    )


def _flow_words(record: ExceptionRecord) -> str:
    return f"flow {record.flow}" if record.flow else "the flow the stored message names"


def _flow_crashed(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    kind = fault_info(record).type
    return (
        f"an unexpected {quoted(kind) if kind else 'error'} nobody classified; nothing of the run was saved",
        [
            "Nothing to do at first: the run is retried.",
            f"If it repeats, search the daemon log for {_flow_words(record)} and report the error with "
            "that log.",
        ],
    )


def _sfcc_refused(conn: ConnectionView, record: ExceptionRecord) -> tuple[str, list[str]]:
    fault = raw_fault(record)
    kind = fault_info(record).type
    status = fault.get("status_code")
    what = f"SFCC refused a call (fault {quoted(kind) if kind else 'type unknown'}, HTTP {status or '?'})"
    if record.code == "sfcc.not_found":
        step = (
            f"Check site_id in {setting_location(conn, 'site_id')}: a wrong site makes every call not found."
        )
    elif record.code == "sfcc.conflict":
        step = "Check the entity named in the fault in Business Manager: its state forbids the change."
    else:
        step = "Read the fault in the evidence and correct the data or site setting it names."
    return what, [step]


EXPLAIN: dict[str, Explain] = {
    "tiktok.auth_failed": _auth_failed,
    "tiktok.signature_invalid": _signature_invalid,
    "tiktok.request_rejected": _request_rejected,
    "tiktok.validation_failed": _validation_failed,
    "tiktok.not_found": _not_found,
    "tiktok.unavailable": _unavailable,
    "tiktok.pagination_loop": _pagination_loop,
    "tiktok.api_error": _api_error,
    "engine.flow_crashed": _flow_crashed,
    "sfcc.request_rejected": _sfcc_refused,
    "sfcc.not_found": _sfcc_refused,
    "sfcc.conflict": _sfcc_refused,
}


def connection_failures(s: Snapshot) -> list[Finding]:
    """`tiktok.api_error`, `tiktok.auth_failed`, `tiktok.signature_invalid`, `tiktok.request_rejected`,
    `tiktok.validation_failed`, `tiktok.not_found`, `tiktok.unavailable`, `tiktok.pagination_loop`,
    `engine.flow_crashed`, and `sfcc.request_rejected` / `sfcc.not_found` / `sfcc.conflict` when a
    whole run stopped on them: the flow, the cause the fault shows, and the next run.
    """
    findings = []
    for record in s.exceptions:
        explain = EXPLAIN.get(record.code)
        conn = record_connection(s, record)
        if explain is None or record.entity_type != "connection" or conn is None:
            continue
        why, steps = explain(conn, record)
        nxt = next_run(s, conn.name, record.flow)
        flow = f"flow {record.flow}" if record.flow else "a flow"
        again = f"Next run at {when(nxt)}." if nxt else "The daemon runs it again on its schedule."
        evidence: dict[str, Any] = exception_evidence(record) | {
            "connection": conn.name,
            "flow": record.flow,
            "tiktok_code": _tiktok_code(record),
            "request_id": raw_fault(record).get("request_id"),
            "next_run_at": nxt.isoformat() if nxt else None,
        }
        findings.append(
            Finding(
                code=record.code,
                summary=(
                    f"{flow.capitalize()} of connection {conn.name} stopped {record.count} time(s), last at "
                    f"{when(record.last_seen_at)}: {why}. {again}"
                ),
                evidence=evidence,
                next_steps=steps,
            )
        )
    return findings


RULES = [connection_failures]
