"""TikTok Shop Open API client: one method per endpoint over one retrying `call`.

`call` is the only place that sends: it paces calls under the shop's rate limit, serialises the JSON
body once (the auth signs exactly those bytes), maps the envelope to typed errors, and retries.

Retry policy. Idempotent calls (reads, searches, absolute-quantity inventory updates, shipping-info
updates, webhook subscription) are retried on 429/36009002, 5xx/internal errors and transport
failures, up to ``max_attempts``, waiting ``max(Retry-After, min(base * 2^n + jitter, cap))``; every
attempt is re-signed with a fresh timestamp. Non-idempotent writes (mark package shipped, ship
package) are retried only when TikTok provably did not process them: a 429 (the gateway refuses
before the API runs), a connection that never opened, or a token refresh that failed before
sending. A 5xx, a timeout or a dropped connection after sending raises `AmbiguousWriteError`: the
caller reads the order or package back before deciding to send again, so a package is never
created twice.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from connectors.engine.clock import Clock
from connectors.tiktok.auth import TikTokAuth
from connectors.tiktok.errors import (
    CODE_OK,
    AmbiguousWriteError,
    RateLimitedError,
    ServerError,
    TikTokError,
    UnavailableError,
    error_from_envelope,
    parse_retry_after,
)
from connectors.tiktok.pagination import iterate_pages
from connectors.tiktok.schemas import (
    AuthorizedShops,
    BatchResult,
    CancellationPage,
    DeliveryOption,
    DeliveryOptions,
    Envelope,
    InventorySearch,
    MarkShippedResult,
    Order,
    OrderList,
    OrderPage,
    PackageDetail,
    ProductPage,
    ReturnPage,
    ShippingProvider,
    ShippingProviders,
    Shop,
    StatementPage,
    Warehouse,
    Warehouses,
    WebhookSubscription,
    WebhookSubscriptions,
)
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.tokens import TokenManager, TokenRecord, TokenStore

ModelT = TypeVar("ModelT", bound=BaseModel)
QueryValue = str | int | bool | Sequence[str] | None
_NO_RESPONSE_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter (the reference's suggested shape)."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    jitter: float = 0.5

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        backoff = min(self.base_delay * 2.0 ** (attempt - 1) + rng.uniform(0, self.jitter), self.max_delay)
        return max(retry_after or 0.0, backoff)


class RateLimiter:
    """Client-side pacing: at most ``qps`` calls per second, spaced evenly, thread-safe.

    TikTok's quota is per app and shop and unpublished; pacing below it avoids 429s instead of
    reacting to them, which keeps throughput close to the limit.
    """

    def __init__(
        self,
        qps: float | None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / qps if qps else 0.0
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until the next call may leave."""
        if not self.interval:
            return
        with self._lock:
            now = self._monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


def _encode_query(query: Mapping[str, QueryValue]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in query.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, str | int):
            out[key] = str(value)
        else:
            # Arrays travel comma-joined in one parameter and are signed that way.
            out[key] = ",".join(value)
    return out


def serialise_body(body: Mapping[str, Any] | None) -> bytes:
    """The exact bytes sent and signed; compact and stable."""
    if body is None:
        return b""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_envelope(response: httpx.Response) -> Any:
    """Return ``data`` of a successful envelope, or raise the typed error for this response."""
    path = response.request.url.path
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    try:
        payload = json.loads(response.content)
        envelope = Envelope.model_validate(payload)
    except (ValueError, PydanticValidationError):
        status = response.status_code
        if status == 429:
            raise RateLimitedError(
                "rate limited", http_status=429, path=path, retry_after=retry_after
            ) from None
        raise ServerError(f"unreadable answer with HTTP {status}", http_status=status, path=path) from None
    if envelope.code != CODE_OK or response.status_code >= 400:
        raise error_from_envelope(
            envelope.code,
            envelope.message or f"HTTP {response.status_code}",
            request_id=envelope.request_id or None,
            http_status=response.status_code,
            path=path,
            retry_after=retry_after,
        )
    return envelope.data


