"""Gathering the verdicts and figures of a run from the sandboxes and the store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scale_out.daemons import DaemonPool, cpu_seconds
from scale_out.report import ScenarioResult
from scale_out.sandboxes import SandboxProcess
from scale_out.traffic import OrderFeed, Warehouse, sfcc_numbers
from scale_out.verify import (
    check_sfcc_orders,
    check_tiktok_shipments,
    push_latencies,
    sfcc_rate_use,
    store_claims,
    tiktok_rate_use,
)
from store.models import FlowRun


@dataclass
class RunRecord:
    """What the driver observed while the run went on."""

    timings: dict[str, float]
    finished: bool
    kill_note: str
    in_flight_at_kill: int
    summaries: list[str]


def collect(
    record: RunRecord,
    *,
    shops: list[SandboxProcess],
    sfcc: SandboxProcess,
    pool: DaemonPool,
    factory: sessionmaker[Session],
    feed: OrderFeed,
    warehouse: Warehouse | None,
    tiktok_qps: float,
) -> ScenarioResult:
    """Check the sandboxes' final state against what was placed, and compute the figures."""
    numbers = sfcc_numbers(feed.expected_ids())
    created, pushed = store_claims(factory)
    sfcc_orders = sfcc.get("/_sandbox/orders")["data"]
    result = ScenarioResult(
        orders=check_sfcc_orders(sfcc_orders, numbers, created, finished=record.finished),
        finished=record.finished,
        timings=record.timings,
        latencies=push_latencies(factory, sfcc_orders),
        kill_note=record.kill_note,
        in_flight_at_kill=record.in_flight_at_kill,
        summaries=record.summaries,
        daemons=list(pool.history),
    )
    window = record.timings["total"]
    states = [shop.get("/_sandbox/state") for shop in shops]
    if warehouse is not None:
        shipments = [shipment for state in states for shipment in state["shipments"]]
        result.fulfillments = check_tiktok_shipments(
            shipments, numbers, warehouse.shipped, pushed, finished=record.finished
        )
        result.ship_missing = sorted(warehouse.missing)
    for shop, state in zip(shops, states, strict=True):
        result.rates.append(tiktok_rate_use(shop.name, state, window, tiktok_qps))
    result.rates.append(sfcc_rate_use(sfcc.name, sfcc.get("/_sandbox/stats"), window))
    with factory() as session:
        runs = session.execute(
            select(FlowRun.outcome, FlowRun.counts).where(FlowRun.flow_name == "push_orders")
        )
        for outcome, counts in runs:
            result.run_outcomes[outcome] = result.run_outcomes.get(outcome, 0) + 1
            result.found_existing += int((counts or {}).get("already_in_sfcc", 0))
    for sandbox in [*shops, sfcc]:
        result.process_cpu[sandbox.name] = cpu_seconds(sandbox.process.pid)
    return result
