"""The scale-out scenario: three daemons, two TikTok shops, one SFCC site, faults, one SIGKILL.

Orders are placed on the TikTok sandboxes; the daemons pull them and push them to SFCC; the
warehouse ships each SFCC order; the daemons pull the shipments and push them to TikTok. Midway,
the daemon in the middle of the SFCC order push is killed with SIGKILL and started again. At the
end the sandboxes' own state is checked for lost, duplicated and unexpected records.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.types import load_connector_type
from scale_out import sandboxes
from scale_out.collect import RunRecord, collect
from scale_out.daemons import DaemonPool, flow_holder
from scale_out.deployment import (
    SFCC_CONNECTION,
    Tuning,
    new_app_secret,
    prepare_store,
    secret_env,
    write_config,
)
from scale_out.fast_flows import INTERVAL_ENV
from scale_out.report import ScenarioResult
from scale_out.traffic import OrderFeed, Warehouse
from store.models import Fulfillment, Order, OrderRoute
from store.session import create_session_factory, create_store_engine

POLL_SECONDS = 0.5
# Orders the doomed run must have created in SFCC (uncommitted in the store) before the kill.
IN_FLIGHT_BEFORE_KILL = 5


@dataclass(frozen=True)
class ScenarioSettings:
    """How big and how hostile the run is."""

    orders: int = 10_000
    daemons: int = 3
    shops: int = 2
    fault_rate: float = 0.05
    tiktok_qps: float = 40.0
    sfcc_rate_limit: float = 300.0
    retry_after: int = 1  # seconds the sandboxes ask for in Retry-After on 429s
    flow_seconds: float = 2.0
    arrival_rate: float | None = None  # orders per second; None places them all at the start
    kill_midway: bool = True
    fulfillments: bool | None = None  # None: on when the TikTok connector has push_fulfillments
    timeout_seconds: float = 1800.0  # then stop and report what was delivered so far
    progress_seconds: float = 5.0


def tiktok_pushes_fulfillments() -> bool:
    """Whether the TikTok connector declares a flow that pushes fulfillments."""
    return any(flow.name == "push_fulfillments" for flow in load_connector_type("tiktok").flows)


def created_count(engine: Engine) -> int:
    """Routes the store has committed as created in SFCC."""
    with engine.connect() as connection:
        query = select(func.count(OrderRoute.id)).where(OrderRoute.state == "created")
        return int(connection.scalar(query) or 0)


@dataclass
class Progress:
    """Counts read from the store on each poll."""

    pulled: int = 0
    created: int = 0
    fulfillments: int = 0
    pushed: int = 0

    @classmethod
    def read(cls, session_factory: sessionmaker[Session]) -> Progress:
        def count(query: Any) -> int:
            return int(session.scalar(query) or 0)

        with session_factory() as session:
            return cls(
                pulled=count(select(func.count(Order.id))),
                created=count(select(func.count(OrderRoute.id)).where(OrderRoute.state == "created")),
                fulfillments=count(select(func.count(Fulfillment.id))),
                pushed=count(select(func.count(Fulfillment.id)).where(Fulfillment.push_state == "pushed")),
            )


@dataclass
class Run:
    """The moving parts of one scenario run."""

    settings: ScenarioSettings
    database_url: str
    workdir: Path
    say: Callable[[str], None]
    shops: list[sandboxes.SandboxProcess] = field(default_factory=list)
    sfcc: sandboxes.SandboxProcess | None = None
    pool: DaemonPool | None = None
    kill_note: str = "no daemon was killed"
    in_flight_at_kill: int = 0

    def execute(self) -> ScenarioResult:
        settings = self.settings
        fulfillments = settings.fulfillments
        if fulfillments is None:
            fulfillments = tiktok_pushes_fulfillments()
        config, env = self._deploy()
        engine = create_store_engine(self.database_url)
        try:
            factory = create_session_factory(engine)
            self.pool = pool = DaemonPool(config, self.database_url, self.workdir, env, settings.daemons)
            self.say(
                f"{settings.daemons} daemons, {settings.shops} TikTok shops, 1 SFCC site, {settings.orders} "
                f"orders, {settings.fault_rate:.0%} injected faults, fulfillments "
                f"{'on' if fulfillments else 'off (TikTok has no push_fulfillments flow)'}"
            )
            pool.start_all()
            assert self.sfcc is not None
            feed = OrderFeed(self.shops, settings.orders, settings.arrival_rate)
            warehouse = Warehouse(self.sfcc, factory) if fulfillments else None
            timings, finished = self._drive(engine, factory, feed, warehouse)
            record = RunRecord(timings, finished, self.kill_note, self.in_flight_at_kill, pool.stop_all())
            result = collect(
                record,
                shops=self.shops,
                sfcc=self.sfcc,
                pool=pool,
                factory=factory,
                feed=feed,
                warehouse=warehouse,
                tiktok_qps=settings.tiktok_qps,
            )
            result.process_cpu["scenario driver"] = time.process_time()
            return result
        finally:
            engine.dispose()

    def _deploy(self) -> tuple[Path, dict[str, str]]:
        """Sandboxes up, configuration written, store migrated and shops authorised, faults on."""
        settings = self.settings
        secret = new_app_secret()
        self.shops = [sandboxes.start_tiktok(i, secret, self.workdir) for i in range(1, settings.shops + 1)]
        self.sfcc = sandboxes.start_sfcc(self.workdir)
        config = write_config(
            self.workdir, [s.url for s in self.shops], self.sfcc.url, Tuning(tiktok_qps=settings.tiktok_qps)
        )
        env = {**secret_env(secret, settings.shops), INTERVAL_ENV: str(settings.flow_seconds)}
        prepare_store(config, self.database_url, env)
        for index, shop in enumerate(self.shops, start=1):
            sandboxes.set_tiktok_limits(
                shop,
                fault_rate=settings.fault_rate,
                qps=settings.tiktok_qps,
                retry_after=settings.retry_after,
                seed=index,
            )
        sandboxes.set_sfcc_limits(
            self.sfcc,
            fault_rate=settings.fault_rate,
            rate_limit=settings.sfcc_rate_limit,
            retry_after=settings.retry_after,
        )
        return config, env

    def _drive(
        self, engine: Engine, factory: sessionmaker[Session], feed: OrderFeed, warehouse: Warehouse | None
    ) -> tuple[dict[str, float], bool]:
        """Place orders, ship, kill midway and report progress until everything arrived.

        Returns the timings and whether the run finished (rather than hit the time limit or an
        interrupt, after which the caller reports what was delivered so far).
        """
        settings, pool, sfcc = self.settings, self.pool, self.sfcc
        assert pool is not None and sfcc is not None
        started = time.monotonic()
        timings: dict[str, float] = {}
        next_report, fault_status = started, 503
        killed = not settings.kill_midway
        ticker = threading.Event()
        try:
            while True:
                feed.step()
                if warehouse is not None:
                    warehouse.step()
                progress = Progress.read(factory)
                pool.check_alive()
                pool.sample_memory()
                now = time.monotonic()
                timings["total"] = now - started
                if "orders" not in timings and progress.created >= settings.orders:
                    timings["orders"] = now - started
                if not killed and progress.created >= settings.orders // 2:
                    killed = self._kill_midway(engine, progress)
                done = "orders" in timings and (warehouse is None or progress.pushed >= settings.orders)
                fault_status = sandboxes.balance_sfcc_faults(sfcc, fault_status)
                if now >= next_report or done:
                    self._report(now - started, feed, progress, warehouse)
                    next_report = now + settings.progress_seconds
                if done:
                    return timings, True
                if now - started > settings.timeout_seconds:
                    self.say(f"time limit of {settings.timeout_seconds:.0f} s reached; stopping")
                    return timings, False
                ticker.wait(POLL_SECONDS)
        except KeyboardInterrupt:
            self.say("interrupted; stopping and reporting what was delivered so far")
            return timings, False

    def _kill_midway(self, engine: Engine, progress: Progress) -> bool:
        """Kill the daemon in the middle of pushing orders to SFCC; False when that is not now.

        "In the middle" means its run has created orders in SFCC that the store does not yet know
        as created: the crash window in which an order could be doubled or lost. If the run
        commits in the instant before the kill, no order was in flight and the next try kills
        again, so the scenario always exercises that window.
        """
        pool, sfcc = self.pool, self.sfcc
        assert pool is not None and sfcc is not None
        with flow_holder(engine, SFCC_CONNECTION, "push_orders") as slot:
            if slot is None or self._in_flight(engine) < IN_FLIGHT_BEFORE_KILL:
                return False
            victim = pool.kill(slot)
            # At once, before another daemon takes the flow over: the dead run's orders are in
            # SFCC but not in the store.
            in_flight = self._in_flight(engine)
        restarted = pool.start(slot)
        flow = f"{SFCC_CONNECTION}:push_orders"
        self.kill_note = (
            f"SIGKILLed daemon-{slot} (pid {victim.process.pid}) in the middle of {flow}: "
            f"{progress.created}/{self.settings.orders} orders committed as created, {in_flight} more "
            f"already created in SFCC by the run that died; restarted as pid {restarted.process.pid}"
        )
        self.say(self.kill_note)
        self.in_flight_at_kill = max(self.in_flight_at_kill, in_flight)
        return in_flight > 0

    def _in_flight(self, engine: Engine) -> int:
        assert self.sfcc is not None
        return int(self.sfcc.get("/_sandbox/stats")["orders"]) - created_count(engine)

    def _report(
        self, elapsed: float, feed: OrderFeed, progress: Progress, warehouse: Warehouse | None
    ) -> None:
        line = f"[{elapsed:6.1f} s] placed {feed.count}, pulled {progress.pulled}, in SFCC {progress.created}"
        if warehouse is not None:
            line += (
                f", shipped {len(warehouse.shipped)}, fulfillments pulled {progress.fulfillments}, "
                f"on TikTok {progress.pushed}"
            )
        self.say(line)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate_all()
        for sandbox in [*self.shops, *([self.sfcc] if self.sfcc else [])]:
            sandbox.stop()


def run_scenario(
    settings: ScenarioSettings, database_url: str, workdir: Path, say: Callable[[str], None] = print
) -> ScenarioResult:
    """Run the whole scenario against ``database_url`` (an empty or migrated PostgreSQL schema)."""
    run = Run(settings, database_url, workdir, say)
    try:
        return run.execute()
    finally:
        run.close()
