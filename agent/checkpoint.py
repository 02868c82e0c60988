"""Where conversations are checkpointed: SQLite next to an embedded store, PostgreSQL with a server store.

The checkpointer outlives any one process, so a decision clicked hours later, after a restart,
resumes the run that asked for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from sqlalchemy.engine import make_url

DEFAULT_CHECKPOINT_FILE = Path("var/agent-checkpoints.sqlite")


def checkpoint_path_for(database_url: str) -> Path:
    """A SQLite checkpoint file beside a SQLite store, else ``var/agent-checkpoints.sqlite``."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "agent-checkpoints.sqlite"
    return DEFAULT_CHECKPOINT_FILE


@contextmanager
def open_checkpointer(
    database_url: str, *, sqlite_path: Path | None = None
) -> Iterator[BaseCheckpointSaver[Any]]:
    """A ready checkpointer for the store at ``database_url`` (tables created), closed on exit."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        from langgraph.checkpoint.postgres import PostgresSaver

        # The saver speaks psycopg directly and wants a plain libpq URL, not SQLAlchemy's dialect name.
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with PostgresSaver.from_conn_string(conninfo) as saver:
            saver.setup()
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
