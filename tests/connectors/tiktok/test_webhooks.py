"""The webhook receiver: the sandbox delivers signed notifications; duplicates are dropped."""

from __future__ import annotations

import threading

import httpx
from pydantic import SecretStr

from connectors.sandbox_runner import running_sandbox
from connectors.tiktok.schemas import WebhookEvent
from connectors.tiktok.webhooks import NotificationDeduper, create_webhook_app, parse_webhook

APP_KEY = "test_app_key"
APP_SECRET = "test_app_secret_not_real"
W1_BODY = (
    b'{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507",'
    b'"timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178",'
    b'"order_status":"UNPAID","update_time":1718305585}}'
)


def test_webhook_parse_official_vector() -> None:
    event = parse_webhook(
        "abcdef", "123", W1_BODY, "5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05"
    )
    assert event is not None and event.order_id == "576653688135258178" and event.type == 1
    assert parse_webhook("abcdef", "123", W1_BODY, "0" * 64) is None


def test_webhook_deduper_is_bounded() -> None:
    dedupe = NotificationDeduper(capacity=2)
    assert dedupe.first_time("a") and dedupe.first_time("b") and not dedupe.first_time("a")
    assert dedupe.first_time("c")  # evicts b (a was touched more recently)
    assert dedupe.first_time("b")


def test_webhook_receiver_verifies_and_dedupes_sandbox_deliveries(
    http: httpx.Client, sandbox_url: str
) -> None:
    received: list[WebhookEvent] = []
    lock = threading.Lock()

    def on_event(event: WebhookEvent) -> None:
        with lock:
            received.append(event)

    receiver = create_webhook_app(app_key=APP_KEY, app_secret=SecretStr(APP_SECRET), on_event=on_event)
    with running_sandbox(receiver) as hook_url:
        payload = {
            "url": f"{hook_url}/webhooks/tiktok",
            "type": 1,
            "tts_notification_id": "7380066284010030890",
            "data": {"order_id": "576653688135258178", "order_status": "AWAITING_SHIPMENT"},
        }
        first = http.post(f"{sandbox_url}/_sandbox/webhooks/deliver", json=payload).json()
        again = http.post(f"{sandbox_url}/_sandbox/webhooks/deliver", json=payload).json()
        forged = http.post(
            f"{hook_url}/webhooks/tiktok", content=b'{"type":1}', headers={"Authorization": "0" * 64}
        )
    assert first["status"] == again["status"] == 200
    assert forged.status_code == 401
    assert [e.order_id for e in received] == ["576653688135258178"]
