"""What every sandbox OCAPI call checks first: version, site, token, resource permission, body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.faults import ocapi_fault
from connectors.sfcc.sandbox.state import SandboxState
from connectors.sfcc.sandbox.tokens import valid_token

_VERSION = re.compile(r"^v(\d+)_(\d+)$")


@dataclass
class OcapiCall:
    """A checked OCAPI request: who sent it, at which version, with which body."""

    state: SandboxState
    client_id: str
    version: str
    resource: str
    body: Any


def resource_allowed(resources: list[dict[str, Any]], path: str, method: str) -> bool:
    """OCAPI settings matching: `*` is one path segment, a trailing `**` any remainder."""
    segments = path.strip("/").split("/")
    for entry in resources:
        if method.lower() not in [m.lower() for m in entry.get("methods", [])]:
            continue
        pattern = str(entry.get("resource_id", "")).strip("/").split("/")
        if pattern and pattern[-1] == "**":
            head = pattern[:-1]
            if len(segments) >= len(head) and all(
                p in ("*", s) for p, s in zip(head, segments, strict=False)
            ):
                return True
        elif len(pattern) == len(segments) and all(
            p in ("*", s) for p, s in zip(pattern, segments, strict=True)
        ):
            return True
    return False


async def ocapi_call(request: Request, api: str) -> OcapiCall | Response:
    """Run the common OCAPI checks; a Response means the call is rejected with that fault."""
    state: SandboxState = request.app.state.sfcc
    params = request.path_params
    version = params["version"]
    match = _VERSION.match(version)
    if match is None:
        return ocapi_fault(
            400, "InvalidVersionException", f"Version '{version}' is malformed.", version=version
        )
    dotted = f"{int(match[1])}.{match[2]}"
    if not (18, 0) <= (int(match[1]), int(match[2])) <= (25, 9):
        return ocapi_fault(404, "VersionNotFoundException", f"Version '{dotted}' is unknown.", version=dotted)
    site = params.get("site", "-")
    if api == "shop" and site != state.site_id:
        return ocapi_fault(404, "UnknownSiteException", f"No site '{site}'.", site=site)
    resource = request.url.path.split(f"/dw/{api}/{version}", 1)[1] or "/"
    header = request.headers.get("authorization")
    if header is None:
        if not (request.query_params.get("client_id") or request.headers.get("x-dw-client-id")):
            return ocapi_fault(400, "MissingClientIdException", "No client id in the request.")
        return ocapi_fault(401, "AuthorizationHeaderMissingException", "The Authorization header is missing.")
    found = valid_token(request, state, ("am", "bm"))
    if found is None:
        token = header.split(" ", 1)[-1]
        return ocapi_fault(
            401, "InvalidAccessTokenException", "The access token is invalid or expired.", accessToken=token
        )
    client_id = found[1].client_id
    if not resource_allowed(state.ocapi_settings.get(api, {}).get(client_id, []), resource, request.method):
        return ocapi_fault(
            403,
            "ClientAccessForbiddenException",
            f"Access to the resource '{resource}' with method '{request.method}' is forbidden "
            f"for client id '{client_id}'.",
            method=request.method,
            path=resource,
        )
    raw = await request.body()
    body: Any = None
    if raw:
        try:
            body = jsonwire.loads(raw)
        except ValueError:
            return ocapi_fault(400, "BodyDecodingException", "The request body is not valid JSON.")
        if isinstance(body, dict) and "_v" in body and body["_v"] != dotted:
            return ocapi_fault(
                400, "UnexpectedVersionException", f"Document version {body['_v']} is not {dotted}."
            )
    return OcapiCall(state, client_id, dotted, resource, body)


def page(items: list[Any], request: Request, doc_type: str, version: str) -> dict[str, Any]:
    """An OCAPI list document for `start`/`count` query parameters."""
    start = int(request.query_params.get("start", 0))
    count = min(int(request.query_params.get("count", 25)), 200)
    chunk = items[start : start + count]
    return {
        "_v": version,
        "_type": doc_type,
        "count": len(chunk),
        "data": chunk,
        "start": start,
        "total": len(items),
    }
