"""Contract test: our client against a hand-written cassette of the documented OCAPI exchanges."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import vcr
from sfcc_helpers import T0, make_settings

from connectors.engine.clock import FrozenClock
from connectors.sfcc.client import SfccClient
from connectors.sfcc.errors import SfccInvalidShippingMethodError

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes" / "sfcc"


def test_cassette_basket_then_invalid_shipping_method_fault() -> None:
    settings = make_settings("https://ocapi.sfcc.example", account_manager_url="https://account.sfcc.example")
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="none",
        match_on=["method", "uri", "body"],
        filter_headers=["authorization"],
    )
    with recorder.use_cassette("ocapi_basket_rejection.yaml") as cassette, httpx.Client() as http:
        client = SfccClient(http, settings, clock=FrozenClock(T0), sleep=lambda s: None)
        basket = client.request_json(
            "POST", client.shop_url("/baskets"), auth="ocapi", what="t", json={"currency": "USD"}
        )
        url = client.shop_url(f"/baskets/{basket['basket_id']}/shipments/me/shipping_method")
        with pytest.raises(SfccInvalidShippingMethodError) as info:
            client.request(
                "PUT", url, auth="ocapi", what="order TT1 at step set_shipping_method", json={"id": "EXP"}
            )
        assert cassette.all_played
    error = info.value
    assert error.code == "sfcc.invalid_shipping_method"
    assert error.fault is not None and error.fault.arguments == {"shippingMethodId": "EXP"}
    assert "'EXP' is not a valid shipping method id" in error.message
