"""The store's engine rules: no statement parameters in error texts, writes deferred past a run."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from connectors.engine.clock import FrozenClock
from connectors.engine.registry import FlowContext, FlowResult, FlowSpec, ScheduledFlow
from connectors.engine.runner import FlowRunner, RetryPolicy
from store.models import ExceptionRecord, FlowRun, Location
from store.repositories import ConnectionRepository
from store.session import (
    after_run_transaction,
    create_session_factory,
    create_store_engine,
    describe_store_error,
    holding_run_transaction,
    without_statement,
)

SECRET = "ROW_refresh_8f3a91c2d7e6b5a4"  # looks like a TikTok token
T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class NoSettings(BaseModel):
    """The flow under test reads no settings."""


def _duplicate_secret(ctx: FlowContext) -> FlowResult:
    """A flow whose write fails with the secret among the statement's parameters."""
    for _ in range(2):
        ctx.session.add(Location(connection_id=ctx.connection.id, external_id=SECRET, name="dock"))
        ctx.session.flush()
    return FlowResult()


def test_engine_hides_parameters_in_database_errors(database_url: str) -> None:
    engine = create_store_engine(database_url)
    factory = create_session_factory(engine)
    try:
        with factory() as session:
            connection = ConnectionRepository(session).upsert("tt", "tiktok", {})
            session.add(Location(connection_id=connection.id, external_id=SECRET, name="dock"))
            session.flush()
            session.add(Location(connection_id=connection.id, external_id=SECRET, name="dock"))
            with pytest.raises(IntegrityError) as raised:
                session.flush()
        assert "[SQL parameters hidden due to hide_parameters=True]" in str(raised.value)
        told = describe_store_error(raised.value)
        # The server's first line stays (it names the constraint); DETAIL lines quoting values do not.
        assert SECRET not in told and "IntegrityError" in told
        assert "UNIQUE" in told or "duplicate key" in told
        assert SECRET not in str(without_statement(raised.value))
    finally:
        engine.dispose()


def test_runner_never_records_or_logs_a_database_errors_parameters(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_store_engine(database_url)
    factory = create_session_factory(engine)
    with factory.begin() as session:
        ConnectionRepository(session).upsert("tt", "tiktok", {})
    runner = FlowRunner(factory, FrozenClock(T0), holder="test:1", policy=RetryPolicy(3, 2.0, 60.0))
    spec = FlowSpec("pull_docks", "pull", timedelta(minutes=5), _duplicate_secret)
    flow = ScheduledFlow("tt", spec, NoSettings())
    try:
        with caplog.at_level(logging.DEBUG):
            report = runner.run(flow)
        assert report.outcome == "retry" and report.error is not None
        assert "IntegrityError" in report.error and SECRET not in report.error
        with factory() as session:
            run = session.scalars(select(FlowRun)).one()
            (exception,) = session.scalars(select(ExceptionRecord)).all()
            assert run.error is not None and SECRET not in run.error
            assert exception.code == "engine.flow_crashed"
            assert SECRET not in exception.message and SECRET not in json.dumps(exception.fault)
            assert session.scalars(select(Location)).all() == []  # the run rolled back whole
        logged = [json.dumps(vars(record), default=str) for record in caplog.records]
        assert any("flow run failed" in line for line in logged)
        assert not [line for line in logged if SECRET in line]
    finally:
        engine.dispose()


def test_writes_after_a_run_wait_for_its_end_even_when_it_fails() -> None:
    done: list[str] = []
    assert not after_run_transaction(lambda: done.append("no run open"))
    with pytest.raises(RuntimeError), holding_run_transaction():
        assert after_run_transaction(lambda: done.append("first"))
        assert after_run_transaction(lambda: done.append("second"))
        assert done == []  # nothing runs while the run's transaction is open
        raise RuntimeError("the run failed")
    assert done == ["first", "second"]
    assert not after_run_transaction(lambda: done.append("late"))


def test_a_failing_deferred_write_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    done: list[str] = []

    def broken() -> None:
        raise OSError("disk full")

    with caplog.at_level(logging.WARNING, logger="shopwright.store"), holding_run_transaction():
        after_run_transaction(broken)
        after_run_transaction(lambda: done.append("kept"))
    assert done == ["kept"]
    assert "disk full" in caplog.text
