"""The sync daemon: one class that runs every due flow, on a drift-free tick, until told to stop."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType

from sqlalchemy.orm import Session, sessionmaker

from connectors.engine.clock import Clock
from connectors.engine.hooks import SideService
from connectors.engine.metrics import DaemonMetrics
from connectors.engine.registry import FlowRegistry, ScheduledFlow
from connectors.engine.runner import FlowRunner, RunReport
from store.repositories import ExceptionRepository

log = logging.getLogger("shopwright.daemon")


@dataclass
class DaemonSummary:
    """Running totals, printed as one line at shutdown."""

    outcomes: Counter[str] = field(default_factory=Counter)
    records: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, report: RunReport) -> None:
        if report.outcome != "skipped":
            self.outcomes[report.outcome] += 1
            self.records += sum(report.counts.values())

    def line(self, open_exceptions: int) -> str:
        runs = sum(self.outcomes.values())
        detail = ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.outcomes.items())) or "none"
        up = int(time.monotonic() - self.started)
        return (
            f"shopwright daemon stopped: {runs} runs ({detail}), {self.records} records, "
            f"{open_exceptions} exceptions open, up {up // 3600}h{up % 3600 // 60:02d}m{up % 60:02d}s"
        )


class Daemon:
    """Runs the flows of a registry under leases, with retries, until ``stop()``.

    Side services (webhook receivers) start with `run()` and stop when it ends. They may ask for a
    flow to run now with `request_run()`: the loop wakes at once and runs it, even if not due.
    """

    def __init__(
        self,
        registry: FlowRegistry,
        runner: FlowRunner,
        session_factory: sessionmaker[Session],
        clock: Clock,
        *,
        tick_seconds: float = 1.0,
        metrics: DaemonMetrics | None = None,
        on_report: Callable[[RunReport], None] | None = None,
        services: Sequence[SideService] = (),
    ) -> None:
        self.registry = registry
        self.runner = runner
        self.session_factory = session_factory
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.metrics = metrics
        self.on_report = on_report
        self.summary = DaemonSummary()
        self.services: list[SideService] = list(services)
        self._stop = threading.Event()
        # Set by stop() and request_run(): ends the wait between ticks early.
        self._wake = threading.Event()
        self._requested: dict[str, str] = {}
        self._requested_lock = threading.Lock()
        self._services_started: list[SideService] = []

    def stop(self) -> None:
        """Ask the loop to end after the flow in progress (which commits or rolls back whole)."""
        self._stop.set()
        self._wake.set()

    def request_run(self, flow_key: str, reason: str) -> bool:
        """Run ``flow_key`` (``connection:flow``) as soon as the loop is free, due or not.

        Thread-safe and quick (it only records the wish): side services call it from their own
        threads. Requests for one flow made before it starts coalesce into one run. Returns False
        for an unknown or disabled flow.
        """
        flow = self.registry.get(flow_key)
        if flow is None or not flow.enabled:
            return False
        with self._requested_lock:
            self._requested.setdefault(flow_key, reason)
        log.info("flow run requested", extra={"flow": flow_key, "reason": reason})
        self._wake.set()
        return True

    def start_services(self) -> None:
        """Start every side service (once); on a failure, stop those already started and raise."""
        self._install_signal_handlers()  # a SIGTERM while services start still stops cleanly
        for service in self.services:
            if service in self._services_started:
                continue
            try:
                service.start()
            except Exception:
                self.stop_services()
                raise
            self._services_started.append(service)
            log.info("service started", extra={"service": service.description})

    def stop_services(self) -> None:
        """Stop started side services, last started first."""
        while self._services_started:
            service = self._services_started.pop()
            try:
                service.stop()
            except Exception:  # one service failing to stop must not keep the others running
                log.exception("service did not stop cleanly", extra={"service": service.description})

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run_once(self, only: list[ScheduledFlow] | None = None, *, force: bool = False) -> list[RunReport]:
        """Run every due enabled flow once (or just ``only``); returns what happened to each."""
        reports = []
        for flow in only if only is not None else list(self.registry):
            if self._stop.is_set():
                break
            if not flow.enabled:
                continue
            report = self.runner.run(flow, force=force)
            self._record(report)
            reports.append(report)
        return reports

    def run(self) -> str:
        """Start the side services, loop until stopped, stop them; returns the one-line summary.

        Ticks stay on a fixed grid so that slow runs do not make the schedule drift; a requested
        run wakes the loop between ticks without moving the grid.
        """
        self._install_signal_handlers()
        log.info("daemon started", extra={"flows": len(self.registry), "holder": self.runner.holder})
        next_tick = time.monotonic()
        try:
            self.start_services()
            while not self._stop.is_set():
                self._wake.clear()
                self._run_requested()
                now = time.monotonic()
                if now >= next_tick:
                    self.run_once()
                    next_tick += self.tick_seconds
                    now = time.monotonic()
                    if next_tick < now:  # a tick took longer than the interval: skip, do not pile up
                        next_tick = now
                self._wake.wait(max(0.0, next_tick - now))
        finally:
            self.stop_services()
            line = self.summary.line(self._open_exceptions())
            log.info(line)
        return line

    def _run_requested(self) -> None:
        """Run the flows asked for since the last look; one another daemon holds stays asked for."""
        with self._requested_lock:
            requested, self._requested = self._requested, {}
        for flow_key, reason in requested.items():
            if self._stop.is_set():
                return
            flow = self.registry.get(flow_key)
            if flow is None:
                continue
            report = self.runner.run(flow, force=True)
            self._record(report)
            if report.outcome == "skipped":  # another daemon runs it right now; try again next tick
                with self._requested_lock:
                    self._requested.setdefault(flow_key, reason)

    def _record(self, report: RunReport) -> None:
        self.summary.add(report)
        if self.metrics is not None:
            self.metrics.observe(report)
            if report.outcome != "skipped":
                self.metrics.exceptions_open.set(self._open_exceptions())
        if self.on_report is not None:
            self.on_report(report)

    def _open_exceptions(self) -> int:
        with self.session_factory() as session:
            return ExceptionRepository(session).count_open()

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def handle(signum: int, _frame: FrameType | None) -> None:
            log.info("stop requested", extra={"signal": signal.Signals(signum).name})
            self._stop.set()

        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)
