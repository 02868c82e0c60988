"""The flow runner on both stores: transactions, cursors, retries, exceptions, schedule."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from connectors.config import load_config
from connectors.engine.app import sync_connections
from connectors.engine.clock import FrozenClock
from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowRegistry, FlowResult, FlowSpec, ScheduledFlow
from connectors.engine.runner import FlowRunner, RetryPolicy
from store.models import ExceptionRecord, FlowRun, Location
from store.repositories import FlowCursorRepository, LeaseRepository
from store.session import create_session_factory, create_store_engine
from ticker_connector import TickerSettings

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _setup(database_url: str, tmp_path, spec: FlowSpec | None = None, **settings):  # type: ignore[no-untyped-def]
    config_path = tmp_path / "shopwright.toml"
    config_path.write_text('[daemon]\nplugins = ["ticker_connector"]\n[connections.t1]\ntype = "ticker"\n')
    config = load_config(config_path, environ={})
    engine = create_store_engine(database_url)
    factory = create_session_factory(engine)
    sync_connections(config, factory)
    clock = FrozenClock(T0)
    runner = FlowRunner(
        factory, clock, holder="test:1", policy=RetryPolicy(3, 2.0, 60.0), rng=random.Random(7)
    )
    ticker_spec = spec or config.connections["t1"].connector.flows[0]
    flow = ScheduledFlow("t1", ticker_spec, TickerSettings(**settings))
    return engine, factory, clock, runner, flow


def test_run_commits_records_and_cursor_together(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine, factory, _clock, runner, flow = _setup(database_url, tmp_path, batch=3, work_iterations=1)
    report = runner.run(flow)
    assert report.outcome == "success" and report.counts == {"items": 3}
    with factory() as session:
        assert FlowCursorRepository(session).get("t1", "pull_items") == 3
        assert sorted(int(x) for x in session.scalars(select(Location.external_id))) == [1, 2, 3]
        run = session.scalars(select(FlowRun)).one()
        assert run.outcome == "success" and run.counts == {"items": 3} and run.finished_at is not None
    engine.dispose()


def test_a_flow_not_due_is_skipped_until_its_interval_passes(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    spec = FlowSpec("every_minute", "pull", timedelta(minutes=1), lambda ctx: FlowResult(cursor=1))
    engine, factory, clock, runner, flow = _setup(database_url, tmp_path, spec=spec)
    assert runner.run(flow).outcome == "success"
    assert runner.run(flow).outcome == "skipped"
    clock.advance(timedelta(seconds=61))
    assert runner.run(flow).outcome == "success"
    assert runner.run(flow, force=True).outcome == "success"
    with factory() as session:
        assert len(session.scalars(select(FlowRun)).all()) == 3
    engine.dispose()


def test_a_failing_run_rolls_back_whole_and_retries_with_backoff(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    def half_then_fail(ctx: FlowContext) -> FlowResult:
        ctx.session.add(Location(connection_id=ctx.connection.id, external_id="half", name="half"))
        ctx.session.flush()
        raise FlowError(
            "SFCC answered 503 (sfdc_maintenance)",
            code="sfcc.unavailable",
            retryable=True,
            retry_after=5.0,
            fault={"status": 503},
        )

    spec = FlowSpec("push", "push", timedelta(minutes=10), half_then_fail)
    engine, factory, clock, runner, flow = _setup(database_url, tmp_path, spec=spec)
    first = runner.run(flow)
    assert first.outcome == "retry"
    assert first.next_due_at is not None and T0 + timedelta(seconds=5) <= first.next_due_at <= T0 + timedelta(
        minutes=1
    )
    with factory() as session:
        assert session.scalars(select(Location)).all() == []  # nothing half-written
        (exception,) = session.scalars(select(ExceptionRecord)).all()
        assert (
            exception.code == "sfcc.unavailable" and exception.entity_id == "t1" and exception.flow == "push"
        )
        assert "next attempt" in exception.message
        assert LeaseRepository(session).get("t1", "push").attempt == 1  # type: ignore[union-attr]
    clock.advance(timedelta(minutes=1))
    assert runner.run(flow).outcome == "retry"
    clock.advance(timedelta(minutes=5))
    third = runner.run(flow)
    assert third.outcome == "failed"  # max_attempts=3 reached: wait a whole interval
    assert third.next_due_at == clock.now() + timedelta(minutes=10)
    with factory() as session:
        (exception,) = session.scalars(select(ExceptionRecord)).all()
        assert exception.count == 3 and exception.status == "open"
        assert LeaseRepository(session).get("t1", "push").attempt == 0  # type: ignore[union-attr]
    engine.dispose()


def test_connection_exception_auto_resolves_when_a_later_run_succeeds(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine, factory, clock, runner, flow = _setup(
        database_url, tmp_path, fail_first_runs=1, work_iterations=1
    )
    assert runner.run(flow).outcome == "retry"
    clock.advance(timedelta(minutes=5))
    assert runner.run(flow).outcome == "success"
    with factory() as session:
        (exception,) = session.scalars(select(ExceptionRecord)).all()
        assert exception.code == "ticker.unavailable"
        assert exception.status == "resolved" and exception.resolved_by == "auto"
    engine.dispose()


def test_unexpected_error_becomes_a_readable_exception(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    def crash(ctx: FlowContext) -> FlowResult:
        raise KeyError("order_id")

    spec = FlowSpec("crashy", "pull", timedelta(minutes=1), crash)
    engine, factory, _clock, runner, flow = _setup(database_url, tmp_path, spec=spec)
    report = runner.run(flow)
    assert report.outcome == "retry"
    with factory() as session:
        (exception,) = session.scalars(select(ExceptionRecord)).all()
        assert exception.code == "engine.flow_crashed"
        assert "t1:crashy" in exception.message and "KeyError" in exception.message
    engine.dispose()


def test_more_work_makes_the_flow_due_again_at_once(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    spec = FlowSpec(
        "paged",
        "pull",
        timedelta(hours=1),
        lambda ctx: FlowResult(cursor=(ctx.cursor or 0) + 1, more=(ctx.cursor or 0) < 2),
    )
    engine, factory, _clock, runner, flow = _setup(database_url, tmp_path, spec=spec)
    outcomes = [runner.run(flow).outcome for _ in range(4)]
    assert outcomes == ["success", "success", "success", "skipped"]
    with factory() as session:
        assert FlowCursorRepository(session).get("t1", "paged") == 3
    engine.dispose()


def test_disabled_flow_never_runs(tmp_path, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    from connectors.engine.daemon import Daemon

    engine, factory, clock, runner, flow = _setup(sqlite_url, tmp_path, enabled=False)
    daemon = Daemon(FlowRegistry([flow]), runner, factory, clock)
    assert daemon.run_once() == []
    engine.dispose()
