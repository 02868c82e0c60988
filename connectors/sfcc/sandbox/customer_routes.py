"""Sandbox OCAPI Data API customers: read one, search a list, create one.

A site's customer list is named after the site. Customers are kept as seeded; a response shows
the login under `credentials`, as the Data API does.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.sfcc.sandbox.faults import json_response, ocapi_fault
from connectors.sfcc.sandbox.ocapi import OcapiCall, ocapi_call
from connectors.sfcc.sandbox.search import UnsupportedQuery, search
from connectors.sfcc.sandbox.state import login_of

BASE = "/s/-/dw/data/{version}/customer_lists/{list_id}"
SEARCH_WINDOW = 10_000


def customer_document(doc: dict[str, Any], version: str) -> dict[str, Any]:
    """A stored customer as the Data API shows it."""
    shown = {k: v for k, v in doc.items() if k not in ("login", "password")}
    shown["credentials"] = {"login": login_of(doc), "enabled": True, "locked": False}
    return {"_v": version, "_type": "customer", **shown}


async def _call(request: Request) -> OcapiCall | Response:
    call = await ocapi_call(request, "data")
    if isinstance(call, Response):
        return call
    list_id = request.path_params["list_id"]
    if list_id != call.state.site_id:
        return ocapi_fault(
            404, "CustomerListNotFoundException", f"No customer list '{list_id}'.", customerListId=list_id
        )
    return call


async def customer(request: Request) -> Response:
    """GET /customer_lists/{list}/customers/{customer_no}."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    number = request.path_params["customer_no"]
    doc = call.state.customers.get(number)
    if doc is None:
        return ocapi_fault(
            404, "CustomerListCustomerNotFoundException", f"No customer '{number}'.", customerNo=number
        )
    return json_response(customer_document(doc, call.version))


async def customer_search(request: Request) -> Response:
    """POST /customer_lists/{list}/customer_search: term queries on email, company_name, ..."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    body = call.body if isinstance(call.body, dict) else {}
    if int(body.get("start", 0)) + int(body.get("count", 25)) > SEARCH_WINDOW:
        return ocapi_fault(400, "MalformedParameterException", "start + count must not exceed 10000.")
    with call.state.lock:
        docs = [dict(d) for d in call.state.customers.values()]
    try:
        hits, start, total = search(docs, body)
    except UnsupportedQuery as exc:
        return ocapi_fault(400, "MalformedParameterException", str(exc))
    return json_response(
        {
            "_v": call.version,
            "_type": "customer_search_result",
            "count": len(hits),
            "hits": [
                {"_type": "customer_search_hit", "data": customer_document(h, call.version), "relevance": 1.0}
                for h in hits
            ],
            "start": start,
            "total": total,
        }
    )


async def create_customer(request: Request) -> Response:
    """POST /customer_lists/{list}/customers: credentials with a unique login are mandatory."""
    call = await _call(request)
    if isinstance(call, Response):
        return call
    body = call.body if isinstance(call.body, dict) else {}
    credentials = body.get("credentials")
    if not isinstance(credentials, dict):
        return ocapi_fault(400, "CredentialsMissingException", "The credentials are missing.")
    login = credentials.get("login")
    if login is None:
        return ocapi_fault(400, "LoginMissingException", "The login is missing.")
    if not isinstance(login, str) or not login.strip() or len(login) > 256 or " " in login:
        return ocapi_fault(
            400, "InvalidLoginException", f"The login '{login}' is not acceptable.", login=login
        )
    state = call.state
    with state.lock:
        if state.customer_by_login(login) is not None:
            return ocapi_fault(
                400, "LoginAlreadyInUseException", f"The login '{login}' is already in use.", login=login
            )
        number = state.next_id("")
        while number in state.customers:
            number = state.next_id("")
        stored = {
            k: v for k, v in body.items() if not k.startswith("_") and k not in ("credentials", "customer_no")
        }
        stored.update(customer_no=number, login=login, creation_date=state.now_iso())
        state.customers[number] = stored
    return json_response(customer_document(stored, call.version))


ROUTES = [
    Route(BASE + "/customers/{customer_no}", customer, methods=["GET"]),
    Route(BASE + "/customers", create_customer, methods=["POST"]),
    Route(BASE + "/customer_search", customer_search, methods=["POST"]),
]
