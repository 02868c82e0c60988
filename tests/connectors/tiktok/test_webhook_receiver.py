"""The webhook receiver the daemon runs: signed notifications bring the order pull forward."""

from __future__ import annotations

import json
import logging
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select
from tiktok_live import APP_KEY, APP_SECRET, CONNECTION, live_sandbox, write_config

from connectors.engine.clock import SystemClock
from connectors.engine.hooks import ServiceStartError, SideService
from connectors.runtime import ConnectionRuntime
from connectors.sandbox_runner import free_port
from connectors.tiktok.auth import webhook_signature
from connectors.tiktok.flows import FLOWS
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE, make_order
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.webhooks import webhook_services
from processes import ROOT, daemon_env, run_cli, wait_for
from store.models import FlowRun, Order
from store.session import create_session_factory, create_store_engine

NEW_ORDER = "576000000000000777"


def _event(notification_id: str, event_type: int = 1, **data: Any) -> bytes:
    body = {
        "type": event_type,
        "tts_notification_id": notification_id,
        "shop_id": "7495540735365777507",
        "timestamp": 1718305585,
        "data": {"order_id": NEW_ORDER, "order_status": "AWAITING_SHIPMENT", **data},
    }
    return json.dumps(body, separators=(",", ":")).encode()


# --- the receiver on its own, with a recording trigger --------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, flow: str, reason: str) -> bool:
        with self.lock:
            self.calls.append((flow, reason))
        return flow == "pull_orders"  # as if this connection ran no after-sales flow


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[tuple[str, Recorder, SideService]]:
    port = free_port()
    settings = TikTokSettings(app_key=APP_KEY, app_secret=SecretStr(APP_SECRET), webhook_port=port)
    recorder = Recorder()
    with httpx.Client() as http:
        runtime = ConnectionRuntime(CONNECTION, settings, http, SystemClock(), None)  # type: ignore[arg-type]
        (service,) = webhook_services(runtime, recorder)
        service.start()
        try:
            yield f"http://127.0.0.1:{port}/webhooks/tiktok", recorder, service
        finally:
            service.stop()


def test_receiver_forged_signature_is_refused_and_leaves_no_trace(
    receiver: tuple[str, Recorder, SideService],
) -> None:
    url, recorder, _service = receiver
    body = _event("7380066284010030001")
    forged = httpx.post(
        url, content=body, headers={"Authorization": webhook_signature(APP_KEY, "wrong", body)}
    )
    missing = httpx.post(url, content=body)
    assert (forged.status_code, missing.status_code) == (401, 401)
    assert recorder.calls == []
    # The forged id did not reach the duplicate filter: the genuine delivery still counts.
    genuine = httpx.post(
        url, content=body, headers={"Authorization": webhook_signature(APP_KEY, APP_SECRET, body)}
    )
    assert genuine.status_code == 200
    assert [flow for flow, _ in recorder.calls] == ["pull_orders"]
    assert "7380066284010030001" in recorder.calls[0][1] and NEW_ORDER in recorder.calls[0][1]


def test_receiver_duplicate_triggers_once_and_events_map_to_flows(
    receiver: tuple[str, Recorder, SideService], caplog: pytest.LogCaptureFixture
) -> None:
    url, recorder, _service = receiver

    def send(body: bytes) -> int:
        signature = webhook_signature(APP_KEY, APP_SECRET, body)
        return httpx.post(url, content=body, headers={"Authorization": signature}).status_code

    caplog.set_level(logging.INFO, logger="shopwright.tiktok.webhooks")
    assert send(_event("1001")) == 200
    assert send(_event("1001")) == 200  # TikTok's retry of the same notification
    assert send(_event("1002", 11, cancel_id="4035")) == 200
    assert send(_event("1003", 7, expiration_time="1750000000")) == 200
    assert [flow for flow, _ in recorder.calls] == ["pull_orders", "pull_orders", "pull_after_sales"]
    assert [reason.split()[1] for _, reason in recorder.calls] == ["1001", "1002", "1002"]
    assert any("already handled" in r.getMessage() for r in caplog.records)
    assert any(
        "expires at 1750000000" in r.getMessage() and "authorize tt" in r.getMessage() for r in caplog.records
    )


def test_receiver_on_a_taken_port_fails_to_start_with_the_port_named(
    receiver: tuple[str, Recorder, SideService],
) -> None:
    url, recorder, _service = receiver
    port = int(url.split(":")[2].split("/")[0])
    settings = TikTokSettings(app_key=APP_KEY, app_secret=SecretStr(APP_SECRET), webhook_port=port)
    with httpx.Client() as http:
        runtime = ConnectionRuntime("tt2", settings, http, SystemClock(), None)  # type: ignore[arg-type]
        (second,) = webhook_services(runtime, recorder)
        with pytest.raises(ServiceStartError, match=f"127.0.0.1:{port}"):
            second.start()


