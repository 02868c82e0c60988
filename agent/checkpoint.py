"""Where conversations are checkpointed: SQLite next to an embedded store, PostgreSQL with a server store.

The checkpointer outlives any one process, so a decision clicked hours later, after a restart,
resumes the run that asked for it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from sqlalchemy.engine import URL, make_url

DEFAULT_CHECKPOINT_FILE = Path("var/agent-checkpoints.sqlite")
# Held while the PostgreSQL checkpoint tables are created, so replicas starting together do not
# race on CREATE TABLE; any constant works as long as every replica uses the same one.
_SETUP_LOCK_KEY = 0x5357_4348_4B50  # "SWCHKP"


def checkpoint_path_for(database_url: str) -> Path:
    """A SQLite checkpoint file beside a SQLite store, else ``var/agent-checkpoints.sqlite``."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "agent-checkpoints.sqlite"
    return DEFAULT_CHECKPOINT_FILE


@contextmanager
def open_checkpointer(
    database_url: str, *, sqlite_path: Path | None = None, pool_size: int = 8
) -> Iterator[BaseCheckpointSaver[Any]]:
    """A ready checkpointer for the store at ``database_url`` (tables created), closed on exit.

    On PostgreSQL the checkpoints live in the store's own database (and schema, when the URL sets
    a search_path), read and written through a small connection pool so that concurrent Slack
    threads in one replica do not queue behind one connection.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        with _postgres_saver(url.set(drivername="postgresql"), pool_size) as saver:
            yield saver
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = sqlite_path or checkpoint_path_for(database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Bolt runs lazy listeners on worker threads; the saver serialises access with its own lock.
    connection = sqlite3.connect(str(path), check_same_thread=False)
    try:
        sqlite_saver = SqliteSaver(connection)
        sqlite_saver.setup()
        yield sqlite_saver
    finally:
        connection.close()


@contextmanager
def _postgres_saver(url: URL, pool_size: int) -> Iterator[BaseCheckpointSaver[Any]]:
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    # The saver speaks psycopg directly and wants a plain libpq URL, not SQLAlchemy's dialect name;
    # it reads rows by column name and needs autocommit for its DDL (langgraph-checkpoint-postgres).
    conninfo = url.render_as_string(hide_password=False)
    pool: ConnectionPool[Any] = ConnectionPool(
        conninfo,
        min_size=1,
        max_size=max(2, pool_size),
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=True,
    )
    try:
        with pool.connection() as connection:
            _create_tables(connection, PostgresSaver.MIGRATIONS)
        yield PostgresSaver(pool)
    finally:
        pool.close()


def _create_tables(connection: Any, migrations: list[str]) -> None:
    """Run the saver's migrations once, the way ``PostgresSaver.setup`` does, with two changes.

    Replicas starting together serialise on an advisory lock instead of racing on CREATE TABLE.
    On a fresh install the indexes are built without CONCURRENTLY: a concurrent build waits for
    every open transaction in the database to end, and the daemon's flow runs keep transactions
    open on the same database, so a bot starting beside a busy daemon would hang. The tables are
    empty then, so a plain build is instant. Upgrades of existing tables keep CONCURRENTLY.
    """
    connection.execute("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK_KEY,))
    try:
        connection.execute(migrations[0])
        row = connection.execute("SELECT v FROM checkpoint_migrations ORDER BY v DESC LIMIT 1").fetchone()
        version = -1 if row is None else int(row["v"])
        fresh = version == -1
        for number in range(version + 1, len(migrations)):
            statement = migrations[number]
            if fresh:
                statement = re.sub(r"\bINDEX\s+CONCURRENTLY\b", "INDEX", statement, flags=re.IGNORECASE)
            connection.execute(statement)
            connection.execute("INSERT INTO checkpoint_migrations (v) VALUES (%s)", (number,))
    finally:
        connection.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK_KEY,))
