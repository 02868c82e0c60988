"""The sandboxes' admin surfaces (``/_sandbox/``), as the demo uses them: seed, clock, edits, reads."""

from __future__ import annotations

from typing import Any

import httpx

ADMIN_TIMEOUT = httpx.Timeout(60.0, connect=5.0)


class SandboxAdminError(RuntimeError):
    """An admin call failed; the message names the call and the sandbox's answer."""


def _checked(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 400:
        raise SandboxAdminError(f"{what} failed with HTTP {response.status_code}: {response.text[:300]}")
    return response.json() if response.content else None


class TikTokAdmin:
    """``/_sandbox/`` of the TikTok Shop sandbox."""

    def __init__(self, http: httpx.Client, base_url: str) -> None:
        self.http = http
        self.base = f"{base_url}/_sandbox"

    def reset(self) -> None:
        _checked(self.http.post(f"{self.base}/reset"), "TikTok sandbox reset")

    def seed(self, document: dict[str, Any]) -> dict[str, int]:
        answer = _checked(self.http.post(f"{self.base}/seed", json=document), "TikTok seed")
        loaded: dict[str, int] = answer["loaded"]
        return loaded

    def seed_catalog(self, document: dict[str, Any]) -> dict[str, int]:
        """Categories, their rules and attributes, and brands (``/_sandbox/catalog/seed``)."""
        answer = _checked(self.http.post(f"{self.base}/catalog/seed", json=document), "TikTok catalog seed")
        loaded: dict[str, int] = answer["loaded"]
        return loaded

    def now(self) -> int:
        return int(_checked(self.http.get(f"{self.base}/clock"), "TikTok clock")["now"])

    def advance_clock(self, seconds: float) -> int:
        answer = _checked(
            self.http.post(f"{self.base}/clock", json={"advance_seconds": seconds}), "clock move"
        )
        return int(answer["now"])

    def order(self, order_id: str) -> dict[str, Any]:
        found: dict[str, Any] = _checked(self.http.get(f"{self.base}/orders/{order_id}"), f"order {order_id}")
        return found

    def edit_order(self, order_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        changed: dict[str, Any] = _checked(
            self.http.post(f"{self.base}/orders/{order_id}", json=fields), f"edit of order {order_id}"
        )
        return changed

    def state(self) -> dict[str, Any]:
        found: dict[str, Any] = _checked(self.http.get(f"{self.base}/state"), "TikTok sandbox state")
        return found

    def inventory(self) -> dict[str, Any]:
        found: dict[str, Any] = _checked(self.http.get(f"{self.base}/inventory"), "TikTok inventory")
        return found


class SfccAdmin:
    """``/_sandbox/`` of the SFCC sandbox."""

    def __init__(self, http: httpx.Client, base_url: str) -> None:
        self.http = http
        self.base = f"{base_url}/_sandbox"

    def seed(self, document: dict[str, Any]) -> dict[str, int]:
        loaded: dict[str, int] = _checked(self.http.post(f"{self.base}/seed", json=document), "SFCC seed")
        return loaded

    def order(self, order_no: str) -> dict[str, Any] | None:
        response = self.http.get(f"{self.base}/orders/{order_no}")
        if response.status_code == 404:
            return None
        found: dict[str, Any] = _checked(response, f"SFCC order {order_no}")
        return found

    def orders(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = _checked(self.http.get(f"{self.base}/orders"), "SFCC orders")["data"]
        return found

    def ship(self, order_no: str, tracking_number: str, carrier: str) -> dict[str, Any]:
        body = {"tracking_number": tracking_number, "c_carrier": carrier}
        shipped: dict[str, Any] = _checked(
            self.http.post(f"{self.base}/orders/{order_no}/ship", json=body), f"shipping of {order_no}"
        )
        return shipped

    def stats(self) -> dict[str, Any]:
        found: dict[str, Any] = _checked(self.http.get(f"{self.base}/stats"), "SFCC stats")
        return found
