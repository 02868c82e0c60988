"""On PostgreSQL, a decision made in a new process resumes the run a previous process paused.

Each step runs ``bot.py --console`` as its own process over the same store; the checkpoints live
in the store's database (PostgresSaver), so nothing survives between steps except the database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select, text

from store.models import Approval, AuditLog, Mapping
from store.session import create_session_factory, create_store_engine
from tests.tools.seeding import ORDER_ID, seed_order_missing_a_shipping_mapping

ROOT = Path(__file__).resolve().parents[2]
APPROVER = "U0APPROVER"
THREAD = f"console:{APPROVER}:restart"


def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "shopwright.toml"
    path.write_text(f'database_url = "{url}"\n\n[bot]\napprovers = ["{APPROVER}"]\n', encoding="utf-8")
    return path


def _console(config: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPWRIGHT_", "OPENAI_", "SLACK_"))}
    env |= {"PYTHONPATH": str(ROOT), "SHOPWRIGHT_SECRETS_FILE": str(config.parent / "no-secrets.toml")}
    argv = ["--console", "--as", APPROVER, "--thread", "restart", "--backend", "offline", "--strict"]
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *argv, "--config", str(config)],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=str(config.parent),
        timeout=120,
        check=False,
    )


def test_decision_in_a_new_process_resumes_the_paused_run(postgres_url: str, tmp_path: Path) -> None:
    seed_order_missing_a_shipping_mapping(postgres_url)
    config = _config(tmp_path, postgres_url)

    first = _console(config, f"why did order {ORDER_ID} fail?\napply the fix with shipping_method_id 001\n")
    assert first.returncode == 0, first.stderr
    assert "mapping.shipping_method_missing" in first.stdout
    assert "Approval needed" in first.stdout and "map_shipping_method" in first.stdout

    engine = create_store_engine(postgres_url)
    sessions = create_session_factory(engine)
    try:
        with sessions() as session:
            assert session.scalars(select(Mapping).where(Mapping.source == "Express Delivery")).all() == []
            [row] = session.scalars(select(Approval)).all()
            assert row.status == "pending" and row.thread_id == THREAD
            stored = session.execute(
                text("SELECT count(*) FROM checkpoints WHERE thread_id = :thread"), {"thread": THREAD}
            ).scalar_one()
            assert stored > 0, "the paused run must be checkpointed in the store's database"

        second = _console(config, "approve\n")
        assert second.returncode == 0, second.stdout + second.stderr
        assert f"Approved by @{APPROVER}" in second.stdout
        assert f"applied after approval by @{APPROVER}" in second.stdout

        third = _console(config, "approve\n")
        assert "Nothing is waiting for approval" in third.stdout and third.returncode == 1

        with sessions() as session:
            [mapping] = session.scalars(select(Mapping).where(Mapping.source == "Express Delivery")).all()
            assert (mapping.kind, mapping.target, mapping.created_by) == (
                "shipping_method",
                "001",
                APPROVER,
            )
            assert session.scalars(select(Approval.status)).all() == ["applied"]
            actions = session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
            assert actions == ["approval.requested", "approval.approved", "map_shipping_method"]
    finally:
        engine.dispose()