class ApiCaller:
    """Sends one logical call, with pacing, typed errors and the retry policy above."""

    def __init__(
        self,
        http: httpx.Client,
        auth: httpx.Auth,
        *,
        base_url: str,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.http = http
        self.auth = auth
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RateLimiter(None)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.calls = 0
        self.retries = 0

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, QueryValue] | None = None,
        body: Mapping[str, Any] | None = None,
        idempotent: bool = True,
    ) -> Any:
        """Send ``method path`` and return the envelope's ``data``; raises a `TikTokError`."""
        content = serialise_body(body)
        params = _encode_query(query or {})
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(method, path, params, content, idempotent)
            except TikTokError as error:
                if not error.retryable or attempt >= self.retry.max_attempts:
                    raise
                retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
                self.retries += 1
                self.sleep(self.retry.delay(attempt, retry_after, self.rng))

    def _attempt(
        self, method: str, path: str, params: dict[str, str], content: bytes, idempotent: bool
    ) -> Any:
        self.limiter.acquire()
        self.calls += 1
        request = self.http.build_request(
            method,
            f"{self.base_url}{path}",
            params=params,
            content=content or None,
            headers={"content-type": "application/json"},
        )
        try:
            response = self.http.send(request, auth=self.auth)
        except _NO_RESPONSE_SENT as exc:
            raise UnavailableError(f"could not connect: {exc}", path=path) from exc
        except httpx.TransportError as exc:
            if idempotent:
                raise UnavailableError(f"no answer: {exc}", path=path) from exc
            raise AmbiguousWriteError(
                f"no answer to a write, it may have been applied: {exc}", path=path
            ) from exc
        # Errors raised while sending came from the token refresh, before the call itself went out.
        try:
            return parse_envelope(response)
        except ServerError as error:
            if idempotent:
                raise
            raise AmbiguousWriteError(
                f"{error.message}; the write may have been applied",
                code=error.code,
                request_id=error.request_id,
                http_status=error.http_status,
                path=path,
            ) from error

    def model(self, model: type[ModelT], data: Any) -> ModelT:
        """Validate ``data`` into ``model``; a shape we cannot read is TikTok's fault, not retryable."""
        try:
            return model.model_validate(data if data is not None else {})
        except PydanticValidationError as exc:
            raise TikTokError(
                f"unexpected {model.__name__} payload: {exc.error_count()} field errors"
            ) from exc


