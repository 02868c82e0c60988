"""A test connector type: a flow that copies numbered items from a pretend source into the store.

It exists to test the engine itself (leases, transactions, cursors, kills) with a flow whose
every effect is visible: each item becomes a Location row whose ``external_id`` is its number,
and each run stamps its wall-clock start and end on the rows it wrote.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowResult, FlowSpec
from connectors.types import ConnectorType
from store.models import Location


class TickerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_size: int = 1_000_000
    batch: int = 1
    work_iterations: int = 2000
    ready_file: str | None = None  # created once `pause_after` items of a run are written
    pause_file: str | None = None  # while it exists after `pause_after`, the run blocks
    pause_after: int = 0
    fail_first_runs: int = 0
    api_token: SecretStr | None = None
    enabled: bool = True


def pull_items(ctx: FlowContext) -> FlowResult:
    settings = ctx.settings
    assert isinstance(settings, TickerSettings)
    start = time.time()
    last = int(ctx.cursor or 0)
    if settings.fail_first_runs and _failures_so_far(ctx) < settings.fail_first_runs:
        raise FlowError("ticker source answered 503", code="ticker.unavailable", retryable=True)
    upto = min(last + settings.batch, settings.source_size)
    rows = []
    for number in range(last + 1, upto + 1):
        row = Location(
            connection_id=ctx.connection.id, external_id=str(number), name=f"item {number}", kind="sales"
        )
        ctx.session.add(row)
        ctx.session.flush()
        rows.append(row)
        _simulate_work(settings.work_iterations)
        if settings.pause_file and len(rows) == settings.pause_after:
            if settings.ready_file:
                Path(settings.ready_file).touch()
            _block_while(Path(settings.pause_file))
    end = time.time()
    for row in rows:
        row.details = {"pid": os.getpid(), "start": start, "end": end}
    ctx.session.flush()
    ctx.count("items", len(rows))
    return FlowResult(cursor=upto, more=False)


def _failures_so_far(ctx: FlowContext) -> int:
    from store.models import FlowRun

    return (
        ctx.session.query(FlowRun)
        .filter(FlowRun.flow_name == "pull_items", FlowRun.outcome.in_(["retry", "failed"]))
        .count()
    )


def _simulate_work(iterations: int) -> None:
    digest = b"x"
    for _ in range(iterations):
        digest = hashlib.sha256(digest).digest()


def _block_while(path: Path, bound_seconds: float = 60.0) -> None:
    waiter = threading.Event()
    deadline = time.monotonic() + bound_seconds
    while path.exists() and time.monotonic() < deadline:
        waiter.wait(0.01)


def _flows() -> list[FlowSpec]:
    return [
        FlowSpec(
            "pull_items",
            "pull",
            timedelta(milliseconds=1),
            pull_items,
            enabled_setting="enabled",
            description="copy numbered items into the store",
        ),
    ]


CONNECTOR_TYPES = [ConnectorType(name="ticker", settings_model=TickerSettings, flows=_flows())]
