"""Engines and session factories for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DATABASE_URL = "sqlite:///var/shopwright.db"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the bot read while the daemon writes; busy_timeout makes a second writer wait
    # for the lock instead of failing at once; foreign keys are off by default in SQLite.
    # The driver's own transaction handling is switched off (isolation_level=None) so that
    # SQLAlchemy's BEGIN below governs transactions and SAVEPOINTs work as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # A deferred BEGIN: readers never wait. Flow runs write their lease row first, so the
    # write lock is taken at the start of a run rather than upgraded half-way through it.
    connection.exec_driver_sql("BEGIN")


def create_store_engine(url: str = DEFAULT_DATABASE_URL, *, echo: bool = False) -> Engine:
    """Create the engine for ``url``; for a SQLite file, its folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # A bare postgresql:// URL would pick psycopg2, which we do not install.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, echo=echo, pool_pre_ping=True)


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (tools return them as data)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_postgresql(engine_or_session: Engine | Session) -> bool:
    """True when the store runs on PostgreSQL (row locks and SKIP LOCKED are available)."""
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "postgresql"
