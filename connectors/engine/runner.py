"""Runs one flow of one connection: lease, one transaction, FlowRun, exceptions, next due time."""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session, sessionmaker

from connectors.engine.clock import Clock
from connectors.engine.errors import describe_failure
from connectors.engine.registry import FlowContext, ScheduledFlow
from connectors.engine.schedule import next_run, retry_delay
from store.models import FlowRun
from store.repositories import (
    ConnectionRepository,
    ExceptionRepository,
    ExceptionTracker,
    FlowCursorRepository,
    LeaseRepository,
)
from store.session import holding_run_transaction, without_statement

log = logging.getLogger("shopwright.engine")

Outcome = Literal["success", "partial", "retry", "failed", "skipped"]


@dataclass(frozen=True)
class RetryPolicy:
    """How failing runs are retried: the daemon owns this, flows only say "retryable"."""

    max_attempts: int = 5
    base_seconds: float = 2.0
    max_seconds: float = 300.0


@dataclass(frozen=True)
class RunReport:
    """What happened to one attempt to run a flow."""

    flow_key: str
    outcome: Outcome
    counts: dict[str, int]
    duration_s: float
    next_due_at: datetime | None
    error: str | None = None
    exceptions_opened: int = 0


def _holder_is_dead(holder: str) -> bool:
    """True when ``holder`` (host:pid) is a process of this machine that no longer exists."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class FlowRunner:
    """Executes scheduled flows one at a time under their lease."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        *,
        holder: str,
        policy: RetryPolicy = RetryPolicy(),
        lease_ttl: timedelta = timedelta(minutes=5),
        rng: random.Random | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.holder = holder
        self.policy = policy
        self.lease_ttl = lease_ttl
        self.rng = rng or random.Random()
        self._clients: dict[str, Any] = {}

    def ensure_scheduled(self, flow: ScheduledFlow) -> None:
        """Create the flow's lease row on first sight, due at once."""
        with self.session_factory.begin() as session:
            LeaseRepository(session).ensure(flow.connection_name, flow.spec.name, due_at=self.clock.now())

    def is_due(self, flow: ScheduledFlow, now: datetime) -> bool:
        with self.session_factory() as session:
            lease = LeaseRepository(session).get(flow.connection_name, flow.spec.name)
            return lease is None or lease.next_due_at is None or lease.next_due_at <= now

    def run(self, flow: ScheduledFlow, *, force: bool = False) -> RunReport:
        """Run ``flow`` once if it is due (or ``force``) and no other daemon is running it."""
        self.ensure_scheduled(flow)
        postgresql = self.session_factory.kw["bind"].dialect.name == "postgresql"
        if not postgresql and not self._claim(flow):
            return self._skipped(flow)
        try:
            with holding_run_transaction():  # writes that must outlive the run wait for its end
                return self._run_locked(flow, force=force, postgresql=postgresql)
        finally:
            if not postgresql:
                with self.session_factory.begin() as session:
                    LeaseRepository(session).release(flow.connection_name, flow.spec.name, holder=self.holder)

    def _claim(self, flow: ScheduledFlow) -> bool:
        with self.session_factory.begin() as session:
            leases = LeaseRepository(session)
            lease = leases.get(flow.connection_name, flow.spec.name)
            if lease is not None and lease.holder and _holder_is_dead(lease.holder):
                # A daemon on this machine was killed while holding the claim: take it over
                # now rather than waiting out the TTL.
                leases.release(flow.connection_name, flow.spec.name, holder=lease.holder)
            return leases.claim(
                flow.connection_name,
                flow.spec.name,
                holder=self.holder,
                now=self.clock.now(),
                ttl=self.lease_ttl,
            )

    def _skipped(self, flow: ScheduledFlow) -> RunReport:
        return RunReport(flow.key, "skipped", {}, 0.0, None)

    def _run_locked(self, flow: ScheduledFlow, *, force: bool, postgresql: bool) -> RunReport:
        with self.session_factory() as session, session.begin():
            leases = LeaseRepository(session)
            lease = (
                leases.lock_for_run(flow.connection_name, flow.spec.name)
                if postgresql
                else leases.get(flow.connection_name, flow.spec.name)
            )
            if lease is None:
                return self._skipped(flow)  # another daemon holds the row lock right now
            now = self.clock.now()
            # Re-check under the lock: another daemon may have just run it and moved the due time.
            if not force and lease.next_due_at is not None and lease.next_due_at > now:
                return self._skipped(flow)
            # Nothing is written before the flow's own work: on SQLite the first write takes the
            # database's only write lock until the run ends, so writing before the flow's API
            # calls would block every other writer (a CLI command, the bot) through those calls.
            connection = ConnectionRepository(session).get_by_name(flow.connection_name)
            if connection is None:
                raise RuntimeError(
                    f"connection {flow.connection_name} is not in the store; restart the daemon"
                )
            run = FlowRun(
                connection_name=flow.connection_name,
                flow_name=flow.spec.name,
                holder=self.holder,
                attempt=lease.attempt + 1,
                started_at=now,
            )
            tracker = ExceptionTracker(ExceptionRepository(session), flow.spec.name, connection.id, now)
            ctx = FlowContext(
                client=self._client(flow),
                session=session,
                cursor=FlowCursorRepository(session).get(flow.connection_name, flow.spec.name),
                settings=flow.settings,
                clock=self.clock,
                now=now,
                connection=connection,
                exceptions=tracker,
            )
            started = time.perf_counter()
            savepoint = session.begin_nested()
            try:
                result = flow.spec.run(ctx)
                FlowCursorRepository(session).set(
                    flow.connection_name, flow.spec.name, result.cursor, now=now
                )
                tracker.finish()
                # The run worked: connection-level failures of this flow are gone.
                ExceptionRepository(session).resolve_entity(
                    "connection", flow.connection_name, now=now, flow=flow.spec.name
                )
                ConnectionRepository(session).mark_success(connection, now)
                savepoint.commit()
            except Exception as error:
                savepoint.rollback()
                return self._record_failure(session, flow, lease, run, connection.id, error, started)
            duration = time.perf_counter() - started
            outcome: Outcome = "partial" if tracker.observed_count else "success"
            lease.attempt = 0
            lease.last_outcome = outcome
            lease.next_due_at = self._next_due(lease.next_due_at, flow, now, more=result.more, forced=force)
            self._finish_run(session, run, outcome, ctx.counts, duration, None)
            log.info(
                "flow run",
                extra={
                    "flow": flow.key,
                    "outcome": outcome,
                    "counts": ctx.counts,
                    "duration_ms": round(duration * 1000),
                },
            )
            return RunReport(
                flow.key,
                outcome,
                dict(ctx.counts),
                duration,
                lease.next_due_at,
                exceptions_opened=tracker.observed_count,
            )

    @staticmethod
    def _next_due(
        due: datetime | None, flow: ScheduledFlow, now: datetime, *, more: bool, forced: bool
    ) -> datetime:
        if more:  # a backlog is waiting: run again at once
            return now
        if forced and due is not None and due > now:
            # A run brought forward (a webhook, `once --flow`) leaves the schedule where it was:
            # otherwise frequent triggers would keep pushing the regular poll out of reach.
            return due
        return next_run(due, flow.spec.interval, now)

    def _record_failure(
        self,
        session: Session,
        flow: ScheduledFlow,
        lease: Any,
        run: FlowRun,
        connection_id: int,
        error: Exception,
        started: float,
    ) -> RunReport:
        duration = time.perf_counter() - started
        # A database error's text would carry its statement; never let it reach a person or a log.
        failure = describe_failure(without_statement(error), flow.key)
        now = self.clock.now()
        attempt = lease.attempt + 1
        if failure.retryable and attempt < self.policy.max_attempts:
            delay = retry_delay(
                attempt,
                base=self.policy.base_seconds,
                maximum=self.policy.max_seconds,
                rng=self.rng,
                retry_after=failure.retry_after,
            )
            lease.attempt = attempt
            lease.next_due_at = now + timedelta(seconds=delay)
            outcome: Outcome = "retry"
        else:
            # Out of attempts (or not retryable): wait a whole interval, starting afresh.
            lease.attempt = 0
            lease.next_due_at = now + flow.spec.interval
            outcome = "failed"
        lease.last_outcome = outcome
        message = f"{failure.message} (next attempt {lease.next_due_at:%Y-%m-%d %H:%M:%S} UTC)"
        self._finish_run(session, run, outcome, {}, duration, failure.message)
        ExceptionRepository(session).observe(
            code=failure.code,
            category=failure.category,
            entity_type="connection",
            entity_id=flow.connection_name,
            message=message,
            now=now,
            connection_id=connection_id,
            flow=flow.spec.name,
            fault=failure.fault,
            run_id=run.id,
        )
        log.warning(
            "flow run failed",
            extra={"flow": flow.key, "outcome": outcome, "code": failure.code, "error": failure.message},
        )
        return RunReport(
            flow.key, outcome, {}, duration, lease.next_due_at, error=failure.message, exceptions_opened=1
        )

    def _finish_run(
        self,
        session: Session,
        run: FlowRun,
        outcome: Outcome,
        counts: dict[str, int],
        duration: float,
        error: str | None,
    ) -> None:
        run.finished_at = self.clock.now()
        run.duration_ms = round(duration * 1000)
        self._note_lease_holder(session, run)
        run.outcome = outcome
        run.counts = dict(counts)
        run.error = error

    def _note_lease_holder(self, session: Session, run: FlowRun) -> None:
        """Write the run and who ran it, at the end of the run's transaction."""
        session.add(run)
        lease = LeaseRepository(session).get(run.connection_name, run.flow_name)
        if lease is not None:
            lease.holder = self.holder
            lease.acquired_at = run.started_at
            lease.last_run_at = run.started_at
        session.flush()

    def _client(self, flow: ScheduledFlow) -> Any:
        if flow.client_factory is None:
            return None
        if flow.connection_name not in self._clients:
            self._clients[flow.connection_name] = flow.client_factory()
        return self._clients[flow.connection_name]
