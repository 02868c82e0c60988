"""Real daemon processes: leases across processes, and SIGKILL in the middle of a flow."""

from __future__ import annotations

import signal
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from processes import start_daemon, wait_for
from store.models import FlowRun, Location
from store.repositories import FlowCursorRepository
from store.session import create_session_factory, create_store_engine

pytestmark = pytest.mark.slow


def _config(tmp_path: Path, **settings: object) -> Path:
    lines = [
        "[daemon]",
        'plugins = ["ticker_connector"]',
        "tick_seconds = 0.005",
        "",
        "[connections.t1]",
        'type = "ticker"',
    ]
    lines += [
        f"{key} = {value!r}" if not isinstance(value, str) else f'{key} = "{value}"'
        for key, value in settings.items()
    ]
    path = tmp_path / "shopwright.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _items(factory) -> list[Location]:  # type: ignore[no-untyped-def]
    with factory() as session:
        return list(session.scalars(select(Location).order_by(Location.id)))


def test_daemons_on_postgresql_never_overlap_and_lose_no_tick(postgres_url: str, tmp_path: Path) -> None:
    ticks = 200
    config = _config(tmp_path, batch=1, work_iterations=3000)
    engine = create_store_engine(postgres_url)
    factory = create_session_factory(engine)
    daemons = [start_daemon(config, postgres_url, "run") for _ in range(3)]
    try:

        def done() -> bool:
            with factory() as session:
                return session.scalar(select(func.count(Location.id))) >= ticks  # type: ignore[operator]

        wait_for(done, timeout=180, what=f"{ticks} ticks from three daemons")
    finally:
        for daemon in daemons:
            daemon.send_signal(signal.SIGTERM)
        outputs = [daemon.communicate(timeout=60) for daemon in daemons]
    for daemon, (stdout, stderr) in zip(daemons, outputs, strict=True):
        assert daemon.returncode == 0, stderr
        assert "shopwright daemon stopped:" in stdout

    items = _items(factory)
    numbers = [int(item.external_id) for item in items]
    assert numbers == list(range(1, len(numbers) + 1)), "an item was skipped or written twice"
    spans = sorted((item.details["start"], item.details["end"], item.details["pid"]) for item in items)
    for (_start_a, end_a, pid_a), (start_b, _end_b, pid_b) in pairwise(spans):
        assert end_a <= start_b, f"runs overlapped: pid {pid_a} ended at {end_a}, pid {pid_b} began {start_b}"
    assert len({pid for _s, _e, pid in spans}) >= 2, "the daemons did not share the flow"
    with factory() as session:
        assert FlowCursorRepository(session).get("t1", "pull_items") == len(numbers)
        runs = session.scalars(select(FlowRun).where(FlowRun.outcome == "success")).all()
        assert len(runs) == len(numbers)
    engine.dispose()


def test_sigkill_mid_flow_leaves_cursor_and_records_in_agreement(database_url: str, tmp_path: Path) -> None:
    ready, pause = tmp_path / "ready", tmp_path / "pause"
    engine = create_store_engine(database_url)
    factory = create_session_factory(engine)

    def cursor() -> int | None:
        with factory() as session:
            return FlowCursorRepository(session).get("t1", "pull_items")  # type: ignore[no-any-return]

    # Run 1 completes: 10 items.
    config = _config(tmp_path, batch=10, work_iterations=1)
    first = start_daemon(config, database_url, "once", "--flow", "t1:pull_items")
    _out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert cursor() == 10

    # Run 2 is killed after writing 5 of its 10 items, before it can commit.
    config = _config(
        tmp_path, batch=10, work_iterations=1, pause_after=5, pause_file=str(pause), ready_file=str(ready)
    )
    pause.touch()
    victim = start_daemon(config, database_url, "once", "--flow", "t1:pull_items")
    try:
        wait_for(ready.exists, timeout=60, what="the daemon to be in the middle of its run")
    finally:
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    assert cursor() == 10
    assert [int(i.external_id) for i in _items(factory)] == list(range(1, 11))

    # After restart the run is redone whole: nothing skipped, nothing applied twice.
    pause.unlink()
    config = _config(tmp_path, batch=10, work_iterations=1)
    again = start_daemon(config, database_url, "once", "--flow", "t1:pull_items")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert "t1:pull_items: success (items=10" in out
    assert cursor() == 20
    assert [int(i.external_id) for i in _items(factory)] == list(range(1, 21))
    engine.dispose()
