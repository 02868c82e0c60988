"""Find the SFCC customer an order is placed for, under the six strategies a seller can choose.

The generic strategy needs no request. The others search the site's customer list (OCAPI Data
`customer_search`) by company and/or email, then either create the customer or fall back on the
generic one. Creation is safe to repeat: the login is derived from the email or company, so a
second attempt meets `LoginAlreadyInUseException` and finds the customer the first one made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from connectors.sfcc.client import SfccClient, is_fault
from connectors.sfcc.errors import SfccCustomerMissingError, SfccError
from connectors.sfcc.order_mapping import (
    CustomerRef,
    SfccOrderInput,
    check_customer_strategy,
    generic_customer,
)
from connectors.sfcc.push_types import PlannedRequest
from connectors.sfcc.settings import CustomerStrategy, SfccSettings

Identity = Literal["email", "company"]
Fallback = Literal["create", "generic"]

#: SFCC field searched for each identity.
SEARCH_FIELDS: dict[Identity, str] = {"email": "email", "company": "company_name"}


@dataclass(frozen=True)
class StrategyPlan:
    """What a strategy looks up, in order, and what it does when nothing matches."""

    lookups: tuple[Identity, ...]
    fallback: Fallback


PLANS: dict[CustomerStrategy, StrategyPlan] = {
    CustomerStrategy.EMAIL_CREATE: StrategyPlan(("email",), "create"),
    CustomerStrategy.EMAIL_ELSE_GENERIC: StrategyPlan(("email",), "generic"),
    CustomerStrategy.COMPANY_CREATE: StrategyPlan(("company",), "create"),
    CustomerStrategy.COMPANY_ELSE_GENERIC: StrategyPlan(("company",), "generic"),
    CustomerStrategy.COMPANY_THEN_EMAIL_ELSE_GENERIC: StrategyPlan(("company", "email"), "generic"),
}


def identity_of(order: SfccOrderInput, identity: Identity) -> str | None:
    """The order's buyer email or company, stripped; None when the channel gave none."""
    value = order.buyer_email if identity == "email" else order.buyer_company
    return value.strip() if value and value.strip() else None


def login_for(order: SfccOrderInput, identity: Identity) -> str:
    """The login of a customer created for this order: the email, or one derived from the company."""
    value = identity_of(order, identity) or ""
    if identity == "email":
        return value.lower()
    # UNCERTAIN: sites may restrict logins; a lowercase slug with dots passes the default rules.
    return "company." + re.sub(r"[^a-z0-9]+", ".", value.lower()).strip(".")


