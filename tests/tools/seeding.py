"""Tool test helpers: a tool context over the rolled-back test transaction, and a seeder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.engine.clock import FrozenClock
from store.models import (
    ChannelListing,
    Connection,
    ExceptionRecord,
    Fulfillment,
    Order,
    OrderLine,
    OrderRoute,
    Product,
)
from store.session import create_session_factory, create_store_engine
from tools.registry import Approval, ToolContext

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ORDER_ID = "576653688135258178"

SFCC_SETTINGS: dict[str, Any] = {
    "site_id": "RefArch",
    "push_orders": True,
    "order_statuses_to_push": ["readyForFulfillment", "canceled"],
    "customer_strategy": "generic_customer",
    "generic_customer_number": "00001001",
    "shipping_method_mapping": {"Standard Shipping": "001"},
    "payment_method_mapping": [
        {"tiktok_payment_method": None, "sfcc_payment_method_id": "TTS", "amount": "payment_total"}
    ],
    "ocapi_auth": "client_credentials",
    "ocapi_client_id": "ocapi-client-1",
    "b2c_api_client_id": "b2c-client-1",
}


@dataclass
class Seed:
    """Inserts store rows directly, the way the daemon would leave them."""

    session: Session

    def connection(self, name: str, type_name: str, settings: dict[str, Any] | None = None) -> Connection:
        row = Connection(name=name, type=type_name, settings=settings or {}, enabled=True)
        self.session.add(row)
        self.session.flush()
        return row

    def standard(self, **sfcc_overrides: Any) -> tuple[Connection, Connection]:
        tiktok = self.connection("tiktok-us", "tiktok", {"hold_window_minutes": 60})
        sfcc = self.connection("sfcc-main", "sfcc", SFCC_SETTINGS | sfcc_overrides)
        return tiktok, sfcc

    def product(self, sku: str, **fields: Any) -> Product:
        row = Product(sku=sku, title=fields.pop("title", f"Product {sku}"), **fields)
        self.session.add(row)
        self.session.flush()
        return row

    def listing(self, product: Product, connection: Connection, **fields: Any) -> ChannelListing:
        row = ChannelListing(product_id=product.id, connection_id=connection.id, **fields)
        self.session.add(row)
        self.session.flush()
        return row

    def order(
        self,
        tiktok: Connection,
        *,
        external_id: str = ORDER_ID,
        status: str = "readyForFulfillment",
        skus: tuple[str, ...] = ("SKU-1",),
        **fields: Any,
    ) -> Order:
        fields.setdefault("shipping_option", "Standard Shipping")
        row = Order(
            connection_id=tiktok.id,
            external_id=external_id,
            status=status,
            currency="USD",
            subtotal=Decimal("20"),
            shipping_fee=Decimal("0"),
            tax=Decimal("0"),
            discount=Decimal("0"),
            total=Decimal("20"),
            placed_at=NOW - timedelta(hours=2),
            **fields,
        )
        self.session.add(row)
        self.session.flush()
        for sku in skus:
            self.session.add(OrderLine(order_id=row.id, sku=sku, quantity=1, unit_price=Decimal("20")))
        self.session.flush()
        return row

    def route(self, order: Order, sfcc: Connection, state: str, **fields: Any) -> OrderRoute:
        row = OrderRoute(order_id=order.id, destination_connection_id=sfcc.id, state=state, **fields)
        self.session.add(row)
        self.session.flush()
        return row

    def fulfillment(
        self, order: Order, sfcc: Connection, external_id: str = "SH1", **fields: Any
    ) -> Fulfillment:
        """A shipment SFCC reported for ``order``; ``fields`` set carrier, tracking, lines, push state."""
        row = Fulfillment(order_id=order.id, source_connection_id=sfcc.id, external_id=external_id, **fields)
        self.session.add(row)
        self.session.flush()
        return row

    def exception(
        self,
        code: str,
        *,
        entity_type: str = "order",
        entity_id: str = ORDER_ID,
        category: str = "routing",
        message: str = "recorded failure",
        fault: Any = None,
        connection: Connection | None = None,
    ) -> ExceptionRecord:
        row = ExceptionRecord(
            code=code,
            category=category,
            entity_type=entity_type,
            entity_id=entity_id,
            message=message,
            fault=fault,
            connection_id=connection.id if connection else None,
            first_seen_at=NOW - timedelta(minutes=30),
            last_seen_at=NOW - timedelta(minutes=5),
            count=2,
            status="open",
        )
        self.session.add(row)
        self.session.flush()
        return row


def seed_order_missing_a_shipping_mapping(url: str) -> None:
    """A store at ``url`` whose TikTok order failed to reach SFCC for want of a shipping mapping.

    For tests that run the bot or agent as processes over a real database.
    """
    engine = create_store_engine(url)
    with create_session_factory(engine).begin() as session:
        seed = Seed(session)
        tiktok, sfcc = seed.standard()
        seed.product("SKU-1")
        order = seed.order(tiktok, shipping_option="Express Delivery")
        seed.route(order, sfcc, "failed", attempts=1)
        seed.exception("mapping.shipping_method_missing", connection=sfcc)
    engine.dispose()


@pytest.fixture
def seed(session: Session) -> Seed:
    return Seed(session)


@pytest.fixture
def config() -> Any:
    """A configuration stand-in: approvers, and no connections (settings come from the store)."""
    return SimpleNamespace(bot=SimpleNamespace(approvers=["U-APPROVER"]), connections={})


@pytest.fixture
def ctx(session: Session, config: Any) -> ToolContext:
    """Tool sessions share the test's connection, so they see its rows and roll back with it."""
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return ToolContext(session_factory=factory, clock=FrozenClock(NOW), config=config, actor="U-ASKER")


@pytest.fixture
def approved(ctx: ToolContext) -> ToolContext:
    from dataclasses import replace

    return replace(ctx, approval=Approval(approved_by="U-APPROVER", source="slack:C1/p1", approval_id="ap-1"))
