"""The daemon's command line, as a person runs it."""

from __future__ import annotations

import json
import logging
import signal
import threading
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from connectors.engine.clock import SystemClock
from connectors.engine.daemon import Daemon
from connectors.engine.hooks import ServiceStartError
from connectors.engine.log import RedactingJsonFormatter
from connectors.engine.registry import FlowContext, FlowRegistry, FlowResult, FlowSpec, ScheduledFlow
from connectors.engine.runner import FlowRunner
from processes import run_cli, start_daemon, wait_for
from store.repositories import ConnectionRepository, FlowRunRepository, LeaseRepository
from store.session import create_session_factory, create_store_engine


def _ticker_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "shopwright.toml"
    path.write_text(
        '[daemon]\nplugins = ["ticker_connector"]\ntick_seconds = 0.01\n'
        f'[connections.t1]\ntype = "ticker"\nbatch = 2\nwork_iterations = 1\n{extra}'
    )
    return path


def test_status_on_a_new_database_prints_the_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = run_cli(_ticker_config(tmp_path), url, "status")
    assert result.returncode == 0, result.stderr
    assert "CONNECTION  FLOW" in result.stdout
    assert "t1          pull_items  yes      never" in result.stdout
    assert "sync_daemon.py migrate" in result.stdout


def test_once_with_a_broken_config_exits_nonzero_with_one_line(tmp_path: Path) -> None:
    config = tmp_path / "shopwright.toml"
    config.write_text('[connections.shop]\ntype = "tiktok"\napp_secret = "s3cr3t-value"\n')
    result = run_cli(config, f"sqlite:///{tmp_path / 'x.db'}", "once")
    assert result.returncode == 2
    first, *_rest = result.stderr.strip().splitlines()
    assert first.startswith("shopwright: configuration error in")
    assert "connections.shop.app_secret: secrets are not allowed" in first
    assert "s3cr3t-value" not in result.stderr
    assert result.stdout == ""


def test_run_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = run_cli(_ticker_config(tmp_path), f"sqlite:///{tmp_path / 'empty.db'}", "once")
    assert result.returncode == 3
    assert "Run `python sync_daemon.py migrate` first" in result.stderr


