"""The basket push end to end against the running SFCC sandbox."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sfcc_helpers import make_order, make_settings

from connectors.engine.clock import SystemClock
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc import jsonwire
from connectors.sfcc.basket_push import BasketPusher, MemoryStepRecorder
from connectors.sfcc.client import SfccClient
from connectors.sfcc.errors import SfccError
from connectors.sfcc.order_mapping import OrderLine
from connectors.sfcc.sandbox.app import create_app, default_seed


def orders_in(admin: httpx.Client) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = jsonwire.loads(admin.get("/_sandbox/orders").content)["data"]
    return data


def test_push_creates_order_with_generic_customer_method_payment_items_and_totals(
    client: SfccClient, admin: httpx.Client
) -> None:
    recorder = MemoryStepRecorder()
    result = BasketPusher(client).push(make_order(), recorder)
    assert result.created and result.order_no == "TT576653688135258178"
    assert recorder.history == [
        "create_basket",
        "set_customer",
        "add_items",
        "set_shipping_address",
        "set_shipping_method",
        "set_billing_address",
        "add_payment_instrument",
        "create_order",
    ]
    [order] = orders_in(admin)
    assert order["order_no"] == "TT576653688135258178"
    assert order["customer_info"]["customer_no"] == "00000001"
    assert order["shipments"][0]["shipping_method"]["id"] == "001"
    assert order["payment_instruments"][0]["payment_method_id"] == "TTS"
    assert order["payment_instruments"][0]["amount"] == Decimal("58.47")
    assert [(i["product_id"], i["quantity"]) for i in order["product_items"]] == [
        ("TSHIRT-RED-M", 2),
        ("MUG-001", 1),
    ]
    assert order["order_total"] == Decimal("58.47")
    assert admin.get("/_sandbox/stats").json()["open_baskets"] == 0


def test_push_twice_creates_one_order(client: SfccClient, admin: httpx.Client) -> None:
    pusher = BasketPusher(client)
    first = pusher.push(make_order(), MemoryStepRecorder())
    second = pusher.push(make_order(), MemoryStepRecorder())  # e.g. the store lost its record
    assert first.created and not second.created
    assert len(orders_in(admin)) == 1


class Crash(Exception):
    """Stands for the process dying right after a step reached SFCC."""


class CrashingRecorder(MemoryStepRecorder):
    def __init__(self, crash_at: str) -> None:
        super().__init__()
        self.crash_at: str | None = crash_at

    def record(self, step: str, data: Mapping[str, Any]) -> None:
        if step == self.crash_at:
            self.crash_at = None
            raise Crash(step)
        super().record(step, data)


@pytest.mark.parametrize(
    "crash_at", ["set_customer", "add_items", "set_shipping_method", "add_payment_instrument", "create_order"]
)
def test_resume_after_crash_between_steps_creates_no_duplicate(
    client: SfccClient, admin: httpx.Client, crash_at: str
) -> None:
    recorder = CrashingRecorder(crash_at)
    with pytest.raises(Crash):
        BasketPusher(client).push(make_order(), recorder)
    result = BasketPusher(client).push(make_order(), recorder)  # the restarted daemon
    assert result.order_no == "TT576653688135258178"
    orders = orders_in(admin)
    assert len(orders) == 1
    assert [i["quantity"] for i in orders[0]["product_items"]] == [2, 1]  # no doubled items
    assert admin.get("/_sandbox/stats").json()["open_baskets"] == 0  # the stale basket was cleaned up
    assert "create_order" in recorder.completed_steps()


def test_taken_order_number_409_means_already_created(client: SfccClient, admin: httpx.Client) -> None:
    BasketPusher(client).push(make_order(), MemoryStepRecorder())
    racing = BasketPusher(client)
    lookups = iter([None])  # the existence check misses it (another worker created it meanwhile)
    real_find = racing.find_order
    racing.find_order = lambda order_no: next(lookups, real_find(order_no))  # type: ignore[method-assign]
    result = racing.push(make_order(), MemoryStepRecorder())
    assert not result.created
    assert len(orders_in(admin)) == 1
    assert admin.get("/_sandbox/stats").json()["open_baskets"] == 0


def _expect_rejection(
    client: SfccClient, admin: httpx.Client, order: Any, code: str, fault_type: str
) -> SfccError:
    with pytest.raises(SfccError) as info:
        BasketPusher(client).push(order, MemoryStepRecorder())
    error = info.value
    assert error.code == code
    assert error.fault is not None and error.fault.type == fault_type
    assert error.raw["fault"]["type"] == fault_type
    assert order.tiktok_order_id in error.message
    assert orders_in(admin) == []
    assert admin.get("/_sandbox/stats").json()["open_baskets"] == 0  # rejected baskets are discarded
    return error


def test_unknown_shipping_method_is_invalid_shipping_method(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client
) -> None:
    client = SfccClient(
        http,
        make_settings(sandbox_url, shipping_method_mapping={"Standard Shipping": "EXP"}),
        clock=SystemClock(),
        sleep=lambda s: None,
    )
    error = _expect_rejection(
        client, admin, make_order(), "sfcc.invalid_shipping_method", "InvalidShippingMethodIdException"
    )
    assert error.step == "set_shipping_method"


def test_blank_shipping_method_is_missing_shipping_method(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client
) -> None:
    pusher = BasketPusher(
        SfccClient(http, make_settings(sandbox_url), clock=SystemClock(), sleep=lambda s: None)
    )
    # A hand-made request without an id, as a broken mapping row would send it.
    basket = pusher.client.request_json(
        "POST", pusher.client.shop_url("/baskets"), auth="ocapi", what="t", json={}
    )
    with pytest.raises(SfccError) as info:
        pusher.client.request(
            "PUT",
            pusher.client.shop_url(f"/baskets/{basket['basket_id']}/shipments/me/shipping_method"),
            auth="ocapi",
            what="t",
            json={},
        )
    assert info.value.code == "sfcc.invalid_shipping_method"
    assert info.value.fault is not None and info.value.fault.type == "MissingShippingMethodIdException"


def test_bad_payment_method_is_invalid_payment_method(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client
) -> None:
    from connectors.sfcc.settings import PaymentMethodRule

    settings = make_settings(
        sandbox_url, payment_method_mapping=[PaymentMethodRule(sfcc_payment_method_id="TIKTOK")]
    )
    client = SfccClient(http, settings, clock=SystemClock(), sleep=lambda s: None)
    _expect_rejection(
        client, admin, make_order(), "sfcc.invalid_payment_method", "InvalidPaymentMethodIdException"
    )


def test_unknown_generic_customer_is_customer_missing(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client
) -> None:
    client = SfccClient(
        http,
        make_settings(sandbox_url, generic_customer_number="99999"),
        clock=SystemClock(),
        sleep=lambda s: None,
    )
    _expect_rejection(client, admin, make_order(), "sfcc.customer_missing", "CustomerNotFoundException")


@pytest.mark.parametrize(
    ("sku", "quantity", "fault_type"),
    [
        ("NO-SUCH-SKU", 1, "InvalidProductItemException"),
        ("OLD-001", 1, "InvalidProductItemException"),  # offline
        ("TSHIRT", 1, "InvalidProductItemException"),  # a master is not orderable
        ("TSHIRT-BLUE-M", 2, "ProductItemNotAvailableException"),  # ATS is 1
    ],
)
def test_product_problems_are_product_unavailable(
    client: SfccClient, admin: httpx.Client, sku: str, quantity: int, fault_type: str
) -> None:
    order = make_order(lines=[OrderLine(sku=sku, quantity=quantity, unit_price=Decimal("1.00"))])
    _expect_rejection(client, admin, order, "sfcc.product_unavailable", fault_type)


def test_wrong_ocapi_password_is_auth_failed(sandbox_url: str, http: httpx.Client) -> None:
    from pydantic import SecretStr

    client = SfccClient(
        http,
        make_settings(sandbox_url, ocapi_client_password=SecretStr("wrong")),
        clock=SystemClock(),
        sleep=lambda s: None,
    )
    with pytest.raises(SfccError) as info:
        BasketPusher(client).push(make_order(), MemoryStepRecorder())
    assert info.value.code == "sfcc.auth_failed"
    assert "OCAPI client 'ocapi-client-0001'" in info.value.message
    assert "wrong" not in info.value.message


@pytest.fixture
def restricted_sandbox() -> Iterator[str]:
    seed = copy.deepcopy(default_seed())
    shop = seed["ocapi_settings"]["shop"]["clients"][0]["resources"]
    seed["ocapi_settings"]["shop"]["clients"][0]["resources"] = [
        r for r in shop if r["resource_id"] != "/orders/**"
    ]
    with running_sandbox(create_app(seed)) as url:
        yield url


def test_client_missing_from_ocapi_settings_is_permission_denied(
    restricted_sandbox: str, http: httpx.Client
) -> None:
    client = SfccClient(http, make_settings(restricted_sandbox), clock=SystemClock(), sleep=lambda s: None)
    with pytest.raises(SfccError) as info:
        BasketPusher(client).push(make_order(), MemoryStepRecorder())
    error = info.value
    assert error.code == "sfcc.permission_denied"
    assert error.fault is not None and error.fault.type == "ClientAccessForbiddenException"
    assert error.fault.arguments == {"method": "GET", "path": "/orders/TT576653688135258178"}


def test_expired_tokens_are_refreshed_transparently(client: SfccClient, admin: httpx.Client) -> None:
    pusher = BasketPusher(client)
    assert pusher.find_order("TT1") is None
    admin.post("/_sandbox/faults", json={"expire_tokens": True})
    assert pusher.find_order("TT1") is None  # 401 InvalidAccessTokenException -> refresh -> resend
    assert admin.get("/_sandbox/stats").json()["responses_by_status"]["401"] == 1


def test_injected_429_and_503_are_retried_without_sleeping(
    client: SfccClient, admin: httpx.Client, sleeps: list[float]
) -> None:
    admin.post("/_sandbox/faults", json={"next_429": 2, "next_503": 1, "retry_after": 2})
    assert BasketPusher(client).push(make_order(), MemoryStepRecorder()).created
    # The very first call is the token request, so Account Manager absorbs the faults; its
    # Retry-After is honoured like the API's.
    assert sleeps[:2] == [2.0, 2.0] and len(sleeps) == 3
    assert len(orders_in(admin)) == 1


def test_maintenance_exhausts_retries_as_unavailable(client: SfccClient, admin: httpx.Client) -> None:
    admin.post("/_sandbox/faults", json={"maintenance": True})
    with pytest.raises(SfccError) as info:
        BasketPusher(client).push(make_order(), MemoryStepRecorder())
    assert info.value.code == "sfcc.unavailable"


def test_seeded_random_errors_are_deterministic_and_survivable(
    client: SfccClient, admin: httpx.Client
) -> None:
    admin.post("/_sandbox/faults", json={"seed": 42, "error_rate": 0.2, "error_status": 503})
    pusher = BasketPusher(client)
    for n in range(5):
        pusher.push(
            make_order(f"10{n}", lines=[OrderLine(sku="MUG-001", quantity=1, unit_price=Decimal("12.50"))]),
            MemoryStepRecorder(),
        )
    assert len(orders_in(admin)) == 5


def test_dry_run_lists_exact_requests_and_sends_nothing(client: SfccClient, admin: httpx.Client) -> None:
    planned = BasketPusher(client).plan_requests(make_order())
    assert [(p.step, p.method) for p in planned] == [
        ("check_order", "GET"),
        ("create_basket", "POST"),
        ("set_customer", "PUT"),
        ("add_items", "POST"),
        ("set_shipping_address", "PUT"),
        ("set_shipping_method", "PUT"),
        ("set_billing_address", "PUT"),
        ("add_payment_instrument", "POST"),
        ("create_order", "PUT"),
    ]
    assert planned[5].url.endswith(
        "/s/RefArch/dw/shop/v25_6/baskets/{basket_id}/shipments/me/shipping_method"
    )
    assert planned[5].json == {"id": "001"}
    assert planned[-1].url.endswith("/orders/TT576653688135258178")
    assert admin.get("/_sandbox/stats").json()["requests_total"] == 0


def test_cancel_sets_status_cancelled_and_releases_stock(client: SfccClient, admin: httpx.Client) -> None:
    pusher = BasketPusher(client)
    pusher.push(make_order(), MemoryStepRecorder())
    assert pusher.cancel("576653688135258178") is True
    assert pusher.cancel("576653688135258178") is False  # already cancelled: nothing to do
    [order] = orders_in(admin)
    assert order["status"] == "cancelled"


def test_cancel_of_unknown_order_is_not_found(client: SfccClient) -> None:
    with pytest.raises(SfccError) as info:
        BasketPusher(client).cancel("404404")
    assert info.value.code == "sfcc.not_found"


def test_scapi_create_orders_path_creates_once(
    sandbox_url: str, http: httpx.Client, admin: httpx.Client
) -> None:
    settings = make_settings(sandbox_url, order_push_api="scapi_create_orders")
    pusher = BasketPusher(SfccClient(http, settings, clock=SystemClock(), sleep=lambda s: None))
    first = pusher.push(make_order(), MemoryStepRecorder())
    second = pusher.push(make_order(), MemoryStepRecorder())
    assert first.created and not second.created
    [order] = orders_in(admin)
    assert order["channel_type"] == "tiktok"
    assert order["shipments"][0]["shipping_method"] == {"id": "001"}
    assert order["order_total"] == Decimal("58.47")
