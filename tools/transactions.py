"""Write transactions that survive SQLite's "database is locked" under concurrent writers.

SQLite in WAL mode cannot upgrade a read transaction to a write while another connection holds
the write lock, or after another writer committed since it began: it fails at once with
"database is locked", without waiting (busy_timeout does not apply, to avoid deadlocks). The bot
decides and applies approvals on several threads, and the daemon writes beside it. So a write
transaction first takes the write lock (:func:`begin_write`, where busy_timeout does apply), and
is retried from the start if it still meets a conflict; everything it did was rolled back, so
running it again is safe. PostgreSQL never raises this error; there both are no-ops.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 5


def begin_write(session: Session) -> None:
    """On SQLite, take the write lock now, as the transaction's first statement.

    A write statement that matches no row still takes the lock, and waits for it like any write.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE audit_log SET id = id WHERE 1 = 0"))


def is_sqlite_lock(error: OperationalError) -> bool:
    return "database is locked" in str(error.orig)


def retry_when_locked(work: Callable[[], T], *, what: str, attempts: int = ATTEMPTS) -> T:
    """Run ``work`` (one whole transaction) again while SQLite reports a lock conflict."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as error:
            if not is_sqlite_lock(error) or attempt == attempts:
                raise
            logger.info("%s met a concurrent SQLite writer; retrying (%d/%d)", what, attempt, attempts)
    raise AssertionError("unreachable: the loop returns or raises")