def test_receiver_is_not_started_without_a_port() -> None:
    settings = TikTokSettings(app_key=APP_KEY, app_secret=SecretStr(APP_SECRET))
    with httpx.Client() as http:
        runtime = ConnectionRuntime(CONNECTION, settings, http, SystemClock(), None)  # type: ignore[arg-type]
        assert webhook_services(runtime, Recorder()) == ()


# --- the daemon process, the sandbox delivering --------------------------------------------------


def _runs(factory: Any) -> list[FlowRun]:
    with factory() as session:
        return list(
            session.scalars(
                select(FlowRun)
                .where(FlowRun.connection_name == CONNECTION, FlowRun.flow_name == "pull_orders")
                .order_by(FlowRun.started_at, FlowRun.id)
            )
        )


def _stored(factory: Any) -> list[Order]:
    with factory() as session:
        return list(session.scalars(select(Order).where(Order.external_id == NEW_ORDER)))


def test_daemon_pulls_a_notified_order_before_its_poll_is_due(tmp_path: Path, database_url: str) -> None:
    interval = next(spec.interval for spec in FLOWS if spec.name == "pull_orders")
    port = free_port()
    hook_url = f"http://127.0.0.1:{port}/webhooks/tiktok"
    engine = create_store_engine(database_url)
    factory = create_session_factory(engine)
    with live_sandbox() as (sandbox_url, sandbox):
        config = write_config(tmp_path, sandbox_url, webhook_port=port)
        authorized = run_cli(config, database_url, "authorize", CONNECTION, "--code", DEFAULT_AUTH_CODE)
        assert authorized.returncode == 0, authorized.stderr
        log_path = tmp_path / "daemon.log"
        with log_path.open("w") as log_file:
            daemon = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "sync_daemon.py"),
                    "--config",
                    str(config),
                    "--log-level",
                    "INFO",
                    "run",
                ],
                env=daemon_env(database_url),
                cwd=str(tmp_path),
                stdout=subprocess.PIPE,
                stderr=log_file,
                text=True,
            )
            try:
                assert daemon.stdout is not None
                assert (
                    daemon.stdout.readline().strip() == f"{CONNECTION}: TikTok webhook receiver on {hook_url}"
                )
                wait_for(lambda: len(_runs(factory)) >= 1, timeout=60, what="the first scheduled pull")
                now = int(datetime.now(UTC).timestamp())
                order = make_order(NEW_ORDER, status="AWAITING_SHIPMENT", create_time=now - 120, units=[2])
                sandbox.state.put_order({**order, "update_time": now})
                body = _event("7380066284010039999", update_time=now)
                forged = httpx.post(hook_url, content=body, headers={"Authorization": "0" * 64})
                assert forged.status_code == 401

                delivery = {
                    "url": hook_url,
                    "type": 1,
                    "tts_notification_id": "7380066284010039999",
                    "data": {"order_id": NEW_ORDER, "order_status": "AWAITING_SHIPMENT", "update_time": now},
                }
                first = httpx.post(f"{sandbox_url}/_sandbox/webhooks/deliver", json=delivery).json()
                assert first["status"] == 200
                wait_for(
                    lambda: len(_stored(factory)) == 1, timeout=30, what="the notified order in the store"
                )
                again = httpx.post(f"{sandbox_url}/_sandbox/webhooks/deliver", json=delivery).json()
                assert again["status"] == 200
            finally:
                daemon.send_signal(signal.SIGTERM)
                out, _ = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, log_path.read_text()[-3000:]
    assert "shopwright daemon stopped:" in out

    runs = _runs(factory)
    stored = _stored(factory)
    engine.dispose()
    # The run that stored the order started well before the schedule's next poll.
    assert len(runs) >= 2 and runs[1].started_at < runs[0].started_at + interval - timedelta(seconds=20)
    assert len(stored) == 1 and stored[0].total == Decimal("49.00")  # two units at 24.50

    records = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    requested = [r for r in records if r["msg"] == "flow run requested"]
    assert [r["flow"] for r in requested] == [f"{CONNECTION}:pull_orders"]
    assert "7380066284010039999" in requested[0]["reason"]
    assert sum("already handled" in r["msg"] for r in records) == 1
    assert sum("refused" in r["msg"] for r in records) == 1
    assert APP_SECRET not in log_path.read_text()


def test_daemon_with_its_webhook_port_taken_exits_naming_the_port(tmp_path: Path, sqlite_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(write_config(tmp_path, "http://127.0.0.1:9", webhook_port=port), sqlite_url, "run")
    assert result.returncode == 2
    assert f"could not listen on 127.0.0.1:{port}" in result.stderr and "choose another port" in result.stderr
    assert "daemon running" not in result.stdout
