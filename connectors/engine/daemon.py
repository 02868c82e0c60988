"""The sync daemon: one class that runs every due flow, on a drift-free tick, until told to stop."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from sqlalchemy.orm import Session, sessionmaker

from connectors.engine.clock import Clock
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
    """Runs the flows of a registry under leases, with retries, until ``stop()``."""

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
    ) -> None:
        self.registry = registry
        self.runner = runner
        self.session_factory = session_factory
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.metrics = metrics
        self.on_report = on_report
        self.summary = DaemonSummary()
        self._stop = threading.Event()

    def stop(self) -> None:
        """Ask the loop to end after the flow in progress (which commits or rolls back whole)."""
        self._stop.set()

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
        """Loop until stopped; returns the one-line summary.

        Ticks stay on a fixed grid so that slow runs do not make the schedule drift.
        """
        self._install_signal_handlers()
        log.info("daemon started", extra={"flows": len(self.registry), "holder": self.runner.holder})
        next_tick = time.monotonic()
        try:
            while not self._stop.is_set():
                self.run_once()
                next_tick += self.tick_seconds
                now = time.monotonic()
                if next_tick < now:  # a tick took longer than the interval: skip, do not pile up
                    next_tick = now
                self._stop.wait(max(0.0, next_tick - now))
        finally:
            line = self.summary.line(self._open_exceptions())
            log.info(line)
        return line

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
