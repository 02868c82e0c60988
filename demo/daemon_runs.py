"""The sync daemon inside the demo's process, with its progress shown as it goes.

It is built and driven exactly as ``sync_daemon.py once`` does it (``create_daemon``, then
``run_once``), with one difference: its clock follows the TikTok sandbox's, so the demo can start
the day an hour in the past and let the hold window pass in a moment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.config import ShopwrightConfig
from connectors.engine.app import DaemonApp, create_daemon
from connectors.engine.runner import RunReport
from demo.output import Reporter
from store.models import ExceptionRecord

MAX_ROUNDS = 40
REPO_ROOT = Path(__file__).resolve().parents[1]


class FollowingClock:
    """The wall clock shifted by the same offset as the TikTok sandbox's clock."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@dataclass
class ExceptionWatch:
    """Shows exceptions as they appear: codes of rows added since the last look."""

    session_factory: sessionmaker[Session]
    last_id: int = 0
    seen: Counter[str] = field(default_factory=Counter)

    def new_codes(self) -> Counter[str]:
        with self.session_factory() as session:
            rows = session.execute(
                select(ExceptionRecord.id, ExceptionRecord.code).where(ExceptionRecord.id > self.last_id)
            ).all()
        fresh: Counter[str] = Counter(code for _, code in rows)
        if rows:
            self.last_id = max(row_id for row_id, _ in rows)
        self.seen.update(fresh)
        return fresh

    def open_counts(self) -> Counter[str]:
        with self.session_factory() as session:
            rows = session.execute(
                select(ExceptionRecord.code, func.count())
                .where(ExceptionRecord.status == "open")
                .group_by(ExceptionRecord.code)
            ).all()
        return Counter({code: int(count) for code, count in rows})


def report_line(report: RunReport) -> str:
    """One flow run, as ``sync_daemon.py once`` prints it."""
    counts = ", ".join(f"{key}={value}" for key, value in sorted(report.counts.items())) or "no records"
    line = f"{report.flow_key}: {report.outcome} ({counts}, {report.duration_s * 1000:.0f} ms)"
    return f"{line}: {report.error}" if report.error else line


def show_new_exceptions(reporter: Reporter, watch: ExceptionWatch) -> None:
    fresh = watch.new_codes()
    if fresh:
        listed = ", ".join(f"{code} x{count}" for code, count in sorted(fresh.items()))
        reporter.lines([f"! new exceptions: {listed}"])


class InProcessDaemon:
    """The daemon of ``sync_daemon.py``, built once, driven round by round."""

    def __init__(self, config: ShopwrightConfig, clock: FollowingClock) -> None:
        self.app: DaemonApp = create_daemon(config, clock=clock, holder="demo:in-process")
        self.watch = ExceptionWatch(self.app.session_factory)

    def run_until_settled(self, reporter: Reporter, only: Sequence[str] = ()) -> list[RunReport]:
        """Run due flows (or ``only``) round after round until nothing is due; print each run."""
        selected = [flow for name in only for flow in self.app.registry.select(name)] if only else None
        reports: list[RunReport] = []
        for round_number in range(1, MAX_ROUNDS + 1):
            ran = [
                r
                for r in self.app.daemon.run_once(selected, force=bool(only) and round_number == 1)
                if r.outcome != "skipped"
            ]
            if not ran:
                break
            reports.extend(ran)
            reporter.lines(f"round {round_number}: {report_line(report)}" for report in ran)
            show_new_exceptions(reporter, self.watch)
        return reports

    def close(self) -> None:
        self.app.close()
