"""The store-backed token store: cached per process, renewed once across processes, safe mid-run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from connectors.engine.clock import FrozenClock
from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowResult, FlowSpec, ScheduledFlow
from connectors.engine.runner import FlowRunner, RetryPolicy
from connectors.tiktok.client import TikTokClient, build_client
from connectors.tiktok.sandbox import Sandbox
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE
from connectors.tiktok.store_tokens import StoreTokenStore
from processes import wait_for
from store.models import Location
from store.repositories import ConnectionRepository
from store.session import create_session_factory, create_store_engine
from tests.connectors.tiktok.conftest import make_settings

REFRESH_PATH = "/api/v2/token/refresh"


@dataclass
class Process:
    """One daemon's view of the connection: its own engine, token store and client."""

    engine: Engine
    factory: sessionmaker[Session]
    tokens: StoreTokenStore
    client: TikTokClient
    http: httpx.Client
    token_queries: list[str] = field(default_factory=list)


@pytest.fixture
def processes(database_url: str, sandbox_url: str, clock: FrozenClock) -> Iterator[Callable[..., Process]]:
    made: list[Process] = []

    def make(
        *, monotonic: Callable[[], float] = time.monotonic, hooks: list[object] | None = None
    ) -> Process:
        engine = create_store_engine(database_url)
        factory = create_session_factory(engine)
        with factory.begin() as session:
            ConnectionRepository(session).upsert("tt", "tiktok", {})
        tokens = StoreTokenStore(factory, "tt", cache_seconds=60, monotonic=monotonic)
        http = httpx.Client(timeout=10, event_hooks={"request": list(hooks or [])})
        settings = make_settings(sandbox_url, rate_limit_qps=1000)
        process = Process(engine, factory, tokens, build_client(settings, http, tokens, clock), http)

        def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
            if "connection_token" in statement:
                process.token_queries.append(statement)

        event.listen(engine, "before_cursor_execute", note)
        made.append(process)
        return process

    yield make
    for process in made:
        process.http.close()
        process.engine.dispose()


def _refreshes(counter: list[str]) -> Callable[[httpx.Request], None]:
    def hook(request: httpx.Request) -> None:
        if request.url.path == REFRESH_PATH:
            counter.append(request.url.path)

    return hook


def _expire_access_tokens(sandbox_url: str) -> None:
    assert httpx.post(f"{sandbox_url}/_sandbox/tokens/expire", json={}, timeout=10).status_code == 200


def _stored_access_token(process: Process) -> str:
    with process.factory() as session:
        token = ConnectionRepository(session).get_token_by_connection_name("tt", "tiktok_oauth")
        assert token is not None
        return str(token.data["access_token"])


def test_calls_read_the_token_from_memory_until_the_cache_time_passes(
    processes: Callable[..., Process], sandbox_url: str
) -> None:
    now = [0.0]
    daemon = processes(monotonic=lambda: now[0])
    daemon.client.exchange_auth_code(DEFAULT_AUTH_CODE)
    daemon.client.bind_shop()
    daemon.token_queries.clear()
    for _ in range(5):
        daemon.client.get_warehouses()
    assert daemon.token_queries == []  # the saved record serves every call

    # Another process re-authorises: this one sees it once its cached copy is older than 60 s.
    other = processes()
    renewed = daemon.tokens.load()
    assert renewed is not None
    other.tokens.save(renewed.with_shop("7000000000000000001", "ROW_other_cipher"))
    now[0] = 59.0
    assert daemon.tokens.load() == renewed
    now[0] = 61.0
    reloaded = daemon.tokens.load()
    assert reloaded is not None and reloaded.shop_cipher == "ROW_other_cipher"
    assert len([q for q in daemon.token_queries if q.lstrip().upper().startswith("SELECT")]) == 1


def test_a_token_another_process_renewed_is_adopted_on_105002_without_a_second_refresh(
    processes: Callable[..., Process], sandbox: Sandbox, sandbox_url: str
) -> None:
    refreshes: list[str] = []
    first = processes(hooks=[_refreshes(refreshes)])
    first.client.exchange_auth_code(DEFAULT_AUTH_CODE)
    first.client.bind_shop()
    second = processes(hooks=[_refreshes(refreshes)])
    second.client.get_warehouses()  # both processes now hold the same access token in memory
    first.client.get_warehouses()
    _expire_access_tokens(sandbox_url)

    second.client.get_warehouses()  # 105002: renews and saves
    first.client.get_warehouses()  # 105002: finds the renewed token in the store and uses it

    assert refreshes == [REFRESH_PATH]
    assert sandbox.state.received.rejections.get(105002) == 2
    renewed = _stored_access_token(first)
    assert first.tokens.load().access_token == second.tokens.load().access_token == renewed  # type: ignore[union-attr]


