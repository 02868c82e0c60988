"""Image upload: the one product endpoint whose body is multipart, so it has its own endpoint.

It passes the same gateway as every JSON route (faults, app key, timestamp, sign, token, rate limit)
but the sign covers no body, as for every multipart call, and the body is read as form data.
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from connectors.tiktok.image_probe import probe_image
from connectors.tiktok.sandbox.catalog_state import ImageRecord
from connectors.tiktok.sandbox.checks import verify
from connectors.tiktok.sandbox.envelope import ApiError, error, invalid_param, ok
from connectors.tiktok.sandbox.faults import DroppedResponse

if TYPE_CHECKING:
    from connectors.tiktok.sandbox.app import Sandbox

PATH = "/product/202309/images/upload"
USE_CASES = ("MAIN_IMAGE", "ATTRIBUTE_IMAGE", "DESCRIPTION_IMAGE", "CERTIFICATION_IMAGE", "SIZE_CHART_IMAGE")
MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE, MAX_SIDE = 100, 20_000
FORMATS = ("JPEG", "PNG")
_URI_PREFIX = "tos-maliva-i-o3syd03w52-us/"
_CDN = "https://p16-oec-va.ibyteimg.com/"


def _form(content_type: str, body: bytes) -> dict[str, bytes]:
    """The multipart fields by name (file or text), parsed with the standard library."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, bytes] = {}
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise ApiError(36009022, "The request body must be multipart/form-data with a boundary.")
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = payload
    return fields


def upload(sandbox: Sandbox, content_type: str, body: bytes) -> dict[str, object]:
    """Check and store one image; returns the Upload Product Image ``data``."""
    if content_type.split(";")[0].strip().lower() != "multipart/form-data":
        raise ApiError(36009023, "The content-type must be multipart/form-data.")
    fields = _form(content_type, body)
    data = fields.get("data")
    if not data:
        raise invalid_param("data", "(the image file) is required")
    use_case = fields.get("use_case", b"MAIN_IMAGE").decode(errors="replace") or "MAIN_IMAGE"
    if use_case not in USE_CASES:
        raise invalid_param("use_case", f"must be one of {', '.join(USE_CASES)}")
    if len(data) > MAX_BYTES:
        raise ApiError(12038005, "The image file is too large: at most 5 MB.")
    info = probe_image(data)
    if info is None or info.format not in FORMATS:
        raise ApiError(12038004, "The image format is not supported: use JPG, JPEG or PNG.")
    if not all(MIN_SIDE <= side <= MAX_SIDE for side in (info.width, info.height)):
        raise ApiError(12038014, f"The image is {info.width}x{info.height} px; allowed is 100 to 20000 px.")
    uri = _URI_PREFIX + hashlib.sha256(data).hexdigest()[:32]
    suffix = "png" if info.format == "PNG" else "jpeg"
    record = ImageRecord(
        uri,
        f"{_CDN}{uri}~tplv-o3syd03w52-origin-{suffix}.{suffix}",
        info.width,
        info.height,
        info.format,
        len(data),
        use_case,
    )
    state = sandbox.state
    with state.lock:
        state.catalog.images[uri] = record
    return {"uri": uri, "url": record.url, "width": info.width, "height": info.height, "use_case": use_case}


def upload_routes(sandbox: Sandbox) -> list[StarletteRoute]:
    """The multipart upload endpoint, wired through the same gateway checks as the JSON routes."""
    state = sandbox.state

    async def endpoint(request: Request) -> Response:
        body = await request.body()
        fault = sandbox.faults.decide(f"POST {PATH}")
        if fault == "429":
            return error(
                36009002,
                "Too many requests. Retry later.",
                headers={"Retry-After": str(sandbox.faults.config.retry_after)},
            )
        if fault == "error":
            return error(36009003, "Internal error. Please retry.", status=500)
        try:
            caller = verify(state, request, body)
            retry_after = sandbox.limiter.check(caller.shop_key)
            if retry_after is not None:
                return error(36009002, "Too many requests.", headers={"Retry-After": str(retry_after)})
            data = upload(sandbox, request.headers.get("content-type", ""), body)
        except ApiError as exc:
            state.count(state.received.rejections, exc.code)
            return exc.response()
        state.count(state.received.calls, f"POST {PATH}")
        return DroppedResponse() if fault == "drop" else ok(data)

    return [StarletteRoute(PATH, endpoint, methods=["POST"])]