class TikTokClient:
    """One method per TikTok Shop endpoint Shopwright uses; all go through `ApiCaller.call`."""

    ORDER_DETAIL_BATCH = 50  # UNCERTAIN maximum ids per detail call; 50 is what peers use.

    def __init__(self, caller: ApiCaller, tokens: TokenManager, *, page_size: int = 50) -> None:
        self.caller = caller
        self.tokens = tokens
        self.page_size = page_size

    def __repr__(self) -> str:
        return f"TikTokClient(base_url={self.caller.base_url!r})"

    # --- authorisation ------------------------------------------------------------------------

    def exchange_auth_code(self, auth_code: str) -> TokenRecord:
        """Exchange the code from the seller's authorisation redirect for tokens and save them."""
        return self.tokens.exchange_code(self.caller.http, auth_code)

    def get_authorized_shops(self) -> list[Shop]:
        """GET /authorization/202309/shops (no shop_cipher)."""
        data = self.caller.call("GET", "/authorization/202309/shops")
        return self.caller.model(AuthorizedShops, data).shops

    def bind_shop(self, shop_id: str | None = None) -> Shop:
        """Fetch the authorised shops, keep the chosen shop's cipher with the tokens, return the shop."""
        shops = self.get_authorized_shops()
        chosen = [s for s in shops if shop_id is None or s.id == shop_id]
        if not chosen:
            raise TikTokError(
                f"shop {shop_id or '(any)'} is not among the shops this authorisation covers "
                f"({', '.join(s.id for s in shops) or 'none'}); check the shop id in the connection settings"
            )
        shop = chosen[0]
        self.tokens.store.save(self.tokens.current().with_shop(shop.id, shop.cipher))
        return shop

    # --- orders ---------------------------------------------------------------------------------

    def search_orders(
        self,
        filters: Mapping[str, Any] | None = None,
        *,
        page_token: str | None = None,
        page_size: int | None = None,
        sort_field: str = "update_time",
        sort_order: str = "ASC",
    ) -> OrderPage:
        """POST /order/202309/orders/search; filters go in the body (e.g. ``update_time_ge``)."""
        query: dict[str, QueryValue] = {
            "page_size": page_size or self.page_size,
            "page_token": page_token,
            "sort_field": sort_field,
            "sort_order": sort_order,
        }
        data = self.caller.call("POST", "/order/202309/orders/search", query=query, body=dict(filters or {}))
        return self.caller.model(OrderPage, data)

    def iter_order_pages(
        self, filters: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Iterator[OrderPage]:
        """Every page of an order search, oldest update first by default."""
        return iterate_pages(lambda token: self.search_orders(filters, page_token=token, **kwargs))

    def get_orders(self, ids: Sequence[str]) -> list[Order]:
        """GET /order/202309/orders?ids=..., in batches the API accepts."""
        orders: list[Order] = []
        for start in range(0, len(ids), self.ORDER_DETAIL_BATCH):
            batch = list(ids[start : start + self.ORDER_DETAIL_BATCH])
            data = self.caller.call("GET", "/order/202309/orders", query={"ids": batch})
            orders.extend(self.caller.model(OrderList, data).orders)
        return orders

    # --- logistics ------------------------------------------------------------------------------

    def get_warehouses(self) -> list[Warehouse]:
        """GET /logistics/202309/warehouses (sales and return warehouses)."""
        return self.caller.model(
            Warehouses, self.caller.call("GET", "/logistics/202309/warehouses")
        ).warehouses

    def get_delivery_options(self, warehouse_id: str) -> list[DeliveryOption]:
        """GET the delivery options of a warehouse."""
        data = self.caller.call("GET", f"/logistics/202309/warehouses/{warehouse_id}/delivery_options")
        return self.caller.model(DeliveryOptions, data).delivery_options

    def get_shipping_providers(self, delivery_option_id: str) -> list[ShippingProvider]:
        """GET the shipping providers valid for a delivery option (the allowed provider ids)."""
        path = f"/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers"
        return self.caller.model(ShippingProviders, self.caller.call("GET", path)).shipping_providers

    # --- fulfillment ----------------------------------------------------------------------------

    def mark_package_shipped(
        self,
        order_id: str,
        *,
        tracking_number: str,
        shipping_provider_id: str,
        order_line_item_ids: Sequence[str] | None = None,
    ) -> MarkShippedResult:
        """POST /fulfillment/202309/orders/{id}/packages: ship some lines (or all) under one tracking.

        Not idempotent (each call creates a package): see the module docstring for retries.
        """
        body: dict[str, Any] = {
            "tracking_number": tracking_number,
            "shipping_provider_id": shipping_provider_id,
        }
        if order_line_item_ids:
            body["order_line_item_ids"] = list(order_line_item_ids)
        path = f"/fulfillment/202309/orders/{order_id}/packages"
        return self.caller.model(
            MarkShippedResult, self.caller.call("POST", path, body=body, idempotent=False)
        )

    def ship_package(
        self,
        package_id: str,
        *,
        handover_method: str = "DROP_OFF",
        tracking_number: str | None = None,
        shipping_provider_id: str | None = None,
    ) -> None:
        """POST /fulfillment/202309/packages/{id}/ship; self_shipment only for seller-shipped packages."""
        body: dict[str, Any] = {"handover_method": handover_method}
        if tracking_number:
            body["self_shipment"] = {
                "tracking_number": tracking_number,
                "shipping_provider_id": shipping_provider_id,
            }
        self.caller.call(
            "POST", f"/fulfillment/202309/packages/{package_id}/ship", body=body, idempotent=False
        )

    def update_package_shipping_info(
        self, package_id: str, *, tracking_number: str, shipping_provider_id: str
    ) -> None:
        """Fix a package's tracking (sets values, so safe to retry)."""
        body = {"tracking_number": tracking_number, "shipping_provider_id": shipping_provider_id}
        self.caller.call("POST", f"/fulfillment/202309/packages/{package_id}/shipping_info/update", body=body)

    def update_order_shipping_info(
        self, order_id: str, *, tracking_number: str, shipping_provider_id: str
    ) -> None:
        """Fix an order's tracking (sets values, so safe to retry)."""
        body = {"tracking_number": tracking_number, "shipping_provider_id": shipping_provider_id}
        self.caller.call("POST", f"/fulfillment/202309/orders/{order_id}/shipping_info/update", body=body)

    def get_package_detail(self, package_id: str) -> PackageDetail:
        """GET /fulfillment/202309/packages/{id}."""
        data = self.caller.call("GET", f"/fulfillment/202309/packages/{package_id}")
        return self.caller.model(PackageDetail, data)

    # --- products and inventory -----------------------------------------------------------------

    def search_products(
        self,
        *,
        seller_skus: Sequence[str] | None = None,
        status: str | None = None,
        page_token: str | None = None,
        page_size: int | None = None,
    ) -> ProductPage:
        """POST /product/202309/products/search; TikTok accepts at most 10 seller_skus per call."""
        body: dict[str, Any] = {}
        if seller_skus:
            body["seller_skus"] = list(seller_skus)
        if status:
            body["status"] = status
        query: dict[str, QueryValue] = {"page_size": page_size or self.page_size, "page_token": page_token}
        data = self.caller.call("POST", "/product/202309/products/search", query=query, body=body)
        return self.caller.model(ProductPage, data)

    def update_inventory(self, product_id: str, skus: Mapping[str, Mapping[str, int]]) -> BatchResult:
        """Set absolute quantities: ``{sku_id: {warehouse_id: quantity}}``. Per-SKU failures come back
        in ``BatchResult.errors`` while the rest succeed."""
        body = {
            "skus": [
                {"id": sku_id, "inventory": [{"warehouse_id": w, "quantity": q} for w, q in per_wh.items()]}
                for sku_id, per_wh in skus.items()
            ]
        }
        path = f"/product/202309/products/{product_id}/inventory/update"
        return self.caller.model(BatchResult, self.caller.call("POST", path, body=body))

    def search_inventory(
        self, *, product_ids: Sequence[str] | None = None, sku_ids: Sequence[str] | None = None
    ) -> InventorySearch:
        """POST /product/202309/inventory/search by product ids or SKU ids."""
        body: dict[str, Any] = (
            {"product_ids": list(product_ids)} if product_ids else {"sku_ids": list(sku_ids or [])}
        )
        return self.caller.model(
            InventorySearch, self.caller.call("POST", "/product/202309/inventory/search", body=body)
        )

    # --- after-sales, finance, events -----------------------------------------------------------

    def search_cancellations(
        self, filters: Mapping[str, Any] | None = None, *, page_token: str | None = None
    ) -> CancellationPage:
        """POST /return_refund/202309/cancellations/search."""
        query: dict[str, QueryValue] = {"page_size": self.page_size, "page_token": page_token}
        path = "/return_refund/202309/cancellations/search"
        return self.caller.model(
            CancellationPage, self.caller.call("POST", path, query=query, body=dict(filters or {}))
        )

    def search_returns(
        self, filters: Mapping[str, Any] | None = None, *, page_token: str | None = None
    ) -> ReturnPage:
        """POST /return_refund/202309/returns/search."""
        query: dict[str, QueryValue] = {"page_size": self.page_size, "page_token": page_token}
        path = "/return_refund/202309/returns/search"
        return self.caller.model(
            ReturnPage, self.caller.call("POST", path, query=query, body=dict(filters or {}))
        )

    def get_statements(
        self,
        *,
        statement_time_ge: int | None = None,
        statement_time_lt: int | None = None,
        page_token: str | None = None,
    ) -> StatementPage:
        """GET /finance/202309/statements, sorted by statement_time (the only, and required, sort)."""
        query: dict[str, QueryValue] = {
            "statement_time_ge": statement_time_ge,
            "statement_time_lt": statement_time_lt,
            "sort_field": "statement_time",
            "sort_order": "ASC",
            "page_size": self.page_size,
            "page_token": page_token,
        }
        return self.caller.model(
            StatementPage, self.caller.call("GET", "/finance/202309/statements", query=query)
        )

    def get_webhooks(self) -> list[WebhookSubscription]:
        """GET /event/202309/webhooks."""
        return self.caller.model(
            WebhookSubscriptions, self.caller.call("GET", "/event/202309/webhooks")
        ).webhooks

    def update_webhook(self, event_type: str, address: str) -> None:
        """PUT /event/202309/webhooks: subscribe ``address`` (at most 255 characters) to an event type."""
        self.caller.call("PUT", "/event/202309/webhooks", body={"event_type": event_type, "address": address})

    def delete_webhook(self, event_type: str) -> None:
        """DELETE /event/202309/webhooks (a DELETE with a JSON body)."""
        self.caller.call("DELETE", "/event/202309/webhooks", body={"event_type": event_type})


def build_client(
    settings: TikTokSettings,
    http: httpx.Client,
    token_store: TokenStore,
    clock: Clock,
    *,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    rng: random.Random | None = None,
) -> TikTokClient:
    """Wire settings, a caller-owned httpx.Client, a token store and a clock into a client."""
    tokens = TokenManager(
        app_key=settings.app_key,
        app_secret=settings.app_secret,
        auth_base_url=settings.auth_base_url,
        store=token_store,
        clock=clock,
    )
    auth = TikTokAuth(app_key=settings.app_key, app_secret=settings.app_secret, tokens=tokens, clock=clock)
    caller = ApiCaller(
        http,
        auth,
        base_url=settings.api_base_url,
        retry=RetryPolicy(max_attempts=settings.max_attempts),
        limiter=RateLimiter(settings.rate_limit_qps, monotonic=monotonic, sleep=sleep),
        sleep=sleep,
        rng=rng,
    )
    return TikTokClient(caller, tokens, page_size=settings.page_size)
