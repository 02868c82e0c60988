"""TikTok's response envelope, as the sandbox answers it."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from starlette.responses import JSONResponse

# Business errors come with HTTP 200 except the ones TikTok was seen answering otherwise:
# 106001 with 401 (live capture) and rate limiting with 429. UNCERTAIN for the others.
_HTTP_STATUS = {106001: 401, 36009002: 429, 36009009: 404, 36009003: 500}

_counter = itertools.count(1)
_counter_lock = threading.Lock()


def request_id() -> str:
    """A request id shaped like TikTok's: a timestamp prefix then hex."""
    with _counter_lock:
        serial = next(_counter)
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + f"{serial:020X}"


def ok(data: Any = None) -> JSONResponse:
    """A success envelope."""
    return JSONResponse({"code": 0, "message": "Success", "request_id": request_id(), "data": data})


def error(
    code: int, message: str, *, status: int | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """An error envelope with TikTok's HTTP status for that code."""
    body = {"code": code, "message": message, "request_id": request_id(), "data": None}
    return JSONResponse(body, status_code=status or _HTTP_STATUS.get(code, 200), headers=headers)


class ApiError(Exception):
    """Raised inside a route to answer with an error envelope."""

    def __init__(self, code: int, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def response(self) -> JSONResponse:
        return error(self.code, self.message, status=self.status)


def invalid_param(name: str, why: str = "") -> ApiError:
    """36009004 'invalid param error', the gateway's answer to a malformed parameter."""
    return ApiError(36009004, f"invalid param error: {name}{' ' + why if why else ''}")
