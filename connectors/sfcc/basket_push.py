"""Push one order into SFCC, step by step, never twice.

The OCAPI Shop API basket flow (basket, customer, items, addresses, shipping method, payment
instrument, order) runs through the client; after each step the caller's `StepRecorder` persists
what happened. Idempotency rests on the order number, which we choose from the TikTok order id:
before building a basket we ask whether that order exists, and a 409 on creation means our
earlier attempt already succeeded. A crash mid-way leaves at most an open basket, which the next
attempt deletes before starting clean (its state is unknown: a POST may have landed unrecorded).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from connectors.sfcc import jsonwire
from connectors.sfcc.client import SfccClient
from connectors.sfcc.errors import SfccConflictError, SfccError
from connectors.sfcc.order_mapping import (
    DEFAULT_SHIPMENT,
    BasketPlan,
    SfccOrderInput,
    build_basket_plan,
    build_scapi_order,
    order_number_for,
)

log = logging.getLogger(__name__)

STEPS = (
    "create_basket",
    "set_customer",
    "add_items",
    "set_shipping_address",
    "set_shipping_method",
    "set_billing_address",
    "add_payment_instrument",
    "create_order",
)


class StepRecorder(Protocol):
    """Where the push writes its progress; the store implements it per OrderRoute.

    `record` upserts a step with its data (a later record of the same step replaces it) and must
    be durable before it returns; `completed_steps` returns what was recorded so far.
    """

    def record(self, step: str, data: Mapping[str, Any]) -> None: ...

    def completed_steps(self) -> Mapping[str, Mapping[str, Any]]: ...


class MemoryStepRecorder:
    """A StepRecorder in a dict, for tests, dry runs and one-off pushes."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, Any]] = {}
        self.history: list[str] = []

    def record(self, step: str, data: Mapping[str, Any]) -> None:
        """Remember the step and its data."""
        self.steps[step] = dict(data)
        self.history.append(step)

    def completed_steps(self) -> Mapping[str, Mapping[str, Any]]:
        """Everything recorded so far."""
        return self.steps


@dataclass(frozen=True)
class PlannedRequest:
    """One request the push would send (dry run); `{basket_id}` stands for the new basket."""

    step: str
    method: str
    url: str
    json: Any = None


@dataclass(frozen=True)
class PushResult:
    """Outcome of a push: the SFCC order number and whether this call created it."""

    order_no: str
    created: bool
    order: Mapping[str, Any] | None = None
    steps_sent: list[str] = field(default_factory=list)


