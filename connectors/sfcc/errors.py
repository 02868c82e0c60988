"""Typed SFCC errors: OCAPI fault documents, SCAPI problem+json and SLAS OAuth errors.

Every error carries the stable EXCEPTIONS.md `code`, the parsed fault (type, message, arguments)
and the raw downstream document, so the store can keep the evidence for diagnosis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import httpx

FaultSource = Literal["ocapi", "scapi", "slas", "http"]


@dataclass(frozen=True)
class Fault:
    """One downstream fault, whatever API family produced it."""

    type: str
    message: str
    arguments: dict[str, Any] = field(default_factory=dict)
    source: FaultSource = "ocapi"


class SfccError(Exception):
    """Base of every SFCC connector error; `code` is the EXCEPTIONS.md code."""

    code: ClassVar[str] = "sfcc.request_rejected"

    def __init__(
        self,
        message: str,
        *,
        fault: Fault | None = None,
        status_code: int | None = None,
        raw: Any = None,
        retry_after: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fault = fault
        self.status_code = status_code
        self.raw = raw
        #: SFCC's Retry-After header, when it sent one (429 and some 503s)
        self.retry_after = retry_after
        #: the push step that failed, when the error comes from the basket flow
        self.step: str | None = None


class SfccAuthError(SfccError):
    """A credential was refused (token endpoint or an invalid access token)."""

    code = "sfcc.auth_failed"


class SfccPermissionError(SfccError):
    """The client lacks an OCAPI resource permission or an OAuth scope."""

    code = "sfcc.permission_denied"


class SfccUnavailableError(SfccError):
    """429, 503 (load or maintenance), 504 or a transport failure, after the retries ran out."""

    code = "sfcc.unavailable"


class SfccInvalidShippingMethodError(SfccError):
    """SFCC refused the shipping method id (invalid or missing)."""

    code = "sfcc.invalid_shipping_method"


class SfccInvalidPaymentMethodError(SfccError):
    """No payment mapping applies, or SFCC refused the payment method id."""

    code = "sfcc.invalid_payment_method"


class SfccCustomerMissingError(SfccError):
    """No usable customer: generic customer unset or unknown, or a strategy TikTok cannot serve."""

    code = "sfcc.customer_missing"


class SfccProductUnavailableError(SfccError):
    """Product unknown, offline, outside the site catalog, or not enough stock."""

    code = "sfcc.product_unavailable"


class SfccNotFoundError(SfccError):
    """The addressed SFCC entity (order, basket, list) does not exist."""

    code = "sfcc.not_found"


class SfccConflictError(SfccError):
    """409: the entity's state forbids the change (taken order number, status transition)."""

    code = "sfcc.conflict"


class ShippingMethodNotMappedError(SfccError):
    """The order's delivery option has no SFCC shipping method in the mapping."""

    code = "mapping.shipping_method_missing"


# Fault type (OCAPI) or problem slug (SCAPI) -> error class. Anything absent falls back on status.
_FAULT_CLASSES: dict[str, type[SfccError]] = {
    "InvalidShippingMethodIdException": SfccInvalidShippingMethodError,
    "MissingShippingMethodIdException": SfccInvalidShippingMethodError,
    "InvalidPaymentMethodIdException": SfccInvalidPaymentMethodError,
    "CustomerNotFoundException": SfccCustomerMissingError,
    "CustomerListCustomerNotFoundException": SfccCustomerMissingError,
    "CustomerListNotFoundException": SfccCustomerMissingError,
    "InvalidCustomerException": SfccCustomerMissingError,
    "customer-not-found": SfccCustomerMissingError,
    "invalid-customer": SfccCustomerMissingError,
    "InvalidProductItemException": SfccProductUnavailableError,
    "ProductItemNotAvailableException": SfccProductUnavailableError,
    "InvalidProductIdException": SfccProductUnavailableError,
    "InvalidProductItemQuantityException": SfccProductUnavailableError,
    "product-not-found": SfccProductUnavailableError,
    "product-item-not-available": SfccProductUnavailableError,
    "invalid_client": SfccAuthError,
}

