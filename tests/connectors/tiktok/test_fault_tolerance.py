"""Acceptance: 2,000 orders pulled and their shipments pushed while TikTok misbehaves.

10% of Open API calls fail with a 5xx, 5% are answered 429, 2% run and then lose the connection,
and the access token expires in the middle of the pull and again in the middle of the push. The
daemon's runner drives the flows until they are done; in the end every order is stored once and
every shipment is on TikTok exactly once, with the packages the store recorded.

Runs on SQLite and on PostgreSQL with the real store-backed token store: on SQLite the token
renewed mid-run is used at once and written when the run's transaction ends; on PostgreSQL it is
committed under the token row's lock before the renewal ends.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.config import load_config
from connectors.engine.app import sync_connections
from connectors.engine.clock import FrozenClock
from connectors.engine.registry import FlowRegistry, ScheduledFlow
from connectors.engine.runner import FlowRunner, RetryPolicy
from connectors.tiktok.client import TikTokClient, build_client
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.store_tokens import StoreTokenStore
from store.models import Connection, ConnectionToken, FlowRun, Fulfillment, Mapping, Order, OrderLine
from store.session import create_session_factory, create_store_engine

APP_KEY, APP_SECRET = "test_app_key", "test_app_secret_not_real"
ORDERS = 2_000
UPS = "6617675021119438850"
CARRIERS = ("UPS", "USPS", "FedEx", "United Parcel Service")


class Harness:
    """The daemon's runner over one TikTok connection, with clients that never really sleep."""

    def __init__(self, url: str, sandbox_url: str, clock: FrozenClock, tmp_path: Path) -> None:
        config_path = tmp_path / "shopwright.toml"
        config_path.write_text(
            f'database_url = "{url}"\n[connections.tt]\ntype = "tiktok"\napp_key = "{APP_KEY}"\n'
            f'api_base_url = "{sandbox_url}"\nauth_base_url = "{sandbox_url}"\nrate_limit_qps = 5000\n'
            "page_size = 50\n"
        )
        config = load_config(config_path, environ={"SHOPWRIGHT_TT_APP_SECRET": APP_SECRET})
        self.clock = clock
        self.engine = create_store_engine(url)
        self.session_factory: sessionmaker[Session] = create_session_factory(engine=self.engine)
        sync_connections(config, self.session_factory)
        self.http = httpx.Client(timeout=10)
        self.settings = config.connections["tt"].settings
        assert isinstance(self.settings, TikTokSettings)
        self.sleeps: list[float] = []
        self.tokens = StoreTokenStore(self.session_factory, "tt")
        self.registry = FlowRegistry.from_connections(config.connections, {"tt": self.client})
        # Retries are the point here: the runner keeps retrying instead of giving up after five.
        self.runner = FlowRunner(
            self.session_factory, clock, holder="test:1", policy=RetryPolicy(max_attempts=1000)
        )

    def client(self) -> TikTokClient:
        assert isinstance(self.settings, TikTokSettings)
        return build_client(
            self.settings,
            self.http,
            self.tokens,
            self.clock,
            sleep=self.sleeps.append,  # backoff and Retry-After are honoured in name only
            monotonic=lambda: 0.0,
            rng=random.Random(5),
        )

    def flow(self, name: str) -> ScheduledFlow:
        (flow,) = self.registry.select(f"tt:{name}")
        return flow

    def drain(self, name: str) -> Counter[str]:
        """Run a flow until it has no backlog; returns the outcomes of its runs."""
        outcomes: Counter[str] = Counter()
        for _ in range(1_000):
            report = self.runner.run(self.flow(name), force=True)
            outcomes[report.outcome] += 1
            assert report.outcome != "failed", report
            if report.outcome in ("success", "partial") and report.next_due_at != self.clock.now():
                return outcomes
        raise AssertionError(f"{name} did not finish: {outcomes}")

    def close(self) -> None:
        self.http.close()
        self.engine.dispose()


@pytest.fixture
def harness(database_url: str, sandbox_url: str, clock: FrozenClock, tmp_path: Path) -> Iterator[Harness]:
    built = Harness(database_url, sandbox_url, clock, tmp_path)
    authorising = built.client()
    authorising.exchange_auth_code(DEFAULT_AUTH_CODE)
    authorising.bind_shop()
    yield built
    built.close()


