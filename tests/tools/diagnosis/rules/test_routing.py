"""Routing rows of EXCEPTIONS.md: customer, shipping method, payment method, products, cancellation."""

from __future__ import annotations

from store.models import Mapping
from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import ORDER_ID, Seed
from tools.registry import ToolContext


def test_customer_missing_when_generic_number_is_unset(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard(generic_customer_number=None)
    seed.route(seed.order(tiktok), sfcc, "failed")
    seed.exception("sfcc.customer_missing")
    finding = only(diagnose(ctx), "sfcc.customer_missing")
    assert "generic customer number of connection sfcc-main is not set" in finding.summary
    assert "generic_customer_number" in finding.next_steps[0]


def test_customer_missing_when_strategy_needs_email(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard(customer_strategy="email_create")
    seed.order(tiktok)
    finding = only(diagnose(ctx), "sfcc.customer_missing")
    assert "generic customer strategy" in finding.summary
    assert finding.evidence["customer_strategy"] == "email_create"


def test_customer_missing_when_sfcc_does_not_know_the_number(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok), sfcc, "failed")
    seed.exception("sfcc.customer_missing", fault={"type": "CustomerNotFoundException", "message": "x"})
    finding = only(diagnose(ctx), "sfcc.customer_missing")
    assert "generic customer 00001001" in finding.summary


def test_shipping_method_missing_offers_the_mapping_and_known_methods(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    order = seed.order(tiktok, shipping_option="Express Delivery")
    seed.route(order, sfcc, "failed")
    seed.exception("mapping.shipping_method_missing")
    finding = only(diagnose(ctx), "mapping.shipping_method_missing")
    assert 'delivery option "Express Delivery"' in finding.summary
    assert finding.fix is not None
    assert finding.fix.tool == "map_shipping_method"
    assert finding.fix.arguments == {"connection": "sfcc-main", "delivery_option": "Express Delivery"}
    assert finding.fix.missing_arguments == ["shipping_method_id"]
    assert '"001"' in finding.next_steps[0]


def test_shipping_mapping_in_the_mapping_table_counts(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.session.add(
        Mapping(kind="shipping_method", connection_id=sfcc.id, source="Express Delivery", target="EXP")
    )
    seed.order(tiktok, shipping_option="Express Delivery")
    codes = [f.code for f in diagnose(ctx).findings]
    assert "mapping.shipping_method_missing" not in codes


def test_invalid_shipping_method_names_the_mapped_id(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok), sfcc, "failed", attempts=1)
    seed.exception(
        "sfcc.invalid_shipping_method",
        fault={
            "fault": {
                "type": "InvalidShippingMethodIdException",
                "message": "The shipping method '001' is invalid.",
            }
        },
    )
    finding = only(diagnose(ctx), "sfcc.invalid_shipping_method")
    assert 'shipping method "001" is not valid on site RefArch' in finding.summary
    assert finding.evidence["fault_type"] == "InvalidShippingMethodIdException"
    assert finding.fix is not None and finding.fix.tool == "map_shipping_method"


def test_invalid_payment_method_when_no_rule_applies(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard(
        payment_method_mapping=[
            {"tiktok_payment_method": "PayPal", "sfcc_payment_method_id": "PP", "amount": "payment_total"}
        ]
    )
    seed.order(tiktok, payments=[{"payment_method_name": "Card"}])
    finding = only(diagnose(ctx), "sfcc.invalid_payment_method")
    assert "no payment mapping" in finding.summary
    assert finding.fix is not None and finding.fix.tool == "map_payment_method"


def test_invalid_payment_method_rejected_by_sfcc(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok), sfcc, "failed")
    seed.exception(
        "sfcc.invalid_payment_method", fault={"type": "InvalidPaymentMethodIdException", "message": "bad"}
    )
    finding = only(diagnose(ctx), "sfcc.invalid_payment_method")
    assert 'payment method "TTS"' in finding.summary
    assert finding.evidence["mapped_payment_method"] == "TTS"


def test_product_unavailable_names_the_product(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.product("SKU-1")
    seed.route(seed.order(tiktok), sfcc, "failed")
    seed.exception(
        "sfcc.product_unavailable",
        fault={
            "fault": {
                "type": "ProductItemNotAvailableException",
                "message": "not available",
                "arguments": {"product_id": "SKU-1"},
            }
        },
    )
    finding = only(diagnose(ctx), "sfcc.product_unavailable")
    assert 'product "SKU-1" is not orderable' in finding.summary
    assert finding.fix is not None and finding.fix.arguments == {"connection": "sfcc-main", "sku": "SKU-1"}


def test_cancel_not_propagated_when_canceled_is_not_pushed(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard(order_statuses_to_push=["readyForFulfillment"])
    seed.route(seed.order(tiktok, status="canceled"), sfcc, "created", external_id=f"TT{ORDER_ID}")
    finding = only(diagnose(ctx), "order.cancel_not_propagated")
    assert f"SFCC order TT{ORDER_ID} stays open" in finding.summary
    assert "order_statuses_to_push" in finding.next_steps[0]


def test_cancel_not_propagated_when_sfcc_refuses_to_cancel(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok, status="canceled"), sfcc, "created", external_id=f"TT{ORDER_ID}")
    seed.exception(
        "order.cancel_not_propagated",
        fault={"type": "CancelOrderException", "message": "order is completed", "status_code": 409},
    )
    finding = only(diagnose(ctx), "order.cancel_not_propagated")
    assert f'SFCC refused to cancel order TT{ORDER_ID} (fault "CancelOrderException")' in finding.summary
    assert "order_statuses_to_push" not in " ".join(finding.next_steps)