class CustomerResolver:
    """Runs a customer strategy against one SFCC connection."""

    def __init__(self, client: SfccClient) -> None:
        self.client = client
        # Logins never change once a customer exists; one lookup per customer per process.
        self._logins: dict[str, str] = {}

    # --- the strategy -----------------------------------------------------------------------
    def resolve(self, order: SfccOrderInput, settings: SfccSettings) -> CustomerRef:
        """The customer for `order`; raises SfccCustomerMissingError when the strategy cannot serve it."""
        check_customer_strategy(order, settings)
        plan = PLANS.get(settings.customer_strategy)
        if plan is None:
            return generic_customer(order, settings)
        for identity in plan.lookups:
            value = identity_of(order, identity)
            if value is None:
                continue
            found = self.find(settings, identity, value)
            if found is not None:
                return found
        if plan.fallback == "generic":
            return generic_customer(order, settings)
        return self.create(order, settings, plan.lookups[0])

    def plan_requests(self, order: SfccOrderInput, settings: SfccSettings) -> list[PlannedRequest]:
        """The requests `resolve` may send, for a dry run (none for the generic customer)."""
        check_customer_strategy(order, settings)
        plan = PLANS.get(settings.customer_strategy)
        if plan is None:
            return []
        planned = [
            PlannedRequest(
                "resolve_customer", "POST", self._search_url(settings), self._search_body(identity, value)
            )
            for identity in plan.lookups
            if (value := identity_of(order, identity)) is not None
        ]
        if plan.fallback == "create":
            body = self._create_body(order, plan.lookups[0])
            planned.append(
                PlannedRequest(
                    "create_customer",
                    "POST",
                    self._customers_url(settings),
                    body,
                    "only when no customer matches",
                )
            )
        return planned

    # --- requests ---------------------------------------------------------------------------
    def find(self, settings: SfccSettings, identity: Identity, value: str) -> CustomerRef | None:
        """The first customer (lowest number) whose email or company equals `value`."""
        doc = self.client.request_json(
            "POST",
            self._search_url(settings),
            auth="ocapi",
            what=f"the customer search by {identity} in customer list {settings.customer_list}",
            json=self._search_body(identity, value),
        )
        for hit in (doc or {}).get("hits") or []:
            customer = hit.get("data", hit)
            if customer.get("customer_no"):
                return CustomerRef(str(customer["customer_no"]), how=identity, login=_login_of(customer))
        return None

    def create(self, order: SfccOrderInput, settings: SfccSettings, identity: Identity) -> CustomerRef:
        """Create the buyer as a customer; a login already in use means an earlier attempt made it."""
        value = identity_of(order, identity)
        if value is None:
            raise SfccCustomerMissingError(
                f"Order {order.tiktok_order_id} was not pushed: customer strategy "
                f"'{settings.customer_strategy.value}' creates customers by {identity}, but the "
                f"{order.source_channel} order has no buyer {identity}. Choose a strategy that falls "
                "back on the generic customer."
            )
        try:
            doc = self.client.request_json(
                "POST",
                self._customers_url(settings),
                auth="ocapi",
                what=f"the creation of a customer for order {order.tiktok_order_id}",
                json=self._create_body(order, identity),
            )
        except SfccError as error:
            if not is_fault(error, "LoginAlreadyInUseException"):
                raise
            found = self.find(settings, identity, value)
            if found is None:
                raise
            return found
        return CustomerRef(str(doc["customer_no"]), how="created", login=_login_of(doc))

    def login_of(self, settings: SfccSettings, customer_no: str) -> str:
        """The login of a customer (trusted-system tokens name shoppers by login, not number)."""
        if customer_no in self._logins:
            return self._logins[customer_no]
        doc = self.client.request_json(
            "GET",
            self.client.data_url(f"/customer_lists/{settings.customer_list}/customers/{customer_no}"),
            auth="ocapi",
            what=f"the lookup of customer {customer_no}",
        )
        login = _login_of(doc or {})
        if not login:
            raise SfccCustomerMissingError(
                f"SFCC customer {customer_no} has no login, so no order can be placed on its behalf "
                "through SCAPI. Use a registered customer as the generic customer."
            )
        self._logins[customer_no] = login
        return login

    def _search_url(self, settings: SfccSettings) -> str:
        return self.client.data_url(f"/customer_lists/{settings.customer_list}/customer_search")

    def _customers_url(self, settings: SfccSettings) -> str:
        return self.client.data_url(f"/customer_lists/{settings.customer_list}/customers")

    @staticmethod
    def _search_body(identity: Identity, value: str) -> dict[str, Any]:
        return {
            "query": {
                "term_query": {"fields": [SEARCH_FIELDS[identity]], "operator": "is", "values": [value]}
            },
            "select": "(**)",
            "sorts": [{"field": "customer_no", "sort_order": "asc"}],
            "start": 0,
            "count": 1,
        }

    @staticmethod
    def _create_body(order: SfccOrderInput, identity: Identity) -> dict[str, Any]:
        address = order.billing_address or order.shipping_address
        body: dict[str, Any] = {
            "credentials": {"login": login_for(order, identity), "enabled": True},
            "first_name": address.first_name,
            "last_name": address.last_name or address.first_name,
        }
        if identity_of(order, "email"):
            body["email"] = identity_of(order, "email")
        if identity_of(order, "company"):
            body["company_name"] = identity_of(order, "company")
        return body


def _login_of(customer: Mapping[str, Any]) -> str | None:
    credentials = customer.get("credentials")
    if isinstance(credentials, Mapping) and credentials.get("login"):
        return str(credentials["login"])
    login = customer.get("login")
    return str(login) if login else None