def _admin(sandbox_url: str, path: str, body: dict[str, Any]) -> Any:
    response = httpx.post(f"{sandbox_url}/_sandbox/{path}", json=body, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _add_shipments(session_factory: sessionmaker[Session]) -> dict[str, list[str]]:
    """Every stored order shipped from SFCC: every fourth order with several units in two parts.

    Returns the tracking numbers per order.
    """
    tracking: dict[str, list[str]] = {}
    with session_factory.begin() as session:
        sf = Connection(name="sf", type="sfcc", settings={})
        session.add(sf)
        tt = session.scalars(select(Connection).where(Connection.name == "tt")).one()
        session.add(Mapping(kind="carrier", connection_id=tt.id, source="United Parcel Service", target=UPS))
        session.flush()
        lines_by_order: dict[int, list[OrderLine]] = {}
        for line in session.scalars(select(OrderLine).order_by(OrderLine.order_id, OrderLine.sku)):
            lines_by_order.setdefault(line.order_id, []).append(line)
        for n, order in enumerate(session.scalars(select(Order).order_by(Order.external_id))):
            units = [
                (line.sku, line_id) for line in lines_by_order[order.id] for line_id in line.external_line_ids
            ]
            parts = [units[:1], units[1:]] if len(units) > 1 and n % 4 == 0 else [units]
            for part_no, part in enumerate(parts):
                number = f"TRK{order.external_id}-{part_no}"
                tracking.setdefault(order.external_id, []).append(number)
                per_sku: dict[str, list[str]] = {}
                for sku, line_id in part:
                    per_sku.setdefault(sku, []).append(line_id)
                session.add(
                    Fulfillment(
                        order_id=order.id,
                        source_connection_id=sf.id,
                        external_id=f"SH{order.external_id}-{part_no}",
                        carrier=CARRIERS[(n + part_no) % len(CARRIERS)],
                        tracking_number=number,
                        lines=[
                            {"sku": s, "quantity": len(ids), "line_ids": ids} for s, ids in per_sku.items()
                        ],
                        push_state="pending",
                    )
                )
    return tracking


@pytest.mark.slow
def test_two_thousand_orders_and_their_shipments_survive_faults_and_token_expiry(
    harness: Harness, sandbox: Sandbox, sandbox_url: str, clock: FrozenClock
) -> None:
    now = int(clock.now().timestamp())
    _admin(sandbox_url, "orders/generate", {"count": ORDERS, "start_time": now - 3 * 86_400, "seed": 1})
    _admin(sandbox_url, "rate_limit", {"qps": 5000})
    faults = {"error_rate": 0.10, "rate_429": 0.05, "drop_rate": 0.02, "retry_after": 1, "seed": 42}
    _admin(sandbox_url, "faults", {**faults, "expire_tokens_after": 25})  # inside the second pull run
    with harness.session_factory() as session:
        token_before = session.scalars(select(ConnectionToken)).one().data["access_token"]

    pulled = harness.drain("pull_orders")
    assert pulled["success"] + pulled["partial"] >= 2  # a backlog spread over several runs

    with harness.session_factory() as session:
        stored = session.scalars(select(Order.external_id)).all()
        assert len(stored) == len(set(stored)) == ORDERS and set(stored) == set(sandbox.state.orders)
        assert {s for (s,) in session.execute(select(Order.status).distinct())} == {"readyForFulfillment"}
        units = session.scalar(select(func.sum(OrderLine.quantity)))
        assert units == sum(len(o["line_items"]) for o in sandbox.state.orders.values())
        assert session.scalars(select(ConnectionToken)).one().data["access_token"] != token_before

    tracking = _add_shipments(harness.session_factory)
    shipments_expected = sum(len(numbers) for numbers in tracking.values())
    _admin(sandbox_url, "faults", {**faults, "seed": 43, "expire_tokens_after": 900})  # mid-push
    harness.drain("push_fulfillments")

    received = sandbox.state.received.shipments
    by_tracking = Counter(s["tracking_number"] for s in received)
    assert len(received) == shipments_expected and set(by_tracking.values()) == {1}
    assert set(by_tracking) == {n for numbers in tracking.values() for n in numbers}
    for order_id, order in sandbox.state.orders.items():
        assert order["status"] == "AWAITING_COLLECTION", order_id
        assert all(line["tracking_number"] in tracking[order_id] for line in order["line_items"])
    packages = {s["tracking_number"]: s["package_id"] for s in received}
    with harness.session_factory() as session:
        fulfillments = session.scalars(select(Fulfillment)).all()
        assert {f.push_state for f in fulfillments} == {"pushed"}
        assert all(f.channel_package_id == packages[str(f.tracking_number)] for f in fulfillments)
        assert {s for (s,) in session.execute(select(Order.status).distinct())} == {"fulfilled"}

    with harness.session_factory() as session:
        counts: Counter[str] = Counter()
        for run in session.scalars(select(FlowRun).where(FlowRun.flow_name == "push_fulfillments")):
            counts.update(run.counts)
    # Answers were lost after TikTok created the package: read back and adopted, never re-sent.
    assert counts["lost_answers"] > 0 and counts["confirmed_after_lost_answer"] > 0
    injected = sandbox.faults.injected
    assert injected["error"] > 0 and injected["429"] > 0 and injected["drop"] > 0
    assert injected["token_expiry"] == 2 and sandbox.state.received.rejections.get(105002, 0) >= 2
