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
from typing import Any

from connectors.sfcc import jsonwire
from connectors.sfcc.client import SfccClient
from connectors.sfcc.customers import CustomerResolver
from connectors.sfcc.errors import SfccConflictError, SfccError
from connectors.sfcc.order_mapping import (
    DEFAULT_SHIPMENT,
    BasketPlan,
    CustomerRef,
    SfccOrderInput,
    build_basket_plan,
    check_order_config,
    order_number_for,
    uses_generic_customer,
)
from connectors.sfcc.push_types import MemoryStepRecorder, PlannedRequest, PushResult, StepRecorder
from connectors.sfcc.scapi_push import ScapiOrderPusher
from connectors.sfcc.settings import SfccSettings

__all__ = [
    "STEPS",
    "BasketPusher",
    "MemoryStepRecorder",
    "PlannedRequest",
    "PushResult",
    "StepRecorder",
]

log = logging.getLogger(__name__)

STEPS = (
    "resolve_customer",
    "create_basket",
    "set_customer",
    "add_items",
    "set_shipping_address",
    "set_shipping_method",
    "set_billing_address",
    "add_payment_instrument",
    "create_order",
)


class BasketPusher:
    """Creates, checks and cancels SFCC orders for TikTok orders through one `SfccClient`.

    `settings` may differ from the client's: the flows overlay the store's mappings on them.
    """

    def __init__(self, client: SfccClient, settings: SfccSettings | None = None) -> None:
        self.client = client
        self.settings = settings or client.settings
        self.customers = CustomerResolver(client)
        self.scapi = ScapiOrderPusher(client, self.customers)

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
        """The exact requests a push of `order` would send, in order, without sending any.

        Configuration problems raise here too, exactly as the push would raise them.
        """
        settings = self.settings
        lookups = self.customers.plan_requests(order, settings)
        if settings.order_push_api == "scapi_create_orders":
            return self.scapi.plan_requests(order, settings, lookups)
        customer = None if uses_generic_customer(settings) else CustomerRef("{customer_no}")
        plan = build_basket_plan(order, settings, customer)
        return [
            PlannedRequest("check_order", "GET", self.client.shop_url(f"/orders/{plan.order_no}")),
            *lookups,
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
        check_order_config(order, self.settings)  # configuration errors before any request
        if self.settings.order_push_api == "scapi_create_orders":
            customer = self.resolve_customer(order, recorder)
            return self.scapi.push(order, self.settings, customer, recorder)
        order_no = order_number_for(order.tiktok_order_id, self.settings.order_number_prefix)
        done = recorder.completed_steps()
        if "create_order" in done:
            return PushResult(order_no, created=False)
        existing = self.find_order(order_no)
        if existing is not None:
            recorder.record("create_order", {"order_no": order_no, "found_existing": True})
            return PushResult(order_no, created=False, order=existing)
        plan = build_basket_plan(order, self.settings, self.resolve_customer(order, recorder))
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

    def resolve_customer(self, order: SfccOrderInput, recorder: StepRecorder) -> CustomerRef:
        """The customer of the order under the strategy; recorded in the journal as evidence.

        Resolving again after a crash is safe: lookups have no effect and a creation repeated
        finds the customer the first attempt made (see connectors.sfcc.customers).
        """
        try:
            customer = self.customers.resolve(order, self.settings)
        except SfccError as error:
            error.step = error.step or "resolve_customer"
            raise
        if not uses_generic_customer(self.settings):
            recorder.record("resolve_customer", {"customer_no": customer.customer_no, "how": customer.how})
        return customer

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

    # --- cancellation -----------------------------------------------------------------------
    def cancel_request(self, tiktok_order_id: str) -> PlannedRequest:
        """The request that cancels the SFCC order of a TikTok order (for a dry run)."""
        order_no = order_number_for(tiktok_order_id, self.settings.order_number_prefix)
        url = self.client.data_url(f"/sites/{self.settings.site_id}/orders/{order_no}/status")
        return PlannedRequest("cancel_order", "PUT", url, {"status": "cancelled"})

    def cancel(self, tiktok_order_id: str) -> bool:
        """Set the SFCC order of a TikTok order to `cancelled`; False if it already was.

        Raises SfccNotFoundError when SFCC has no such order (nothing to cancel yet).
        """
        order_no = order_number_for(tiktok_order_id, self.settings.order_number_prefix)
        planned = self.cancel_request(tiktok_order_id)
        try:
            self.client.request(
                planned.method,
                planned.url,
                auth="ocapi",
                what=f"the cancellation of order {order_no} (TikTok {tiktok_order_id})",
                json=planned.json,
            )
        except SfccConflictError:
            current = self.find_order(order_no)
            if current is not None and current.get("status") == "cancelled":
                return False
            raise
        return True
