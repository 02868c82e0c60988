"""`sync_daemon.py push-order ORDER_ID [--dry-run]`: one order, the flow's own code path."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sfcc_helpers import SECRETS, add_store_order, sfcc_config, write_config_files
from sqlalchemy import select

from connectors.config import ShopwrightConfig, load_config
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc import jsonwire
from connectors.sfcc.push_one import push_order_command
from connectors.sfcc.sandbox.app import create_app
from processes import run_cli
from store.models import ExceptionRecord, Order, OrderRoute
from store.session import create_session_factory, create_store_engine

# Push orders to Salesforce is off: a one-order test must work before full sync is enabled.
OFF = "push_orders = false"


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with running_sandbox(create_app()) as url:
        yield url


def _config(tmp_path: Path, database_url: str, sandbox_url: str, extra: str = OFF) -> ShopwrightConfig:
    path = tmp_path / "shopwright.toml"
    path.write_text(sfcc_config(database_url, sandbox_url, extra))
    return load_config(path, environ=SECRETS)


def _seed(database_url: str, *external_ids: str, status: str = "readyForFulfillment") -> None:
    engine = create_store_engine(database_url)
    with create_session_factory(engine).begin() as session:
        for external_id in external_ids:
            add_store_order(session, external_id, status=status)
    engine.dispose()


def _command(config: ShopwrightConfig, order_id: str, *, dry_run: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = push_order_command(config, order_id, dry_run=dry_run, out=out)
    return code, out.getvalue()


def _sandbox_orders(url: str) -> list[dict]:  # type: ignore[type-arg]
    data: list[dict] = jsonwire.loads(httpx.get(f"{url}/_sandbox/orders").content)["data"]  # type: ignore[type-arg]
    return data


def _routes(database_url: str) -> list[OrderRoute]:
    engine = create_store_engine(database_url)
    with create_session_factory(engine)() as session:
        routes = list(session.scalars(select(OrderRoute)))
    engine.dispose()
    return routes


def test_dry_run_prints_the_exact_requests_and_sends_none(
    sqlite_url: str, sandbox_url: str, tmp_path: Path
) -> None:
    _seed(sqlite_url, "576653688135258178")
    code, output = _command(_config(tmp_path, sqlite_url, sandbox_url), "576653688135258178", dry_run=True)
    assert code == 0, output
    lines = output.splitlines()
    assert "nothing sent" in lines[0] and sandbox_url in lines[0]
    shop, basket = "/s/RefArch/dw/shop/v25_6", "/s/RefArch/dw/shop/v25_6/baskets/{basket_id}"
    requests = [line for line in lines if line[:1].isdigit()]
    assert requests == [
        f"1. [check_order] GET {shop}/orders/TT576653688135258178",
        f"2. [create_basket] POST {shop}/baskets",
        f"3. [set_customer] PUT {basket}/customer",
        f"4. [add_items] POST {basket}/items",
        f"5. [set_shipping_address] PUT {basket}/shipments/me/shipping_address",
        f"6. [set_shipping_method] PUT {basket}/shipments/me/shipping_method",
        f"7. [set_billing_address] PUT {basket}/billing_address",
        f"8. [add_payment_instrument] POST {basket}/payment_instruments",
        f"9. [create_order] PUT {shop}/orders/TT576653688135258178",
    ]
    bodies = [line.strip() for line in lines if line.startswith("   ")]
    assert '{"customer_no":"00000001","email":"tt576653688135258178@tiktok.invalid"}' in bodies
    assert '{"id":"001"}' in bodies
    assert '{"amount":58.47,"payment_method_id":"TTS"}' in bodies  # exact decimal, never a float detour
    for secret in SECRETS.values():
        assert secret not in output
    assert httpx.get(f"{sandbox_url}/_sandbox/stats").json()["requests_total"] == 0
    assert _routes(sqlite_url) == []  # a dry run leaves no trace


def test_push_order_pushes_one_order_even_with_push_orders_off(
    database_url: str, sandbox_url: str, tmp_path: Path
) -> None:
    _seed(database_url, "1001", "1002")
    config = _config(tmp_path, database_url, sandbox_url)
    code, output = _command(config, "1001")
    assert code == 0 and output == "Order 1001 (sf): created in SFCC as order TT1001.\n"
    assert [o["order_no"] for o in _sandbox_orders(sandbox_url)] == ["TT1001"]  # only that order
    (route,) = _routes(database_url)
    assert route.state == "created" and route.external_id == "TT1001"
    assert "create_order" in route.steps and "add_items" in route.steps  # the flow's own journal

    code, output = _command(config, "1001")  # again: the route says it is there
    assert code == 0 and "already in SFCC as order TT1001" in output
    assert len(_sandbox_orders(sandbox_url)) == 1


def test_push_order_cancels_an_order_cancelled_on_tiktok(
    sqlite_url: str, sandbox_url: str, tmp_path: Path
) -> None:
    _seed(sqlite_url, "1003")
    config = _config(tmp_path, sqlite_url, sandbox_url)
    assert _command(config, "1003")[0] == 0
    engine = create_store_engine(sqlite_url)
    with create_session_factory(engine).begin() as session:
        session.scalars(select(Order)).one().status = "canceled"
    engine.dispose()
    code, output = _command(config, "1003", dry_run=True)
    assert "1. [cancel_order] PUT /s/-/dw/data/v25_6/sites/RefArch/orders/TT1003/status" in output
    code, output = _command(config, "1003")
    assert code == 0 and "cancelled SFCC order TT1003" in output
    assert _sandbox_orders(sandbox_url)[0]["status"] == "cancelled"


def test_push_order_reports_the_rejection_and_records_the_exception(
    sqlite_url: str, sandbox_url: str, tmp_path: Path
) -> None:
    _seed(sqlite_url, "1004")
    config = _config(tmp_path, sqlite_url, sandbox_url, OFF + '\ngeneric_customer_number = "404"')
    config_text = (
        (tmp_path / "shopwright.toml").read_text().replace('generic_customer_number = "00000001"\n', "")
    )
    (tmp_path / "shopwright.toml").write_text(config_text)
    config = load_config(tmp_path / "shopwright.toml", environ=SECRETS)
    code, output = _command(config, "1004")
    assert code == 1
    assert output.startswith(
        "Order 1004 was not pushed to sf (sfcc.customer_missing): SFCC rejected order TT1004"
    )
    assert "CustomerNotFoundException" in output
    engine = create_store_engine(sqlite_url)
    with create_session_factory(engine)() as session:
        record = session.scalars(select(ExceptionRecord)).one()
        assert (record.code, record.entity_id, record.flow) == (
            "sfcc.customer_missing",
            "1004",
            "push_orders",
        )
        assert record.fault["raw"]["fault"]["type"] == "CustomerNotFoundException"
    engine.dispose()
    assert _sandbox_orders(sandbox_url) == []


def test_push_order_names_an_unknown_order(sqlite_url: str, sandbox_url: str, tmp_path: Path) -> None:
    code, output = _command(_config(tmp_path, sqlite_url, sandbox_url), "999")
    assert code == 2 and "no order 999 in the store" in output


def test_cli_push_order_dry_run_then_push(sqlite_url: str, sandbox_url: str, tmp_path: Path) -> None:
    _seed(sqlite_url, "2001")
    path = write_config_files(tmp_path, sqlite_url, sandbox_url, OFF)
    dry = run_cli(path, sqlite_url, "push-order", "2001", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "9. [create_order] PUT /s/RefArch/dw/shop/v25_6/orders/TT2001" in dry.stdout
    assert _sandbox_orders(sandbox_url) == []
    pushed = run_cli(path, sqlite_url, "push-order", "2001")
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout == "Order 2001 (sf): created in SFCC as order TT2001.\n"
    assert [o["order_no"] for o in _sandbox_orders(sandbox_url)] == ["TT2001"]