def test_migrate_then_once_then_status(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    config = _ticker_config(tmp_path)
    assert "at revision" in run_cli(config, url, "migrate").stdout
    assert "already at revision" in run_cli(config, url, "migrate").stdout
    once = run_cli(config, url, "once")
    assert once.returncode == 0, once.stderr
    assert "t1:pull_items: success (items=2" in once.stdout
    status = run_cli(config, url, "status")
    assert "success" in status.stdout and "s ago" in status.stdout
    doctor = run_cli(config, url, "doctor")
    assert doctor.returncode == 0 and "[ok] store: schema" in doctor.stdout


def test_once_with_an_unknown_flow_lists_the_known_ones(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    config = _ticker_config(tmp_path)
    run_cli(config, url, "migrate")
    result = run_cli(config, url, "once", "--flow", "pull_orders")
    assert result.returncode == 2 and "known flows: t1:pull_items" in result.stderr


def test_doctor_fails_on_an_unmigrated_store(tmp_path: Path) -> None:
    result = run_cli(_ticker_config(tmp_path), f"sqlite:///{tmp_path / 'n.db'}", "doctor")
    assert result.returncode == 1
    assert "[FAIL] store: schema" in result.stdout


def test_run_serves_metrics_and_stops_on_sigterm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    config = _ticker_config(tmp_path)
    run_cli(config, url, "migrate")
    daemon = start_daemon(config, url, "run", "--metrics-port", "0")
    try:
        assert daemon.stdout is not None
        first_line = daemon.stdout.readline()
        assert first_line.startswith("metrics on http://127.0.0.1:")
        metrics_url = first_line.split()[-1]

        def has_runs() -> bool:
            body = urllib.request.urlopen(metrics_url, timeout=5).read().decode()
            return 'shopwright_flow_runs_total{connection="t1",flow="pull_items",outcome="success"}' in body

        wait_for(has_runs, timeout=30, what="a successful run in the metrics")
        body = urllib.request.urlopen(metrics_url, timeout=5).read().decode()
        assert "shopwright_flow_records_total" in body and "shopwright_exceptions_open" in body
    finally:
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, err
    assert "shopwright daemon stopped:" in out and "success" in out


def test_logs_are_json_and_never_contain_secrets() -> None:
    formatter = RedactingJsonFormatter(["ROW_supersecret_token"])
    record = logging.makeLogRecord(
        {
            "name": "shopwright.x",
            "levelname": "INFO",
            "levelno": 20,
            "msg": "refreshed token ROW_supersecret_token",
            "flow": "t1:pull",
        }
    )
    line = formatter.format(record)
    document = json.loads(line)
    assert document["msg"] == "refreshed token ***" and document["flow"] == "t1:pull"
    assert "supersecret" not in line


@pytest.mark.parametrize("command", ["status", "doctor"])
def test_commands_work_with_no_configuration_at_all(tmp_path: Path, command: str) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    run_cli(None, url, "migrate")
    result = run_cli(None, url, command)
    assert result.returncode == 0, result.stdout + result.stderr


class _NoSettings(BaseModel):
    pass


class _ProbeService:
    """A side service that records its lifecycle; ``fail`` makes start() refuse."""

    def __init__(self, events: list[str], name: str, fail: bool = False) -> None:
        self.events = events
        self.name = name
        self.fail = fail
        self.description = f"{name} probe"

    def start(self) -> None:
        if self.fail:
            raise ServiceStartError(f"{self.name} could not listen")
        self.events.append(f"start {self.name}")

    def stop(self) -> None:
        self.events.append(f"stop {self.name}")


def _hourly_daemon(
    sqlite_url: str, runs: list[datetime], services: list[_ProbeService]
) -> tuple[Daemon, Any]:
    engine = create_store_engine(sqlite_url)
    factory = create_session_factory(engine)
    with factory.begin() as session:
        ConnectionRepository(session).upsert("c1", "probe", {})

    def record(ctx: FlowContext) -> FlowResult:
        runs.append(ctx.now)
        return FlowResult(cursor=len(runs))

    flow = ScheduledFlow("c1", FlowSpec("pull", "pull", timedelta(hours=1), record), _NoSettings())
    clock = SystemClock()
    runner = FlowRunner(factory, clock, holder="test:1")
    daemon = Daemon(FlowRegistry([flow]), runner, factory, clock, tick_seconds=0.05, services=services)
    return daemon, engine


def test_run_starts_services_and_a_requested_run_keeps_the_schedule(sqlite_url: str) -> None:
    runs: list[datetime] = []
    events: list[str] = []
    daemon, engine = _hourly_daemon(
        sqlite_url, runs, [_ProbeService(events, "a"), _ProbeService(events, "b")]
    )
    summary: list[str] = []
    thread = threading.Thread(target=lambda: summary.append(daemon.run()))
    thread.start()

    def committed() -> tuple[int, datetime | None]:
        with daemon.session_factory() as session:
            lease = LeaseRepository(session).get("c1", "pull")
            return FlowRunRepository(session).count(), lease.next_due_at if lease else None

    try:
        wait_for(lambda: committed()[0] == 1, timeout=30, what="the first run")
        assert events == ["start a", "start b"]
        due = committed()[1]
        assert due is not None and due > runs[0] + timedelta(minutes=59)
        assert not daemon.request_run("c1:push", "no such flow")
        assert daemon.request_run("c1:pull", "a webhook said so")
        # An hourly flow runs again within seconds only because it was asked to.
        wait_for(lambda: committed()[0] == 2, timeout=30, what="the requested run")
        assert committed()[1] == due  # the poll stays where it was
    finally:
        daemon.stop()
        thread.join(timeout=30)
        engine.dispose()
    assert events == ["start a", "start b", "stop b", "stop a"]
    assert summary and summary[0].startswith("shopwright daemon stopped: 2 runs (2 success)")


def test_run_with_a_service_that_cannot_start_stops_the_others_and_raises(sqlite_url: str) -> None:
    runs: list[datetime] = []
    events: list[str] = []
    services = [_ProbeService(events, "a"), _ProbeService(events, "b", fail=True)]
    daemon, engine = _hourly_daemon(sqlite_url, runs, services)
    raised: list[BaseException] = []

    def run() -> None:  # off the main thread, so pytest's own signal handlers stay in place
        try:
            daemon.run()
        except ServiceStartError as error:
            raised.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    engine.dispose()
    assert [str(e) for e in raised] == ["b could not listen"]
    assert events == ["start a", "stop a"] and runs == []
