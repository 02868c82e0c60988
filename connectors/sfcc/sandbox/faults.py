"""Fault documents in the three SFCC shapes, and the middleware that injects faults.

OCAPI faults: `{"_v", "fault": {"type", "message", "arguments"}}` with the HTTP status of the type.
SCAPI: problem+json. SLAS: OAuth-style `{"error", "error_description"}`.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.state import SandboxState

OCAPI_VERSION = "25.6"
ERROR_BASE = "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/"


def json_response(doc: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response written with exact decimals."""
    return Response(jsonwire.dumps(doc), status_code=status, media_type="application/json", headers=headers)


def ocapi_fault(status: int, fault_type: str, message: str, **arguments: Any) -> Response:
    """An OCAPI fault document."""
    fault: dict[str, Any] = {"type": fault_type, "message": message}
    if arguments:
        fault["arguments"] = arguments
    return json_response({"_v": OCAPI_VERSION, "fault": fault}, status)


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> Response:
    """A SCAPI problem+json document."""
    doc = {"type": ERROR_BASE + slug, "title": title, "detail": detail, **extra}
    return Response(jsonwire.dumps(doc), status_code=status, media_type="application/problem+json")


def oauth_error(status: int, error: str, description: str) -> Response:
    """A SLAS / Account Manager OAuth error (SLAS uses the problem+json content type)."""
    doc = {"error": error, "error_description": description}
    return Response(jsonwire.dumps(doc), status_code=status, media_type="application/problem+json")


def caller_of(headers: dict[str, str], state: SandboxState) -> str:
    """The client a request counts against: the token's client, else the Basic user, else anonymous."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        token = state.tokens.get(auth[7:].strip())
        return token.client_id if token else "invalid-token"
    if auth.lower().startswith("basic "):
        try:
            return base64.b64decode(auth[6:]).decode().split(":", 1)[0]
        except ValueError:
            return "invalid-basic"
    return "anonymous"


class FaultMiddleware:
    """Counts API requests and injects latency, 429, 503 and random errors (never on /_sandbox/)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_sandbox/"):
            await self.app(scope, receive, send)
            return
        # Read the state per request: a re-seed through /_sandbox/seed swaps the whole object.
        state: SandboxState = scope["app"].state.sfcc
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        response = self._decide(state, headers, scope["path"])
        latency = state.faults.latency_ms
        if latency:
            await asyncio.sleep(latency / 1000)
        if response is not None:
            await response(scope, receive, send)
            return

        async def counting_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                with state.lock:
                    state.responses_by_status[message["status"]] += 1
            await send(message)

        await self.app(scope, receive, counting_send)

    def _decide(self, state: SandboxState, headers: dict[str, str], path: str) -> Response | None:
        with state.lock:
            client = caller_of(headers, state)
            state.requests_by_client[client] += 1
            faults = state.faults
            verdict: Response | None = None
            if faults.maintenance:
                verdict = self._unavailable(maintenance=True)
            elif faults.next_429 > 0:
                faults.next_429 -= 1
                verdict = self._too_many(state, path)
            elif faults.next_503 > 0:
                faults.next_503 -= 1
                verdict = self._unavailable(maintenance=False)
            elif not state.take_rate_slot(client):
                verdict = self._too_many(state, path)
            elif faults.error_rate and state.rng.random() < faults.error_rate:
                verdict = (
                    self._too_many(state, path)
                    if faults.error_status == 429
                    else self._unavailable(maintenance=False)
                )
            if verdict is not None:
                state.responses_by_status[verdict.status_code] += 1
            return verdict

    def _too_many(self, state: SandboxState, path: str) -> Response:
        # UNCERTAIN: the reference documents 429 for SCAPI and SLAS only; OCAPI gets the same answer
        # here because its QuotaExceededException (400) means a platform quota, not a rate.
        response = problem(429, "too-many-requests", "Too Many Requests", f"Rate limit exceeded on {path}.")
        response.headers["Retry-After"] = str(state.faults.retry_after)
        return response

    def _unavailable(self, *, maintenance: bool) -> Response:
        response = problem(503, "service-unavailable", "Service Unavailable", "Try again later.")
        if maintenance:
            response.headers["sfdc_maintenance"] = "system"
        else:
            response.headers["sfdc_load"] = "95"
            response.headers["sfdc_load_status"] = "THROTTLE"
        return response
