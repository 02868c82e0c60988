"""TikTok Shop webhooks: verify, drop duplicates, hand the event on. Polling stays the truth.

TikTok re-delivers unacknowledged notifications (about 2 min, 30 min, 3 h and 12 h later;
UNCERTAIN), so the receiver answers 200 at once, and `NotificationDeduper` drops a repeated
``tts_notification_id``. The signature covers the raw body, so nothing is re-serialised first.

With ``webhook_port`` set, `webhook_services` gives the daemon a receiver to run next to its flow
loop: a verified notification brings the connection's pull forward (the pull reads by
``update_time``, so the changed order comes with it); nothing is written from the webhook body.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from pydantic import SecretStr
from pydantic import ValidationError as PydanticValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from connectors.engine.hooks import FlowTrigger, SideService
from connectors.engine.http_service import AsgiService
from connectors.runtime import ConnectionRuntime
from connectors.tiktok.auth import verify_webhook_signature
from connectors.tiktok.schemas import WebhookEvent
from connectors.tiktok.settings import TikTokSettings

logger = logging.getLogger("shopwright.tiktok.webhooks")

ORDER_STATUS_CHANGE = 1
RECIPIENT_ADDRESS_UPDATE = 3
PACKAGE_UPDATE = 4
PRODUCT_STATUS_CHANGE = 5
SELLER_DEAUTHORIZATION = 6
UPCOMING_AUTHORIZATION_EXPIRATION = 7
CANCELLATION_STATUS_CHANGE = 11
RETURN_STATUS_CHANGE = 12

# The flows each event brings forward. A deauthorisation pulls too: the pull's first call fails
# with the auth error, which opens a `tiktok.auth_expired` exception now rather than at the next poll.
# A flow this connection does not run is skipped (the trigger answers False).
FLOWS_BY_EVENT: dict[int, tuple[str, ...]] = {
    ORDER_STATUS_CHANGE: ("pull_orders",),
    RECIPIENT_ADDRESS_UPDATE: ("pull_orders",),
    PACKAGE_UPDATE: ("pull_orders",),
    CANCELLATION_STATUS_CHANGE: ("pull_orders", "pull_after_sales"),
    RETURN_STATUS_CHANGE: ("pull_after_sales",),
    SELLER_DEAUTHORIZATION: ("pull_orders",),
}


class NotificationDeduper:
    """Remembers the last ``capacity`` notification ids; thread-safe."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, notification_id: str) -> bool:
        """True the first time an id is seen, False for every repeat."""
        with self._lock:
            if notification_id in self._seen:
                self._seen.move_to_end(notification_id)
                return False
            self._seen[notification_id] = None
            if len(self._seen) > self.capacity:
                self._seen.popitem(last=False)
            return True


def parse_webhook(
    app_key: str, app_secret: str, raw_body: bytes, signature: str | None
) -> WebhookEvent | None:
    """The verified event, or None when the signature or the body is wrong."""
    if not signature or not verify_webhook_signature(app_key, app_secret, raw_body, signature):
        return None
    try:
        return WebhookEvent.model_validate(json.loads(raw_body))
    except (ValueError, PydanticValidationError):
        return None


def create_webhook_app(
    *,
    app_key: str,
    app_secret: SecretStr,
    on_event: Callable[[WebhookEvent], None],
    path: str = "/webhooks/tiktok",
    deduper: NotificationDeduper | None = None,
) -> Starlette:
    """A receiver: 401 on a bad signature, 200 (and ``on_event`` once) per distinct notification.

    ``on_event`` must be quick (e.g. queue an immediate pull of the order); slow work delays the
    acknowledgement and makes TikTok retry.
    """
    seen = deduper or NotificationDeduper()

    async def receive(request: Request) -> JSONResponse:
        raw = await request.body()
        event = parse_webhook(
            app_key, app_secret.get_secret_value(), raw, request.headers.get("authorization")
        )
        if event is None:
            logger.warning("TikTok webhook refused: bad signature or body (%d bytes)", len(raw))
            return JSONResponse({"ok": False, "error": "invalid signature"}, status_code=401)
        if seen.first_time(event.tts_notification_id):
            on_event(event)
        else:
            logger.info("TikTok webhook %s already handled; dropped", event.tts_notification_id)
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route(path, receive, methods=["POST"])])


def flow_trigger_handler(connection: str, trigger: FlowTrigger) -> Callable[[WebhookEvent], None]:
    """``on_event`` for the receiver: bring forward the flows that read what the event is about."""

    def on_event(event: WebhookEvent) -> None:
        subject = f"order {event.order_id}" if event.order_id else f"shop {event.shop_id}"
        reason = f"webhook {event.tts_notification_id} (type {event.type}, {subject})"
        flows = FLOWS_BY_EVENT.get(event.type, ())
        started = [name for name in flows if trigger(name, reason)]
        if event.type == UPCOMING_AUTHORIZATION_EXPIRATION:
            logger.warning(
                "TikTok says the authorisation of %s expires at %s: re-authorise with "
                "`python sync_daemon.py authorize %s --code AUTH_CODE` before then",
                connection,
                event.data.get("expiration_time", "an unstated time"),
                connection,
            )
        logger.info(
            "TikTok webhook accepted",
            extra={"connection": connection, "notification": event.tts_notification_id, "flows": started},
        )

    return on_event


def webhook_services(runtime: ConnectionRuntime, trigger: FlowTrigger) -> Sequence[SideService]:
    """The receiver the daemon runs for a connection with ``webhook_port`` set (none otherwise)."""
    settings = runtime.settings
    assert isinstance(settings, TikTokSettings)
    if settings.webhook_port is None:
        return ()
    app = create_webhook_app(
        app_key=settings.app_key,
        app_secret=settings.app_secret,
        on_event=flow_trigger_handler(runtime.name, trigger),
        path=settings.webhook_path,
    )
    return (
        AsgiService(
            f"{runtime.name}: TikTok webhook receiver",
            app,
            host=settings.webhook_host,
            port=settings.webhook_port,
            path=settings.webhook_path,
        ),
    )
