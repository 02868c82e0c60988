"""Contract test: replay hand-written exchanges from the reference (never records)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import vcr
from pydantic import SecretStr

from connectors.engine.clock import FrozenClock
from connectors.tiktok.client import build_client
from connectors.tiktok.errors import SignatureError
from connectors.tiktok.schemas import aggregate_lines
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.tokens import InMemoryTokenStore, TokenRecord

CASSETTE = Path(__file__).resolve().parents[2] / "cassettes" / "tiktok" / "reference_exchanges.yaml"
_AUTH_PARAMS = {"app_key", "timestamp", "sign"}


def _query_without_auth(r1: Any, r2: Any) -> None:
    q1 = [(k, v) for k, v in r1.query if k not in _AUTH_PARAMS]
    q2 = [(k, v) for k, v in r2.query if k not in _AUTH_PARAMS]
    assert q1 == q2


def _json_body(r1: Any, r2: Any) -> None:
    def load(body: Any) -> Any:
        return json.loads(body) if body else None

    assert load(r1.body) == load(r2.body)


def test_cassette_reference_exchanges_replay() -> None:
    recorder = vcr.VCR(
        record_mode="none", match_on=["method", "host", "path", "query_without_auth", "json_body"]
    )
    recorder.register_matcher("query_without_auth", _query_without_auth)
    recorder.register_matcher("json_body", _json_body)
    now = datetime.fromtimestamp(1623812664, UTC)
    ts = int(now.timestamp())
    store = InMemoryTokenStore(TokenRecord("FAKE_ACCESS", ts + 86400, "FAKE_REFRESH", ts + 10**7))
    settings = TikTokSettings(
        app_key="FAKE_KEY", app_secret=SecretStr("FAKE_SECRET"), page_size=20, max_attempts=1
    )
    with recorder.use_cassette(str(CASSETTE)), httpx.Client() as http:
        client = build_client(settings, http, store, FrozenClock(now), sleep=lambda s: None)
        shop = client.bind_shop()
        assert shop.cipher == "GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3"
        page = client.search_orders({"order_status": "AWAITING_SHIPMENT", "update_time_ge": 1623812664})
        assert page.next_page_token == "" and page.total_count == 1
        order = page.orders[0]
        assert order.payment is not None and order.payment.total_amount == Decimal("12.50")
        assert [(a.seller_sku, a.quantity) for a in aggregate_lines(order.line_items)] == [("MUG-BLUE", 2)]
        with pytest.raises(SignatureError) as info:
            client.get_warehouses()
        assert info.value.http_status == 401
