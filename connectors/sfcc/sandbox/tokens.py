"""Sandbox token endpoints (Account Manager, BM user grant, SLAS) and token checks."""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.sfcc.sandbox.faults import json_response, oauth_error
from connectors.sfcc.sandbox.state import ApiClient, SandboxState, Token

BM_USER_GRANT = "urn:demandware:params:oauth:grant-type:client-id:dwsid:dwsecuretoken"


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return user, password


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode()
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def _issue(
    state: SandboxState, client_id: str, kind: str, scopes: list[str], login: str | None = None
) -> dict[str, Any]:
    value = secrets.token_urlsafe(24)
    lifetime = state.faults.token_lifetime
    with state.lock:
        state.tokens[value] = Token(
            client_id=client_id,
            kind=kind,
            scopes=scopes,
            expires_at=state.clock.now() + timedelta(seconds=lifetime),
            login_id=login,
        )
    return {"access_token": value, "token_type": "Bearer", "expires_in": lifetime, "scope": " ".join(scopes)}


def _client(state: SandboxState, request: Request, kind: str) -> ApiClient | None:
    creds = _basic(request)
    if creds is None:
        return None
    client = state.clients.get(creds[0])
    if client is None or client.kind != kind or not client.active:
        return None
    return client if secrets.compare_digest(client.secret, creds[1]) else None


async def account_manager_token(request: Request) -> Response:
    """POST /dwsso/oauth2/access_token: client credentials, Basic auth, optional SCAPI scope."""
    state: SandboxState = request.app.state.sfcc
    form = await _form(request)
    if form.get("grant_type") != "client_credentials":
        return oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported.")
    client = _client(state, request, "account_manager")
    if client is None:
        return oauth_error(401, "invalid_client", "Client authentication failed.")
    requested = form.get("scope", "").split()
    granted: list[str] = []
    for scope in requested:
        if scope.startswith("SALESFORCE_COMMERCE_API:"):
            if scope != f"SALESFORCE_COMMERCE_API:{state.tenant_id}":
                return oauth_error(400, "invalid_scope", f"Unknown tenant in scope {scope}.")
            granted.append(scope)
        elif scope in client.scopes:
            granted.append(scope)  # like OAuth servers, grant the allowed subset; calls then 403
    return json_response(_issue(state, client.client_id, "am", granted))


async def bm_user_token(request: Request) -> Response:
    """POST /dw/oauth2/access_token?client_id=: Basic `user:password_or_key:client_secret`."""
    state: SandboxState = request.app.state.sfcc
    form = await _form(request)
    if form.get("grant_type") != BM_USER_GRANT:
        return oauth_error(400, "unsupported_grant_type", "Unsupported grant type.")
    client = state.clients.get(request.query_params.get("client_id", ""))
    creds = _basic(request)
    if client is None or creds is None or not client.active:
        return oauth_error(401, "invalid_client", "Unknown client_id.")
    password, _, secret = creds[1].rpartition(":")
    user = state.bm_users.get(creds[0])
    valid = user is not None and password in (user.get("password"), user.get("access_key"))
    if not valid or not secrets.compare_digest(secret, client.secret):
        return oauth_error(401, "invalid_grant", "Business Manager user authentication failed.")
    return json_response(_issue(state, client.client_id, "bm", []))


def _slas_checks(request: Request, state: SandboxState, org: str, form: dict[str, str]) -> Response | None:
    if org != state.organization_id:
        return oauth_error(404, "not_found", f"Unknown organization {org}.")
    if form.get("grant_type") != "client_credentials":
        return oauth_error(400, "invalid_request", "Unsupported grant_type.")
    if form.get("channel_id") != state.site_id:
        return oauth_error(400, "invalid_request", "Bad or missing channel_id.")
    return None


async def slas_token(request: Request) -> Response:
    """POST /shopper/auth/v1/organizations/{org}/oauth2/token: private-client guest token."""
    state: SandboxState = request.app.state.sfcc
    form = await _form(request)
    error = _slas_checks(request, state, request.path_params["org"], form)
    if error is not None:
        return error
    client = _client(state, request, "slas_private")
    if client is None:
        return oauth_error(401, "invalid_client", "Basic Authorization failed.")
    return json_response({**_issue(state, client.client_id, "slas", client.scopes), "usid": "guest"})


async def slas_trusted_system_token(request: Request) -> Response:
    """POST .../oauth2/trusted-system/token: trusted system on behalf of a shopper login."""
    state: SandboxState = request.app.state.sfcc
    form = await _form(request)
    error = _slas_checks(request, state, request.path_params["org"], form)
    if error is not None:
        return error
    missing = [f for f in ("client_id", "hint", "idp_origin", "login_id") if not form.get(f)]
    if missing or form["hint"] != "ts_ext_on_behalf_of":
        return oauth_error(400, "invalid_request", f"Bad or missing fields: {', '.join(missing) or 'hint'}.")
    client = _client(state, request, "slas_private")
    if client is None or client.client_id != form["client_id"]:
        return oauth_error(401, "invalid_client", "Basic Authorization failed.")
    if "sfcc.ts_ext_on_behalf_of" not in client.scopes:
        return oauth_error(400, "invalid_request", "Client is not allowed the trusted system flow.")
    if form["login_id"] != "guest" and state.customer_by_login(form["login_id"]) is None:
        # UNCERTAIN: the reference does not show SLAS's answer for an unknown login; not_found fits.
        return oauth_error(404, "not_found", "No shopper with that login_id.")
    return json_response(_issue(state, client.client_id, "tsob", client.scopes, form["login_id"]))


def valid_token(request: Request, state: SandboxState, kinds: tuple[str, ...]) -> tuple[str, Token] | None:
    """The bearer token of the request if it exists, is unexpired and of an accepted kind."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    value = header[7:].strip()
    with state.lock:
        token = state.tokens.get(value)
        if token is None or token.kind not in kinds or token.expires_at <= state.clock.now():
            return None
        client = state.clients.get(token.client_id)
        if client is None or not client.active:
            return None
        return value, token


ROUTES = [
    Route("/dwsso/oauth2/access_token", account_manager_token, methods=["POST"]),
    Route("/dw/oauth2/access_token", bm_user_token, methods=["POST"]),
    Route("/shopper/auth/v1/organizations/{org}/oauth2/token", slas_token, methods=["POST"]),
    Route(
        "/shopper/auth/v1/organizations/{org}/oauth2/trusted-system/token",
        slas_trusted_system_token,
        methods=["POST"],
    ),
]
