"""The six customer strategies against the sandbox, and why TikTok orders need the generic one."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sfcc_helpers import make_order, make_settings

from connectors.engine.clock import SystemClock
from connectors.sfcc import jsonwire
from connectors.sfcc.basket_push import BasketPusher, MemoryStepRecorder
from connectors.sfcc.client import SfccClient
from connectors.sfcc.customers import CustomerResolver
from connectors.sfcc.errors import SfccCustomerMissingError
from connectors.sfcc.settings import CustomerStrategy

S = CustomerStrategy
GENERIC, GRACE, ACME = "00000001", "00000002", "00000003"


def _client(sandbox_url: str, http: httpx.Client, strategy: CustomerStrategy, **kw: Any) -> SfccClient:
    settings = make_settings(sandbox_url, customer_strategy=strategy, **kw)
    return SfccClient(http, settings, clock=SystemClock(), sleep=lambda s: None)


def _web_order(tiktok_id: str = "5001", email: str | None = None, company: str | None = None) -> Any:
    return make_order(tiktok_id, source_channel="web", buyer_email=email, buyer_company=company)


def _customers(admin: httpx.Client) -> list[dict[str, Any]]:
    orders = jsonwire.loads(admin.get("/_sandbox/orders").content)["data"]
    return [o["customer_info"]["customer_no"] for o in orders]


@pytest.mark.parametrize(
    ("strategy", "email", "company", "expected"),
    [
        (S.GENERIC, "grace@example.com", "Acme Corp", GENERIC),
        (S.EMAIL_CREATE, "grace@example.com", None, GRACE),
        (S.EMAIL_ELSE_GENERIC, "grace@example.com", None, GRACE),
        (S.EMAIL_ELSE_GENERIC, "nobody@example.com", None, GENERIC),
        (S.COMPANY_CREATE, None, "Acme Corp", ACME),
        (S.COMPANY_ELSE_GENERIC, "grace@example.com", "Acme Corp", ACME),
        (S.COMPANY_ELSE_GENERIC, "grace@example.com", "Nobody Inc", GENERIC),
        (S.COMPANY_THEN_EMAIL_ELSE_GENERIC, "grace@example.com", "Acme Corp", ACME),
        (S.COMPANY_THEN_EMAIL_ELSE_GENERIC, "grace@example.com", "Nobody Inc", GRACE),
        (S.COMPANY_THEN_EMAIL_ELSE_GENERIC, "nobody@example.com", "Nobody Inc", GENERIC),
        (S.COMPANY_THEN_EMAIL_ELSE_GENERIC, None, None, GENERIC),
    ],
)
def test_strategy_finds_the_customer_or_falls_back_on_the_generic_one(
    sandbox_url: str,
    http: httpx.Client,
    admin: httpx.Client,
    strategy: CustomerStrategy,
    email: str | None,
    company: str | None,
    expected: str,
) -> None:
    client = _client(sandbox_url, http, strategy)
    result = BasketPusher(client).push(_web_order(email=email, company=company), MemoryStepRecorder())
    assert result.created
    assert _customers(admin) == [expected]


@pytest.mark.parametrize(
    ("strategy", "email", "company", "login"),
    [
        (S.EMAIL_CREATE, "New.Buyer@Example.com", None, "new.buyer@example.com"),
        (S.COMPANY_CREATE, "ops@initech.example", "Initech LLC", "company.initech.llc"),
    ],
)
def test_create_strategies_create_the_buyer_once(
    sandbox_url: str,
    http: httpx.Client,
    admin: httpx.Client,
    strategy: CustomerStrategy,
    email: str,
    company: str | None,
    login: str,
) -> None:
    client = _client(sandbox_url, http, strategy)
    pusher = BasketPusher(client)
    recorder = MemoryStepRecorder()
    pusher.push(_web_order("6001", email, company), recorder)
    pusher.push(_web_order("6002", email, company), MemoryStepRecorder())
    first, second = _customers(admin)
    assert first == second and first not in (GENERIC, GRACE, ACME)
    assert recorder.steps["resolve_customer"] == {"customer_no": first, "how": "created"}
    created = client.request_json(
        "GET", client.data_url(f"/customer_lists/RefArch/customers/{first}"), auth="ocapi", what="t"
    )
    assert created["credentials"]["login"] == login
    assert created.get("company_name") == company


def test_repeated_creation_finds_the_customer_the_first_attempt_made(
    sandbox_url: str, http: httpx.Client
) -> None:
    client = _client(sandbox_url, http, S.EMAIL_CREATE)
    resolver = CustomerResolver(client)
    order = _web_order(email="twice@example.com")
    first = resolver.create(order, client.settings, "email")  # e.g. the process died right after
    again = resolver.create(order, client.settings, "email")  # LoginAlreadyInUseException -> search
    assert again.customer_no == first.customer_no and again.how == "email"


@pytest.mark.parametrize("strategy", [s for s in CustomerStrategy if s is not S.GENERIC])
def test_every_matching_strategy_fails_for_tiktok_orders_with_a_configuration_error(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client, strategy: CustomerStrategy
) -> None:
    client = _client(sandbox_url, http, strategy)
    with pytest.raises(SfccCustomerMissingError) as info:
        BasketPusher(client).push(make_order(), MemoryStepRecorder())
    message = info.value.message
    assert info.value.code == "sfcc.customer_missing"
    assert strategy.value in message and "tiktok orders do not carry" in message
    assert "Switch the strategy to 'generic_customer'" in message
    assert info.value.status_code is None  # refused before any request
    assert admin.get("/_sandbox/stats").json()["requests_total"] == 0


@pytest.mark.parametrize("strategy", [S.EMAIL_CREATE, S.COMPANY_CREATE])
def test_create_strategy_without_the_identity_is_customer_missing(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client, strategy: CustomerStrategy
) -> None:
    client = _client(sandbox_url, http, strategy)
    with pytest.raises(SfccCustomerMissingError, match="has no buyer"):
        BasketPusher(client).push(_web_order(), MemoryStepRecorder())
    assert jsonwire.loads(admin.get("/_sandbox/orders").content)["count"] == 0


def test_dry_run_shows_the_customer_lookups_and_the_conditional_creation(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client
) -> None:
    client = _client(sandbox_url, http, S.COMPANY_CREATE)
    planned = BasketPusher(client).plan_requests(_web_order(company="Acme Corp"))
    steps = [(p.step, p.method) for p in planned]
    assert steps[:3] == [("check_order", "GET"), ("resolve_customer", "POST"), ("create_customer", "POST")]
    assert planned[1].url.endswith("/s/-/dw/data/v25_6/customer_lists/RefArch/customer_search")
    assert planned[1].json["query"]["term_query"]["fields"] == ["company_name"]
    assert planned[2].note == "only when no customer matches"
    assert next(p for p in planned if p.step == "set_customer").json["customer_no"] == "{customer_no}"
    assert admin.get("/_sandbox/stats").json()["requests_total"] == 0
