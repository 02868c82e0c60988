"""TikTok order -> OCAPI basket documents and SCAPI createOrders body; configuration errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr, ValidationError
from sfcc_helpers import make_order, make_settings

from connectors.sfcc.errors import (
    SfccCustomerMissingError,
    SfccInvalidPaymentMethodError,
    ShippingMethodNotMappedError,
)
from connectors.sfcc.order_mapping import build_basket_plan, order_number_for
from connectors.sfcc.scapi_order import allocate_by_weight, build_scapi_order
from connectors.sfcc.settings import CustomerStrategy, PaymentMethodRule, SfccSettings


def test_basket_plan_uses_generic_customer_mapped_method_and_payment_total() -> None:
    plan = build_basket_plan(make_order(), make_settings())
    assert plan.order_no == "TT576653688135258178"
    assert plan.customer == {"customer_no": "00000001", "email": "tt576653688135258178@tiktok.invalid"}
    assert plan.items == [
        {"product_id": "TSHIRT-RED-M", "quantity": 2, "shipment_id": "me"},
        {"product_id": "MUG-001", "quantity": 1, "shipment_id": "me"},
    ]
    assert plan.shipping_method == {"id": "001"}
    assert plan.payment_instrument == {"amount": Decimal("58.47"), "payment_method_id": "TTS"}
    assert isinstance(plan.payment_instrument["amount"], Decimal)
    assert plan.shipping_address["country_code"] == "US"
    assert plan.billing_address == plan.shipping_address
    assert plan.basket == {"currency": "USD"}


def test_order_number_is_deterministic_from_tiktok_id() -> None:
    assert order_number_for("576653688135258178") == order_number_for("576653688135258178")
    assert order_number_for("1", prefix="TTS-") == "TTS-1"


def test_unmapped_delivery_option_raises_mapping_code() -> None:
    with pytest.raises(ShippingMethodNotMappedError) as info:
        build_basket_plan(make_order(delivery_option_name="Economy"), make_settings())
    assert info.value.code == "mapping.shipping_method_missing"
    assert "Economy" in info.value.message and "map shipping Economy" in info.value.message


def test_missing_generic_customer_number_raises_customer_missing() -> None:
    with pytest.raises(SfccCustomerMissingError) as info:
        build_basket_plan(make_order(), make_settings(generic_customer_number=None))
    assert info.value.code == "sfcc.customer_missing"
    assert "generic customer number" in info.value.message


@pytest.mark.parametrize("strategy", [s for s in CustomerStrategy if s is not CustomerStrategy.GENERIC])
def test_email_and_company_strategies_fail_for_tiktok_orders(strategy: CustomerStrategy) -> None:
    with pytest.raises(SfccCustomerMissingError, match="generic_customer"):
        build_basket_plan(make_order(), make_settings(customer_strategy=strategy))


def test_empty_payment_mapping_raises_invalid_payment_method() -> None:
    with pytest.raises(SfccInvalidPaymentMethodError) as info:
        build_basket_plan(make_order(), make_settings(payment_method_mapping=[]))
    assert info.value.code == "sfcc.invalid_payment_method"


def test_payment_mapping_table_first_matching_row_wins() -> None:
    rules = [
        PaymentMethodRule(tiktok_payment_method="PayPal", sfcc_payment_method_id="TTS_PAYPAL"),
        PaymentMethodRule(sfcc_payment_method_id="TTS", amount="order_total"),
    ]
    settings = make_settings(payment_method_mapping=rules)
    order = make_order(tiktok_payment_method="PayPal")
    assert build_basket_plan(order, settings).payment_instrument["payment_method_id"] == "TTS_PAYPAL"
    card = make_order(tiktok_payment_method="Card").model_copy(
        update={"totals": make_order().totals.model_copy(update={"order_total": Decimal("60.00")})}
    )
    assert build_basket_plan(card, settings).payment_instrument == {
        "amount": Decimal("60.00"),
        "payment_method_id": "TTS",
    }


def test_scapi_order_body_totals_add_up_and_channel_is_tiktok() -> None:
    order = make_order()
    order = order.model_copy(update={"totals": order.totals.model_copy(update={"tax": Decimal("4.33")})})
    body = build_scapi_order(order, make_settings())
    assert body["channelType"] == "tiktok"
    assert body["orderNo"] == "TT576653688135258178"
    assert body["shipments"][0]["shippingMethod"] == "001"
    gross = sum(item["grossPrice"] for item in body["productItems"])
    assert gross + body["shipments"][0]["shippingTotal"] == body["orderTotal"]
    assert sum(item["tax"] for item in body["productItems"]) == body["taxTotal"] == Decimal("4.33")
    assert body["paymentInstruments"][0]["paymentTransaction"]["transactionId"] == order.tiktok_order_id


@given(
    total=st.decimals(min_value=0, max_value=10_000, places=2),
    weights=st.lists(st.decimals(min_value=0, max_value=1000, places=2), min_size=1, max_size=6),
)
def test_allocate_always_sums_to_total(total: Decimal, weights: list[Decimal]) -> None:
    shares = allocate_by_weight(total, weights)
    assert sum(shares, Decimal(0)) == total
    assert len(shares) == len(weights)


def test_settings_forbid_unknown_fields_and_keep_secrets_out_of_repr() -> None:
    settings = make_settings()
    assert "sandbox-ocapi-secret" not in repr(settings)
    with pytest.raises(ValidationError):
        SfccSettings(**{**settings.model_dump(), "ocapi_client_password": SecretStr("x"), "colour": "red"})


def test_settings_validate_organization_id_and_version() -> None:
    with pytest.raises(ValidationError, match="f_ecom_abcd_prd"):
        make_settings(organization_id="zzte_053")
    with pytest.raises(ValidationError, match=r"25\.6"):
        make_settings(ocapi_version="v25_6")
    settings = make_settings()
    assert settings.tenant_id == "zzte_053"
    assert settings.ocapi_url_version == "v25_6"
    assert settings.order_statuses_to_push == ["readyForFulfillment", "canceled"]