class BasketPusher:
    """Creates, checks and cancels SFCC orders for TikTok orders through one `SfccClient`."""

    def __init__(self, client: SfccClient) -> None:
        self.client = client
        self.settings = client.settings

    # --- reading ----------------------------------------------------------------------------
    def find_order(self, order_no: str) -> Mapping[str, Any] | None:
        """The SFCC order with this number (Shop API), or None when SFCC has none."""
        response = self.client.request(
            "GET",
            self.client.shop_url(f"/orders/{order_no}"),
            auth="ocapi",
            what=f"the lookup of order {order_no}",
            expect=frozenset({404}),
        )
        if response.status_code == 404:
            return None
        doc: Mapping[str, Any] = jsonwire.loads(response.content)
        return doc

    # --- dry run ----------------------------------------------------------------------------
    def plan_requests(self, order: SfccOrderInput) -> list[PlannedRequest]:
        """The exact requests a push of `order` would send, in order, without sending any."""
        if self.settings.order_push_api == "scapi_create_orders":
            body = build_scapi_order(order, self.settings)
            return [
                PlannedRequest("check_order", "GET", self._scapi_order_url(body["orderNo"])),
                PlannedRequest("create_order", "POST", self._scapi_orders_url(), body),
            ]
        plan = build_basket_plan(order, self.settings)
        return [
            PlannedRequest("check_order", "GET", self.client.shop_url(f"/orders/{plan.order_no}")),
            *(PlannedRequest(step, method, url, body) for step, method, url, body in self._steps(plan)),
        ]

    def _steps(self, plan: BasketPlan, basket_id: str = "{basket_id}") -> list[tuple[str, str, str, Any]]:
        b = f"/baskets/{basket_id}"
        s = f"{b}/shipments/{DEFAULT_SHIPMENT}"
        url = self.client.shop_url
        return [
            ("create_basket", "POST", url("/baskets"), plan.basket),
            ("set_customer", "PUT", url(f"{b}/customer"), plan.customer),
            ("add_items", "POST", url(f"{b}/items"), plan.items),
            ("set_shipping_address", "PUT", url(f"{s}/shipping_address"), plan.shipping_address),
            ("set_shipping_method", "PUT", url(f"{s}/shipping_method"), plan.shipping_method),
            ("set_billing_address", "PUT", url(f"{b}/billing_address"), plan.billing_address),
            ("add_payment_instrument", "POST", url(f"{b}/payment_instruments"), plan.payment_instrument),
            ("create_order", "PUT", url(f"/orders/{plan.order_no}"), {"basket_id": basket_id}),
        ]

    # --- push -------------------------------------------------------------------------------
    def push(self, order: SfccOrderInput, recorder: StepRecorder) -> PushResult:
        """Create the SFCC order for `order` unless it exists; safe to call again after any crash."""
        if self.settings.order_push_api == "scapi_create_orders":
            return self._push_scapi(order, recorder)
        plan = build_basket_plan(order, self.settings)  # configuration errors before any request
        done = recorder.completed_steps()
        if "create_order" in done:
            return PushResult(plan.order_no, created=False)
        existing = self.find_order(plan.order_no)
        if existing is not None:
            recorder.record("create_order", {"order_no": plan.order_no, "found_existing": True})
            return PushResult(plan.order_no, created=False, order=existing)
        stale = done.get("create_basket", {}).get("basket_id")
        if stale:  # deleting an already deleted basket is a harmless 404
            self._discard_basket(str(stale), order, recorder)

        sent: list[str] = []
        basket_doc = self._send(order, plan, "create_basket", *self._steps(plan)[0][1:])
        basket_id = str(basket_doc["basket_id"])
        recorder.record("create_basket", {"basket_id": basket_id})
        sent.append("create_basket")
        try:
            for step, method, url, body in self._steps(plan, basket_id)[1:-1]:
                self._send(order, plan, step, method, url, body)
                recorder.record(step, {"basket_id": basket_id})
                sent.append(step)
            created = self._create_order(order, plan, basket_id)
        except SfccError:
            # A rejected basket would otherwise sit open and count against the customer's quota.
            # Best effort: the rejection is what the seller must see, not a failed cleanup.
            try:
                self._discard_basket(basket_id, order, recorder)
            except SfccError as cleanup:
                log.warning("could not delete basket %s after a rejection: %s", basket_id, cleanup.message)
            raise
        if created is None:
            self._discard_basket(basket_id, order, recorder)
        recorder.record("create_order", {"order_no": plan.order_no, "found_existing": created is None})
        sent.append("create_order")
        return PushResult(plan.order_no, created=created is not None, order=created, steps_sent=sent)

    def _create_order(
        self, order: SfccOrderInput, plan: BasketPlan, basket_id: str
    ) -> Mapping[str, Any] | None:
        """PUT /orders/{order_no}; a 409 means the number is taken, i.e. our order already exists."""
        step, method, url, body = self._steps(plan, basket_id)[-1]
        try:
            doc: Mapping[str, Any] = self._send(order, plan, step, method, url, body)
        except SfccConflictError:
            if self.find_order(plan.order_no) is None:
                raise
            return None
        return doc

    def _send(
        self, order: SfccOrderInput, plan: BasketPlan, step: str, method: str, url: str, body: Any
    ) -> Any:
        what = f"order {plan.order_no} (TikTok {order.tiktok_order_id}) at step {step}"
        try:
            return self.client.request_json(method, url, auth="ocapi", what=what, json=body)
        except SfccError as exc:
            exc.step = step
            raise

    def _discard_basket(self, basket_id: str, order: SfccOrderInput, recorder: StepRecorder) -> None:
        self.client.request(
            "DELETE",
            self.client.shop_url(f"/baskets/{basket_id}"),
            auth="ocapi",
            what=f"the cleanup of basket {basket_id} of TikTok order {order.tiktok_order_id}",
            expect=frozenset({404}),
        )
        recorder.record("discard_basket", {"basket_id": basket_id})

    # --- SCAPI createOrders -----------------------------------------------------------------
    def _scapi_orders_url(self) -> str:
        return self.client.scapi_url("checkout/orders/v1", "/orders") + f"?siteId={self.settings.site_id}"

    def _scapi_order_url(self, order_no: str) -> str:
        url = self.client.scapi_url("checkout/orders/v1", f"/orders/{order_no}")
        return f"{url}?siteId={self.settings.site_id}"

    def _push_scapi(self, order: SfccOrderInput, recorder: StepRecorder) -> PushResult:
        body = build_scapi_order(order, self.settings)
        order_no = str(body["orderNo"])
        if "create_order" in recorder.completed_steps():
            return PushResult(order_no, created=False)
        found = self.client.request(
            "GET",
            self._scapi_order_url(order_no),
            auth="scapi_admin",
            what=f"the lookup of order {order_no}",
            expect=frozenset({404}),
        )
        if found.status_code != 404:
            recorder.record("create_order", {"order_no": order_no, "found_existing": True})
            return PushResult(order_no, created=False, order=jsonwire.loads(found.content))
        what = f"order {order_no} (TikTok {order.tiktok_order_id}) at step create_order"
        # UNCERTAIN: the spec does not name the status of a duplicate orderNo; 409 is the likely one.
        response = self.client.request(
            "POST",
            self._scapi_orders_url(),
            auth="scapi_tsob",
            what=what,
            json=body,
            expect=frozenset({409}),
        )
        created = response.status_code != 409
        recorder.record("create_order", {"order_no": order_no, "found_existing": not created})
        return PushResult(order_no, created=created, steps_sent=["create_order"])

    # --- cancellation -----------------------------------------------------------------------
    def cancel(self, tiktok_order_id: str) -> bool:
        """Set the SFCC order of a TikTok order to `cancelled`; False if it already was.

        Raises SfccNotFoundError when SFCC has no such order (nothing to cancel yet).
        """
        order_no = order_number_for(tiktok_order_id, self.settings.order_number_prefix)
        site = self.settings.site_id
        try:
            self.client.request(
                "PUT",
                self.client.data_url(f"/sites/{site}/orders/{order_no}/status"),
                auth="ocapi",
                what=f"the cancellation of order {order_no} (TikTok {tiktok_order_id})",
                json={"status": "cancelled"},
            )
        except SfccConflictError:
            current = self.find_order(order_no)
            if current is not None and current.get("status") == "cancelled":
                return False
            raise
        return True
