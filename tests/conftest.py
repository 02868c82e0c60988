"""Shared fixtures: a migrated store on SQLite and on PostgreSQL, one rolled-back transaction per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from store.migrate import upgrade
from store.session import create_store_engine

POSTGRES_URL = os.environ.get(
    "SHOPWRIGHT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FIXED_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _postgres_reachable() -> str | None:
    """None when the server answers, else the reason it does not."""
    engine = create_store_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        return None
    except Exception as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()


def require_postgres() -> None:
    """Skip with the reason outside CI; under CI=true a missing server fails the test."""
    reason = _postgres_reachable()
    if reason is None:
        return
    message = f"PostgreSQL at {POSTGRES_URL} is not reachable ({reason})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; PostgreSQL tests are mandatory under CI=true")
    pytest.skip(f"{message}; set SHOPWRIGHT_TEST_POSTGRES_URL to run the PostgreSQL tests")


class PostgresSchema:
    """A private schema in the test database, so parallel runs never see each other's rows."""

    def __init__(self) -> None:
        self.name = f"sw_test_{uuid.uuid4().hex[:12]}"
        admin = create_store_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        admin.dispose()
        separator = "&" if "?" in POSTGRES_URL else "?"
        self.url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{self.name}"

    def drop(self) -> None:
        admin = create_store_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A migrated, empty PostgreSQL schema for one test (for tests that run processes)."""
    require_postgres()
    schema = PostgresSchema()
    engine = create_store_engine(schema.url)
    upgrade(engine)
    engine.dispose()
    try:
        yield schema.url
    finally:
        schema.drop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated, empty SQLite file for one test."""
    url = f"sqlite:///{tmp_path / 'shopwright.db'}"
    engine = create_store_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on both stores: a migrated empty database URL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def _migrated_engines() -> Iterator[dict[str, Engine | str]]:
    engines: dict[str, Engine | str] = {}
    schema: PostgresSchema | None = None
    sqlite_path = Path(f"/tmp/shopwright-test-{uuid.uuid4().hex[:8]}.db")
    engines["sqlite"] = create_store_engine(f"sqlite:///{sqlite_path}")
    upgrade(engines["sqlite"])  # type: ignore[arg-type]
    if _postgres_reachable() is None:
        schema = PostgresSchema()
        engines["postgresql"] = create_store_engine(schema.url)
        upgrade(engines["postgresql"])  # type: ignore[arg-type]
    yield engines
    for engine in engines.values():
        if isinstance(engine, Engine):
            engine.dispose()
    if schema is not None:
        schema.drop()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def session(request: pytest.FixtureRequest, _migrated_engines: dict[str, Engine]) -> Iterator[Session]:
    """A session inside one transaction that is rolled back after the test, on each store."""
    if request.param not in _migrated_engines:
        require_postgres()
    engine = _migrated_engines[request.param]
    connection = engine.connect()
    transaction = connection.begin()
    db_session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db_session
    finally:
        db_session.close()
        transaction.rollback()
        connection.close()