@pytest.mark.parametrize("run_fails", [False, True])
def test_a_token_renewed_in_the_middle_of_a_run_is_used_at_once_and_outlives_the_run(
    processes: Callable[..., Process], sandbox_url: str, clock: FrozenClock, run_fails: bool
) -> None:
    daemon = processes()
    daemon.client.exchange_auth_code(DEFAULT_AUTH_CODE)
    daemon.client.bind_shop()
    before = _stored_access_token(daemon)

    def write_call_write(ctx: FlowContext) -> FlowResult:
        # The run writes first, so on SQLite it holds the write lock when the token is renewed.
        ctx.session.add(Location(connection_id=ctx.connection.id, external_id="w1", name="before"))
        ctx.session.flush()
        warehouses = ctx.client.get_warehouses()  # 105002, then renewed inside the call
        ctx.session.add(Location(connection_id=ctx.connection.id, external_id="w2", name=warehouses[0].id))
        ctx.session.flush()
        if run_fails:
            raise FlowError("a later step failed", code="tiktok.unavailable", retryable=True)
        return FlowResult()

    runner = FlowRunner(daemon.factory, clock, holder="test:1", policy=RetryPolicy(3, 1.0, 5.0))
    spec = FlowSpec("write_call_write", "pull", timedelta(minutes=5), write_call_write)
    flow = ScheduledFlow("tt", spec, make_settings(sandbox_url), client_factory=lambda: daemon.client)
    _expire_access_tokens(sandbox_url)
    report = runner.run(flow)

    assert report.outcome == ("retry" if run_fails else "success"), report
    renewed = _stored_access_token(processes())  # read by another process, from the store
    assert renewed != before and daemon.tokens.load().access_token == renewed  # type: ignore[union-attr]
    with daemon.factory() as session:
        kept = session.scalars(select(Location.external_id)).all()
    assert sorted(kept) == ([] if run_fails else ["w1", "w2"])


def test_postgresql_daemons_renewing_at_once_take_turns_and_refresh_once(
    postgres_url: str, sandbox_url: str, clock: FrozenClock
) -> None:
    engine = create_store_engine(postgres_url)
    factory = create_session_factory(engine)
    with factory.begin() as session:
        ConnectionRepository(session).upsert("tt", "tiktok", {})
    settings = make_settings(sandbox_url, rate_limit_qps=1000)
    refreshes: list[str] = []
    second_waited = threading.Event()
    second_finished = threading.Event()
    second_done: list[BaseException | None] = []

    def second_daemon() -> None:
        try:
            second.get_warehouses()
            second_done.append(None)
        except BaseException as error:
            second_done.append(error)
        finally:
            second_finished.set()

    def while_first_refreshes(request: httpx.Request) -> None:
        # The first daemon holds the token row's lock now: let the second one run into it.
        if request.url.path != REFRESH_PATH:
            return
        refreshes.append(request.url.path)
        if len(refreshes) > 1:
            return
        threading.Thread(target=second_daemon, daemon=True).start()
        wait_for(
            lambda: _lock_waiters(engine) > 0, timeout=10, what="the second daemon to wait for the token row"
        )
        second_waited.set()

    engines = [create_store_engine(postgres_url) for _ in range(2)]
    clients = []
    https = []
    for own_engine in engines:
        http = httpx.Client(timeout=10, event_hooks={"request": [while_first_refreshes]})
        https.append(http)
        clients.append(
            build_client(settings, http, StoreTokenStore(create_session_factory(own_engine), "tt"), clock)
        )
    first, second = clients
    try:
        first.exchange_auth_code(DEFAULT_AUTH_CODE)
        first.bind_shop()
        second.get_warehouses()
        _expire_access_tokens(sandbox_url)
        first.get_warehouses()
        assert second_finished.wait(10), "the second daemon did not finish within 10 s"
        assert second_done == [None]
        assert second_waited.is_set()
        assert refreshes == [REFRESH_PATH]  # the second daemon used the first one's renewal
        assert first.tokens.current().access_token == second.tokens.current().access_token
    finally:
        for http in https:
            http.close()
        for own_engine in [*engines, engine]:
            own_engine.dispose()


def _lock_waiters(engine: Engine) -> int:
    """Sessions waiting for the token row's lock right now."""
    with engine.connect() as connection:
        return int(
            connection.scalar(
                text(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                    "and query ilike '%connection_token%for update%'"
                )
            )
            or 0
        )
