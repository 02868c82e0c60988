"""``python -m tools``, run as a real process against a migrated SQLite store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from store.models import Approval, AuditLog, Connection, Mapping, Order
from store.session import create_session_factory, create_store_engine
from tests.tools.seeding import ORDER_ID, SFCC_SETTINGS
from tools import TOOLS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    engine = create_store_engine(sqlite_url)
    with create_session_factory(engine).begin() as session:
        tiktok = Connection(name="tiktok-us", type="tiktok", settings={})
        sfcc = Connection(name="sfcc-main", type="sfcc", settings=SFCC_SETTINGS)
        session.add_all([tiktok, sfcc])
        session.flush()
        zero = Decimal(0)
        session.add(
            Order(
                connection_id=tiktok.id,
                external_id=ORDER_ID,
                status="new",
                currency="USD",
                subtotal=zero,
                shipping_fee=zero,
                tax=zero,
                discount=zero,
                total=zero,
            )
        )
    engine.dispose()
    config = tmp_path / "shopwright.toml"
    config.write_text(
        f'database_url = "{sqlite_url}"\n\n[bot]\napprovers = ["U-APPROVER"]\n', encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPWRIGHT_")}
    return env | {"SHOPWRIGHT_CONFIG": str(config), "SHOPWRIGHT_SECRETS_FILE": str(tmp_path / "none.toml")}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_list_prints_every_tool_with_effect_and_schema(store: dict[str, str]) -> None:
    done = run(store, "list", "--json")
    assert done.returncode == 0, done.stderr
    entries = json.loads(done.stdout)
    assert {e["name"] for e in entries} == set(TOOLS)
    assert {e["effect"] for e in entries if e["name"] == "map_sku"} == {"write"}
    assert all(e["input_schema"]["type"] == "object" for e in entries)
    text = run(store, "list")
    assert "map_sku  [write]" in text.stdout


def test_call_read_tool_prints_json(store: dict[str, str]) -> None:
    done = run(store, "call", "get_order", json.dumps({"order_id": ORDER_ID}))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["order_id"] == ORDER_ID


def test_call_with_bad_input_exits_non_zero_with_json_error(store: dict[str, str]) -> None:
    done = run(store, "call", "get_order", '{"order": 1}')
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "tool.invalid_input"
    broken = run(store, "call", "get_order", "{not json")
    assert broken.returncode == 2
    assert "not valid JSON" in json.loads(broken.stdout)["error"]["message"]


def test_write_needs_an_approver_from_the_config(store: dict[str, str], sqlite_url: str) -> None:
    args = json.dumps({"delivery_option": "Express", "shipping_method_id": "EXP"})
    missing = run(store, "call", "map_shipping_method", args)
    assert missing.returncode == 3
    assert "U-APPROVER" in json.loads(missing.stdout)["error"]["message"]
    stranger = run(store, "call", "map_shipping_method", args, "--approved-by", "U-STRANGER")
    assert stranger.returncode == 3
    assert json.loads(stranger.stdout)["error"]["code"] == "tool.approval_refused"
    done = run(store, "call", "map_shipping_method", args, "--approved-by", "U-APPROVER")
    assert done.returncode == 0, done.stdout + done.stderr
    engine = create_store_engine(sqlite_url)
    with create_session_factory(engine)() as session:
        assert session.scalars(select(Mapping.target)).all() == ["EXP"]
        decided, write = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        assert (decided.actor, decided.action, decided.source) == ("U-APPROVER", "approval.approved", "cli")
        assert (write.actor, write.action, write.source) == ("U-APPROVER", "map_shipping_method", "cli")
        approval = session.scalars(select(Approval)).one()
        assert (approval.status, approval.decided_by) == ("applied", "U-APPROVER")
        assert approval.tool == write.action
        assert write.approval_id == decided.approval_id == str(approval.id)
    engine.dispose()
