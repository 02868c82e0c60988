"""Engines and session factories for SQLite (embedded default) and PostgreSQL.

Also the few rules about transactions that every caller of the store shares: writes that must
not join a flow run's transaction, and how a database error is told without its parameters.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DATABASE_URL = "sqlite:///var/shopwright.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000

log = logging.getLogger("shopwright.store")


class EncodedJson(str):
    """A JSON document already serialised (by pydantic, say), written to a JSON column as it is.

    A raw channel payload is the largest value a pull writes; encoding it once, in pydantic's
    serializer, instead of dumping to Python objects and encoding those again halves its cost.
    """


def _json_dumps(value: Any) -> str:
    """The engines' JSON serializer: json.dumps, except for documents that are already JSON."""
    if isinstance(value, EncodedJson):
        return str(value)
    return json.dumps(value)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the bot read while the daemon writes; busy_timeout makes a second writer wait
    # for the lock instead of failing at once; foreign keys are off by default in SQLite.
    # The driver's own transaction handling is switched off (isolation_level=None) so that
    # SQLAlchemy's BEGIN below governs transactions and SAVEPOINTs work as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # A deferred BEGIN: readers never wait. Flow runs write their lease row first, so the
    # write lock is taken at the start of a run rather than upgraded half-way through it.
    connection.exec_driver_sql("BEGIN")


def create_store_engine(url: str = DEFAULT_DATABASE_URL, *, echo: bool = False) -> Engine:
    """Create the engine for ``url``; for a SQLite file, its folder is created when missing.

    Statement parameters are hidden from every error message and echo line: some rows (stored
    OAuth tokens) are secrets, and an error text ends up in FlowRun.error, Exception rows and logs.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, hide_parameters=True, json_serializer=_json_dumps)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # A bare postgresql:// URL would pick psycopg2, which we do not install.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(
        url, echo=echo, pool_pre_ping=True, hide_parameters=True, json_serializer=_json_dumps
    )


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (tools return them as data)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_postgresql(engine_or_session: Engine | Session) -> bool:
    """True when the store runs on PostgreSQL (row locks and SKIP LOCKED are available)."""
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "postgresql"


def engine_of(session_factory: sessionmaker[Session]) -> Engine:
    """The engine a session factory is bound to."""
    bind = session_factory.kw.get("bind")
    if not isinstance(bind, Engine):
        raise TypeError("the session factory is not bound to an engine")
    return bind


# --- writes that must stay out of a flow run's transaction ------------------------------------

_runs = threading.local()


def _open_runs() -> list[list[Callable[[], None]]]:
    stack: list[list[Callable[[], None]]] | None = getattr(_runs, "stack", None)
    if stack is None:
        stack = _runs.stack = []
    return stack


@contextmanager
def holding_run_transaction() -> Iterator[None]:
    """Mark that this thread keeps a flow run's transaction open until the block ends.

    On SQLite no other connection may write while that transaction is open: once the run has
    written it holds the database's only write lock (a write beside it would wait for its own
    thread until the busy timeout, then fail); before that, a commit elsewhere leaves the run's
    read snapshot stale and the run's own first write fails (SQLITE_BUSY_SNAPSHOT). A write that
    must outlive the run's transaction (a refreshed OAuth token survives the run's rollback) asks
    `after_run_transaction` to run it once the block ends, whether the run committed or not.
    """
    deferred: list[Callable[[], None]] = []
    _open_runs().append(deferred)
    try:
        yield
    finally:
        _open_runs().pop()
        for write in deferred:
            try:
                write()
            except Exception as error:  # the write keeps its own retry; the run's outcome stands
                log.warning("a write deferred to the end of a run failed: %s", describe_store_error(error))


def after_run_transaction(write: Callable[[], None]) -> bool:
    """Queue ``write`` for the end of this thread's open run; False when no run is open."""
    stack = _open_runs()
    if not stack:
        return False
    stack[-1].append(write)
    return True


# --- telling database errors without their parameters -----------------------------------------


class StoreError(Exception):
    """A database failure told by its kind and the server's first line, without SQL or parameters."""


def describe_store_error(error: BaseException) -> str:
    """One line for a person: what kind of database error, never the statement or its values.

    The driver's first line is kept (``database is locked``, ``duplicate key value violates
    unique constraint "uq_order_connection_id"``); PostgreSQL's DETAIL lines, which quote row
    values, and SQLAlchemy's statement and parameter sections are dropped.
    """
    if isinstance(error, DBAPIError) and error.orig is not None:
        first = (str(error.orig).strip().splitlines() or [""])[0][:300]
        return f"{first} ({type(error).__name__})" if first else type(error).__name__
    if isinstance(error, SQLAlchemyError):
        # Not from the database server: a statement that could not even be built or bound;
        # its text may quote a value, so only the kind is told.
        return f"{type(error).__name__} while talking to the store"
    return str(error)


def without_statement(error: Exception) -> Exception:
    """``error`` itself, or a `StoreError` for a SQLAlchemy error (no statement, no parameters)."""
    if isinstance(error, SQLAlchemyError):
        return StoreError(describe_store_error(error))
    return error
