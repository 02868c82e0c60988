"""The client end to end against the running sandbox."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from connectors.tiktok.client import TikTokClient
from connectors.tiktok.errors import AmbiguousWriteError, AuthExpiredError, NotFoundError, ValidationError
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.faults import FaultConfig
from connectors.tiktok.sandbox.seed import (
    DEFAULT_CIPHER,
    DEFAULT_SHOP_ID,
    DEFAULT_WAREHOUSE,
    apply_seed,
    make_order,
)
from connectors.tiktok.schemas import aggregate_lines, lifecycle_status

T0 = 1772452800  # 2026-03-02 12:00 UTC, the fixtures' clock start


def _seed_orders(sandbox: Sandbox) -> None:
    state = sandbox.state
    statuses = [
        "UNPAID",
        "ON_HOLD",
        "AWAITING_SHIPMENT",
        "PARTIALLY_SHIPPING",
        "IN_TRANSIT",
        "DELIVERED",
        "COMPLETED",
        "CANCELLED",
    ]
    for n, status in enumerate(statuses):
        state.put_order(
            make_order(f"57665368813525{n:04d}", status=status, create_time=T0 - 1000 + n, units=[1])
        )
    state.put_order(
        make_order(
            "576653688135259000",
            status="AWAITING_SHIPMENT",
            create_time=T0 - 500,
            units=[3, 0, 1],
            fulfillment_type="FULFILLMENT_BY_SELLER",
        )
    )
    state.put_order(
        make_order(
            "576653688135259001",
            status="AWAITING_COLLECTION",
            create_time=T0 - 400,
            units=[1],
            fulfillment_type="FULFILLMENT_BY_TIKTOK",
        )
    )


def test_client_binds_shop_and_reads_logistics(client: TikTokClient) -> None:
    record = client.tokens.current()
    assert record.shop_cipher == DEFAULT_CIPHER and record.shop_id == DEFAULT_SHOP_ID
    warehouses = client.get_warehouses()
    assert [w.is_default for w in warehouses] == [True, False]
    options = client.get_delivery_options(DEFAULT_WAREHOUSE)
    providers = client.get_shipping_providers(options[0].id)
    assert {p.name for p in providers} == {"USPS", "UPS", "FedEx"}


def test_client_pulls_every_status_with_lifecycle(client: TikTokClient, sandbox: Sandbox) -> None:
    _seed_orders(sandbox)
    pages = list(client.iter_order_pages({"update_time_ge": T0 - 2000}, page_size=3))
    orders = [o for page in pages for o in page.orders]
    assert len(pages) == 4 and len(orders) == len({o.id for o in orders}) == 10
    by_status = {o.status: o for o in orders if o.fulfillment_type == "FULFILLMENT_BY_SELLER"}
    assert lifecycle_status(by_status["ON_HOLD"]) == "onHold"
    assert by_status["ON_HOLD"].recipient_address is None  # hidden while on hold
    assert by_status["UNPAID"].recipient_address is None
    assert by_status["IN_TRANSIT"].recipient_address is not None
    assert lifecycle_status(by_status["CANCELLED"]) == "canceled"
    fbt = next(o for o in orders if o.fulfillment_type == "FULFILLMENT_BY_TIKTOK")
    assert lifecycle_status(fbt) == "fulfilled"
    multi = client.get_orders(["576653688135259000"])[0]
    lines = aggregate_lines(multi.line_items)
    assert [(a.seller_sku, a.quantity, len(a.line_ids)) for a in lines] == [("SHIRT-M", 3, 3), ("TOTE", 1, 1)]
    assert multi.payment is not None and multi.payment.total_amount == Decimal("85.50")


def test_client_on_hold_released_after_window(client: TikTokClient, sandbox: Sandbox) -> None:
    sandbox.state.put_order(
        make_order("576653688135250001", status="ON_HOLD", create_time=T0 - 60, units=[1])
    )
    assert client.get_orders(["576653688135250001"])[0].status == "ON_HOLD"
    sandbox.state.clock.advance(3600)
    released = client.get_orders(["576653688135250001"])[0]
    assert released.status == "AWAITING_SHIPMENT" and released.recipient_address is not None
    assert released.update_time == T0 - 30 + 3600


def test_client_partial_then_full_fulfillment(client: TikTokClient, sandbox: Sandbox) -> None:
    _seed_orders(sandbox)
    order = client.get_orders(["576653688135259000"])[0]
    provider = client.get_shipping_providers(order.delivery_option_id or "")[0]
    first_ids = [line.id for line in order.line_items[:2]]
    first = client.mark_package_shipped(
        order.id, tracking_number="1Z001", shipping_provider_id=provider.id, order_line_item_ids=first_ids
    )
    assert first.order_line_item_ids == first_ids
    assert client.get_orders([order.id])[0].status == "PARTIALLY_SHIPPING"
    rest = client.mark_package_shipped(order.id, tracking_number="1Z002", shipping_provider_id=provider.id)
    assert len(rest.order_line_item_ids) == 2
    assert client.get_orders([order.id])[0].status == "AWAITING_COLLECTION"
    detail = client.get_package_detail(rest.package_id)
    assert detail.tracking_number == "1Z002" and detail.shipping_provider_id == provider.id
    shipments = sandbox.state.received.shipments
    assert [s["tracking_number"] for s in shipments] == ["1Z001", "1Z002"]
    with pytest.raises(ValidationError):  # nothing left to ship
        client.mark_package_shipped(order.id, tracking_number="1Z003", shipping_provider_id=provider.id)


def test_client_fulfillment_refusals(client: TikTokClient, sandbox: Sandbox) -> None:
    _seed_orders(sandbox)
    with pytest.raises(ValidationError, match="not available for delivery option"):
        client.mark_package_shipped("576653688135259000", tracking_number="1Z", shipping_provider_id="999")
    with pytest.raises(ValidationError, match="ON_HOLD"):
        client.mark_package_shipped("576653688135250001", tracking_number="1Z", shipping_provider_id="1")
    with pytest.raises(NotFoundError):
        client.mark_package_shipped("1", tracking_number="1Z", shipping_provider_id="1")


def test_client_inventory_update_with_partial_failure(client: TikTokClient, sandbox: Sandbox) -> None:
    result = client.update_inventory(
        "1729582718312380123",
        {"1729582718312446001": {DEFAULT_WAREHOUSE: 7}, "1729582718312446999": {DEFAULT_WAREHOUSE: 1}},
    )
    assert [e.detail.sku_id for e in result.errors if e.detail] == ["1729582718312446999"]
    assert result.errors[0].code == 12052990
    inventory = client.search_inventory(product_ids=["1729582718312380123"]).inventory[0]
    quantities = {s.seller_sku: s.total_available_quantity for s in inventory.skus}
    assert quantities == {"SHIRT-M": 7, "SHIRT-L": 4}
    products = client.search_products(seller_skus=["TOTE"]).products
    assert [p.skus[0].id for p in products] == ["1729582718312446003"]


def test_sandbox_inventory_update_keeps_warehouses_apart_and_wants_every_one(
    client: TikTokClient, sandbox: Sandbox
) -> None:
    west, shirts, shirt_m, shirt_l = (
        "7068517275539719960",
        "1729582718312380123",
        "1729582718312446001",
        "1729582718312446002",
    )
    apply_seed(sandbox.state, {"warehouses": [{"id": west, "name": "West", "type": "SALES_WAREHOUSE"}]})
    # A SKU in one warehouse may be sent to more; from then on it is stocked in both.
    assert client.update_inventory(shirts, {shirt_m: {DEFAULT_WAREHOUSE: 5, west: 2}}).errors == []
    result = client.update_inventory(
        shirts,
        {shirt_m: {DEFAULT_WAREHOUSE: 9}, shirt_l: {DEFAULT_WAREHOUSE: 3, "7000000000000000001": 1}},
    )
    refused = {
        e.detail.sku_id: [(x["code"], x["warehouse_id"]) for x in e.detail.extra_errors]
        for e in result.errors
        if e.detail
    }
    assert {e.code for e in result.errors} == {12052990}  # a failed SKU inside a code-0 answer
    assert refused == {shirt_m: [(12019028, west)], shirt_l: [(12052097, "7000000000000000001")]}
    # Refused SKUs keep their stock; searches answer per warehouse.
    (inventory,) = client.search_inventory(product_ids=[shirts]).inventory
    levels = {
        s.seller_sku: {w.warehouse_id: w.available_quantity for w in s.warehouse_inventory}
        for s in inventory.skus
    }
    assert levels == {"SHIRT-M": {DEFAULT_WAREHOUSE: 5, west: 2}, "SHIRT-L": {DEFAULT_WAREHOUSE: 4}}
    assert {s.seller_sku: s.total_available_quantity for s in inventory.skus} == {"SHIRT-M": 7, "SHIRT-L": 4}
    (product,) = [p for p in client.search_products(seller_skus=["SHIRT-M"]).products if p.id == shirts]
    shirt = next(s for s in product.skus if s.id == shirt_m)
    assert {i.warehouse_id: i.quantity for i in shirt.inventory} == {DEFAULT_WAREHOUSE: 5, west: 2}
    assert client.update_inventory(shirts, {shirt_m: {west: 0, DEFAULT_WAREHOUSE: 6}}).errors == []
    assert sandbox.state.products[shirts]["skus"][0]["inventory"] == [
        {"warehouse_id": DEFAULT_WAREHOUSE, "quantity": 6},
        {"warehouse_id": west, "quantity": 0},
    ]


def test_client_after_sales_statements_and_webhooks(client: TikTokClient, sandbox: Sandbox) -> None:
    state = sandbox.state
    state.cancellations.append(
        {
            "cancel_id": "4035",
            "order_id": "57665368813525",
            "cancel_status": "CANCELLATION_REQUEST_PENDING",
            "update_time": T0,
            "refund_amount": {"currency": "USD", "refund_total": "24.50"},
        }
    )
    state.returns.append(
        {
            "return_id": "4036",
            "order_id": "57665368813525",
            "return_status": "RETURN_OR_REFUND_REQUEST_PENDING",
            "update_time": T0,
        }
    )
    state.statements.append(
        {
            "id": "7001",
            "statement_time": T0 - 86400,
            "currency": "USD",
            "settlement_amount": "100.10",
            "payment_status": "PAID",
        }
    )
    cancellation = client.search_cancellations({"update_time_ge": T0 - 10}).cancellations[0]
    assert cancellation.refund_amount is not None and cancellation.refund_amount.refund_total == Decimal(
        "24.50"
    )
    assert client.search_returns().return_orders[0].return_id == "4036"
    assert client.get_statements(statement_time_ge=T0 - 90000).statements[0].settlement_amount == Decimal(
        "100.10"
    )
    client.update_webhook("ORDER_STATUS_CHANGE", "https://hooks.example.test/tiktok")
    assert [w.event_type for w in client.get_webhooks()] == ["ORDER_STATUS_CHANGE"]
    client.delete_webhook("ORDER_STATUS_CHANGE")
    assert client.get_webhooks() == []


def test_client_refreshes_when_token_expires_mid_run(
    client: TikTokClient, http: httpx.Client, sandbox_url: str
) -> None:
    before = client.tokens.current().access_token
    http.post(f"{sandbox_url}/_sandbox/tokens/expire", json={})
    assert client.get_warehouses()  # 105002 -> refresh -> re-sent
    assert client.tokens.current().access_token != before
    assert client.tokens.current().shop_cipher == DEFAULT_CIPHER


def test_client_deauthorised_seller_raises_auth_expired(
    client: TikTokClient, http: httpx.Client, sandbox_url: str
) -> None:
    http.post(f"{sandbox_url}/_sandbox/tokens/expire", json={"refresh": True})
    with pytest.raises(AuthExpiredError, match="Re-authorise"):
        client.get_warehouses()


def test_client_survives_5xx_429_and_token_expiry(client: TikTokClient, sandbox: Sandbox) -> None:
    sandbox.state.put_order(
        make_order("576653688135250002", status="AWAITING_SHIPMENT", create_time=T0, units=[1])
    )
    from connectors.tiktok.sandbox.seed import generate_orders

    ids = set(generate_orders(sandbox.state, 400, start_time=T0 - 5000, seed=3)) | {"576653688135250002"}
    sandbox.faults.configure(FaultConfig(error_rate=0.10, rate_429=0.05, seed=11))
    seen: list[str] = []
    for n, page in enumerate(client.iter_order_pages(page_size=20)):
        if n == 5:
            sandbox.state.clock.advance(0)  # keep the window; expire tokens instead
            for grant in sandbox.state.grants.values():
                grant.access_expire = sandbox.state.clock.timestamp()
        seen.extend(o.id for o in page.orders)
    assert len(seen) == len(set(seen)) and set(seen) == ids
    assert sum(sandbox.faults.injected.values()) > 0
    assert client.caller.retries >= sandbox.faults.injected["error"] + sandbox.faults.injected["429"]


def test_client_dropped_write_is_ambiguous_and_applied(client: TikTokClient, sandbox: Sandbox) -> None:
    _seed_orders(sandbox)
    sandbox.faults.configure(FaultConfig(drop_rate=1.0))
    with pytest.raises(AmbiguousWriteError):
        client.mark_package_shipped(
            "576653688135259000", tracking_number="1Z9", shipping_provider_id="6617675021119438849"
        )
    assert len(sandbox.state.received.shipments) == 1  # applied once, never re-sent
    sandbox.faults.configure(FaultConfig())
    detail = client.get_orders(["576653688135259000"])[0]
    assert all(line.tracking_number == "1Z9" for line in detail.line_items)


@pytest.mark.parametrize("sort_order", ["ASC", "DESC"])
def test_client_pages_filtered_search_in_both_orders(
    client: TikTokClient, sandbox: Sandbox, sort_order: str
) -> None:
    from connectors.tiktok.sandbox.seed import generate_orders

    generate_orders(sandbox.state, 45, start_time=T0 - 5000, seed=5)
    _seed_orders(sandbox)
    filters = {"order_status": "AWAITING_SHIPMENT", "create_time_ge": T0 - 4990}
    pages = list(
        client.iter_order_pages(filters, page_size=10, sort_field="create_time", sort_order=sort_order)
    )
    orders = [o for page in pages for o in page.orders]
    times = [o.create_time for o in orders]
    assert times == sorted(times, reverse=sort_order == "DESC")
    assert len(orders) == len({o.id for o in orders}) == 35 + 2  # 35 generated in range, 2 seeded
    assert all(page.total_count == 37 for page in pages)