_HINTS: dict[str, str] = {
    SfccAuthError.code: "Check that credential in the SFCC connection settings.",
    SfccPermissionError.code: "Add the resource and method to the OCAPI settings, or the scope.",
    SfccUnavailableError.code: "SFCC is busy or in maintenance; the call is retried automatically.",
    SfccInvalidShippingMethodError.code: "Map the delivery option to a shipping method id the site has.",
    SfccInvalidPaymentMethodError.code: "Map the payment to a method id the site has (e.g. TTS).",
    SfccCustomerMissingError.code: "Set the generic customer number to an existing SFCC customer.",
    SfccProductUnavailableError.code: "Check the product is online, in the catalog and in stock.",
}


def parse_fault(response: httpx.Response) -> Fault | None:
    """Read the fault from an error response, or None when the body is not a known shape."""
    try:
        doc = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    ocapi = doc.get("fault")
    if isinstance(ocapi, dict) and "type" in ocapi:
        args = ocapi.get("arguments")
        return Fault(str(ocapi["type"]), str(ocapi.get("message", "")), _flat_args(args), "ocapi")
    if "title" in doc and "type" in doc:
        # problem+json: the slug is the last path segment of the type URI.
        slug = str(doc["type"]).rstrip("/").rsplit("/", 1)[-1]
        extras = {k: v for k, v in doc.items() if k not in {"type", "title", "detail", "instance"}}
        return Fault(slug, str(doc.get("detail") or doc["title"]), extras, "scapi")
    if "error" in doc:
        return Fault(str(doc["error"]), str(doc.get("error_description", "")), {}, "slas")
    return None


#: Fault arguments that echo a credential; they are dropped so a stored fault never holds one.
_SECRET_ARGUMENTS = frozenset({"accessToken", "access_token", "token"})


def _flat_args(args: Any) -> dict[str, Any]:
    # Some published specs model arguments as {type, value}; real responses are a flat map. Take both.
    if not isinstance(args, dict):
        return {}
    flat: dict[str, Any] = {}
    for key, value in args.items():
        if key in _SECRET_ARGUMENTS:
            flat[str(key)] = "[redacted]"
        elif isinstance(value, dict) and set(value) <= {"type", "value"} and "value" in value:
            flat[str(key)] = value["value"]
        else:
            flat[str(key)] = value
    return flat


def error_class_for(status_code: int, fault: Fault | None) -> type[SfccError]:
    """Pick the error class from the fault type first, the HTTP status second."""
    if fault is not None and fault.type in _FAULT_CLASSES:
        return _FAULT_CLASSES[fault.type]
    if status_code == 401:
        return SfccAuthError
    if status_code == 403:
        return SfccPermissionError
    if status_code in (429, 502, 503, 504):
        return SfccUnavailableError
    if status_code == 404:
        return SfccNotFoundError
    if status_code == 409:
        return SfccConflictError
    return SfccError


def error_from_response(response: httpx.Response, what: str) -> SfccError:
    """Turn an error response into a typed error whose message names `what` was attempted."""
    fault = parse_fault(response)
    cls = error_class_for(response.status_code, fault)
    raw = raw_document(response)
    detail = f"{fault.message} ({fault.type})" if fault else f"HTTP {response.status_code}"
    hint = _HINTS.get(cls.code, "")
    message = f"SFCC rejected {what}: {detail}. {hint}".strip()
    return cls(
        message,
        fault=fault,
        status_code=response.status_code,
        raw=raw,
        retry_after=response.headers.get("Retry-After"),
    )


def raw_document(response: httpx.Response) -> Any:
    """The response body as SFCC sent it (JSON when it is JSON), echoed credentials redacted."""
    try:
        return _redact(json.loads(response.content))
    except ValueError:
        return response.text[:2000]


def _redact(doc: Any) -> Any:
    """The raw document with echoed credentials replaced, fit to be stored and shown."""
    if isinstance(doc, dict):
        return {k: "[redacted]" if k in _SECRET_ARGUMENTS else _redact(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_redact(v) for v in doc]
    return doc
