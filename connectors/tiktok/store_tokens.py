"""A TokenStore kept in the store, shared by every daemon replica of a connection.

Reading. Each process keeps the record in memory, one entry per engine and connection, so an API
call costs no query. The entry is read again after ``cache_seconds``, and at every renewal (the
access token is about to expire, or TikTok answered 105002): another daemon may have renewed the
token already, and its record is then used as it is.

Renewing. On PostgreSQL a renewal locks the token row (SELECT ... FOR UPDATE) from the fresh read
until the new record is committed, so daemons take turns and the second one finds the first one's
record instead of spending the same refresh token again. On SQLite there is one machine and row
locks do not exist: threads of a process take turns on the in-memory entry, and the fresh read
finds what another process saved.

Saving mid-run on SQLite. A flow run's transaction holds SQLite's only write lock once it has
written, so the save cannot be written beside it. The new record is kept in memory at once (the
run goes on with it) and written when the run's transaction ends, committed or rolled back
(`store.session.after_run_transaction`), in its own transaction so that it outlives a rollback.

If the process dies before that write, the store keeps the previous record. Decision: the
reference (section 1) says a refresh answers with a refresh token and its expiry and says nothing
on whether the previous refresh token keeps working; the samples show refresh expiries around 2123
that do not move, and the sandbox keeps the old one working (UNCERTAIN). We rely on that only for
this short window (one run, seconds): the next process renews again from the stored record, and
if TikTok refuses that refresh token the connection raises `tiktok.auth_expired`, which tells the
seller to authorise again. On PostgreSQL there is no such window: the record is committed before
the renewal ends, before any call uses it.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from connectors.tiktok.tokens import TokenRecord, TokenRenewal
from store.models import ConnectionToken
from store.repositories import ConnectionRepository
from store.session import after_run_transaction, describe_store_error, engine_of

TOKEN_KIND = "tiktok_oauth"  # noqa: S105 (a row kind, not a secret)
CACHE_SECONDS = 60.0

log = logging.getLogger("shopwright.tiktok.tokens")


@dataclass
class _Entry:
    """What this process knows of one connection's token record."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    record: TokenRecord | None = None
    read_at: float | None = None
    # Newer than the store: kept here until written (after the run, or on a retry).
    unsaved: TokenRecord | None = None
    write_queued: bool = False


_entries: weakref.WeakKeyDictionary[Engine, dict[str, _Entry]] = weakref.WeakKeyDictionary()
_entries_lock = threading.Lock()


def _entry(engine: Engine, connection_name: str) -> _Entry:
    with _entries_lock:
        return _entries.setdefault(engine, {}).setdefault(connection_name, _Entry())


def _record_of(token: ConnectionToken | None) -> TokenRecord | None:
    return None if token is None else TokenRecord(**token.data)


class StoreTokenStore:
    """TokenStore over the ConnectionToken row of one connection, cached per process."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        connection_name: str,
        *,
        cache_seconds: float = CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_factory = session_factory
        self.connection_name = connection_name
        self.cache_seconds = cache_seconds
        self._monotonic = monotonic
        engine = engine_of(session_factory)
        self._postgresql = engine.dialect.name == "postgresql"
        self._entry = _entry(engine, connection_name)

    def __repr__(self) -> str:
        return f"StoreTokenStore(connection={self.connection_name!r})"

    def load(self) -> TokenRecord | None:
        entry = self._entry
        with entry.lock:
            if entry.unsaved is not None:
                if not entry.write_queued:
                    self._write_unsaved(raising=False)  # an earlier write failed: try again
                if entry.unsaved is not None:
                    return entry.unsaved
            if entry.read_at is None or self._monotonic() - entry.read_at >= self.cache_seconds:
                self._remember_read(self._read())
            return entry.record

    def save(self, record: TokenRecord) -> None:
        """Keep ``record`` and write it now (after the run, inside one on SQLite); raises if that fails."""
        with self._entry.lock:
            self._remember_new(record)
            self._write_unsaved(raising=True)

    @contextmanager
    def renewal(self) -> Iterator[TokenRenewal]:
        entry = self._entry
        with entry.lock:  # threads of this process take turns
            if not self._postgresql:
                if entry.unsaved is None:
                    self._remember_read(self._read())
                yield TokenRenewal(entry.unsaved or entry.record, self._save_renewed)
                return
            saved: list[TokenRecord] = []
            with self.session_factory.begin() as session:
                token = ConnectionRepository(session).get_token_by_connection_name(
                    self.connection_name, TOKEN_KIND, for_update=True
                )
                stored = _record_of(token)
                if entry.unsaved is None:
                    self._remember_read(stored)

                def save(record: TokenRecord) -> None:
                    self._remember_new(record)  # in memory at once, even if the commit fails
                    self._write(session, record)
                    saved.append(record)

                yield TokenRenewal(entry.unsaved or stored, save)
            if saved and entry.unsaved is saved[-1]:
                entry.unsaved = None

    # --- the in-memory entry --------------------------------------------------------------------

    def _remember_read(self, record: TokenRecord | None) -> None:
        self._entry.record, self._entry.read_at = record, self._monotonic()

    def _remember_new(self, record: TokenRecord) -> None:
        self._remember_read(record)
        self._entry.unsaved = record

    # --- writing ----------------------------------------------------------------------------------

    def _save_renewed(self, record: TokenRecord) -> None:
        # The record is valid at TikTok from now on: a failed write must not fail the call that
        # needed it. It stays in memory and the write is tried again on the next load.
        with self._entry.lock:
            self._remember_new(record)
            self._write_unsaved(raising=False)

    def _write_unsaved(self, *, raising: bool) -> None:
        entry = self._entry
        record = entry.unsaved
        if record is None:
            return
        try:
            # Inside a flow run on SQLite, any write beside the run breaks it: before the run has
            # written, a commit elsewhere leaves its read snapshot stale and its first write fails
            # ("database is locked", SQLITE_BUSY_SNAPSHOT); after, the run holds the write lock.
            if not self._postgresql and (entry.write_queued or after_run_transaction(self._write_after_run)):
                entry.write_queued = True
                return
            with self.session_factory.begin() as session:
                self._write(session, record)
        except Exception as error:
            if raising:
                raise
            log.warning(
                "could not save the renewed TikTok token of %s, kept in memory and retried on next use: %s",
                self.connection_name,
                describe_store_error(error),
            )
            return
        if entry.unsaved is record:
            entry.unsaved = None

    def _write_after_run(self) -> None:
        with self._entry.lock:
            self._entry.write_queued = False
            self._write_unsaved(raising=False)

    def _write(self, session: Session, record: TokenRecord) -> None:
        repository = ConnectionRepository(session)
        data = dataclasses.asdict(record)
        expires_at = datetime.fromtimestamp(record.access_token_expire_in, UTC)
        now = datetime.now(UTC)
        token = repository.get_token_by_connection_name(self.connection_name, TOKEN_KIND)
        if token is not None:
            token.data, token.expires_at, token.updated_at = data, expires_at, now
            session.flush()
            return
        connection = repository.get_by_name(self.connection_name)
        if connection is None:
            raise LookupError(f"connection {self.connection_name} is not in the store")
        repository.save_token(connection.id, TOKEN_KIND, data, expires_at=expires_at, now=now)

    def _read(self) -> TokenRecord | None:
        with self.session_factory() as session:
            repository = ConnectionRepository(session)
            return _record_of(repository.get_token_by_connection_name(self.connection_name, TOKEN_KIND))
