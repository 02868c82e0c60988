"""Push one pre-calculated order with SCAPI `createOrders`, never twice.

One call creates the order, so there are no intermediate steps to resume: the order number
(derived from the TikTok id) is looked up first, and a conflict on creation means an earlier
attempt already made it. The order is placed on behalf of the customer the strategy found, with a
trusted-system token for that customer's login (SLAS names shoppers by login, not by number).
"""

from __future__ import annotations

from connectors.sfcc import jsonwire
from connectors.sfcc.client import SfccClient
from connectors.sfcc.customers import CustomerResolver
from connectors.sfcc.errors import SfccError
from connectors.sfcc.order_mapping import CustomerRef, SfccOrderInput
from connectors.sfcc.push_types import PlannedRequest, PushResult, StepRecorder
from connectors.sfcc.scapi_order import build_scapi_order
from connectors.sfcc.settings import SfccSettings

ORDERS_API = "checkout/orders/v1"


class ScapiOrderPusher:
    """Creates SFCC orders through the SCAPI Admin Orders API."""

    def __init__(self, client: SfccClient, customers: CustomerResolver) -> None:
        self.client = client
        self.customers = customers

    def orders_url(self, settings: SfccSettings) -> str:
        """`createOrders` URL of the configured site."""
        return self.client.scapi_url(ORDERS_API, "/orders") + f"?siteId={settings.site_id}"

    def order_url(self, settings: SfccSettings, order_no: str) -> str:
        """`getOrder` URL of one order."""
        return self.client.scapi_url(ORDERS_API, f"/orders/{order_no}") + f"?siteId={settings.site_id}"

    def plan_requests(
        self, order: SfccOrderInput, settings: SfccSettings, lookups: list[PlannedRequest]
    ) -> list[PlannedRequest]:
        """The requests a push would send: lookup, customer, the shopper's login, creation."""
        body = build_scapi_order(order, settings)
        customer_no = settings.generic_customer_number if not lookups else "{customer_no}"
        login = self.client.data_url(f"/customer_lists/{settings.customer_list}/customers/{customer_no}")
        return [
            PlannedRequest("check_order", "GET", self.order_url(settings, str(body["orderNo"]))),
            *lookups,
            PlannedRequest("resolve_login", "GET", login),
            PlannedRequest(
                "create_order",
                "POST",
                self.orders_url(settings),
                body,
                "with a trusted-system token for that login",
            ),
        ]

    def push(
        self,
        order: SfccOrderInput,
        settings: SfccSettings,
        customer: CustomerRef,
        recorder: StepRecorder,
    ) -> PushResult:
        """Create the order unless it exists; records `create_order` once it does."""
        body = build_scapi_order(order, settings)
        order_no = str(body["orderNo"])
        if "create_order" in recorder.completed_steps():
            return PushResult(order_no, created=False)
        found = self.client.request(
            "GET",
            self.order_url(settings, order_no),
            auth="scapi_admin",
            what=f"the lookup of order {order_no}",
            expect=frozenset({404}),
        )
        if found.status_code != 404:
            recorder.record("create_order", {"order_no": order_no, "found_existing": True})
            return PushResult(order_no, created=False, order=jsonwire.loads(found.content))
        login = customer.login or self.customers.login_of(settings, customer.customer_no)
        what = f"order {order_no} (TikTok {order.tiktok_order_id}) at step create_order"
        try:
            # UNCERTAIN: the spec does not name the status of a duplicate orderNo; 409 is the likely one.
            response = self.client.request(
                "POST",
                self.orders_url(settings),
                auth="scapi_tsob",
                shopper=login,
                what=what,
                json=body,
                expect=frozenset({409}),
            )
        except SfccError as error:
            error.step = "create_order"
            raise
        created = response.status_code != 409
        recorder.record("create_order", {"order_no": order_no, "found_existing": not created})
        return PushResult(order_no, created=created, steps_sent=["create_order"])
