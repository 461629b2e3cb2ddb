"""SQLite event store with group commit (PERSISTENCE_MODULE=storage.sqlite).

The library's SQLite factory, with four changes:

- the application recorder writes concurrent `insert_events` calls together in one
  transaction (storage.groupcommit), each batch of a group in its own savepoint when
  the group's combined insert hits a conflict, so only the conflicting caller fails;
- every connection runs with `PRAGMA synchronous=FULL` (WAL flushed on each commit,
  before any caller is answered), whatever the SQLite build's default;
- an aggregate's events are read with one SELECT on a connection of the calling
  thread's own, without the pool and without BEGIN/ROLLBACK around it (Datastore);
- the pool (now mostly for writes and the projector's reads) is sized for a server's
  thread pool (SQLITE_POOL_SIZE, SQLITE_MAX_OVERFLOW).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import eventsourcing.sqlite as es
from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.utils import Environment, EnvType

from storage.groupcommit import Batch, GroupCommit, Outcome, Take

#: Errors of one batch's statements that leave the transaction usable: that batch
#: fails alone (sqlite3 aborts just the statement; the savepoint undoes the rest).
BATCH_ERRORS = (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.InterfaceError)


def translated(error: sqlite3.Error) -> PersistenceError:
    """The library's exception for an sqlite3 one (as its SQLiteTransaction maps them)."""
    kinds: list[tuple[type[sqlite3.Error], type[PersistenceError]]] = [
        (sqlite3.InterfaceError, InterfaceError),
        (sqlite3.DataError, DataError),
        (sqlite3.OperationalError, OperationalError),
        (sqlite3.IntegrityError, IntegrityError),
        (sqlite3.InternalError, InternalError),
        (sqlite3.ProgrammingError, ProgrammingError),
        (sqlite3.NotSupportedError, NotSupportedError),
        (sqlite3.DatabaseError, DatabaseError),
    ]
    for kind, ours in kinds:
        if isinstance(error, kind):
            return ours(error)
    return PersistenceError(error)


#: SQLITE_SYNCHRONOUS values: FULL (the default) flushes the WAL on every commit;
#: NORMAL only at checkpoints, for bulk loads that can be repeated (the demo), which
#: end with `checkpoint` (a crash loses the last commits, never consistency).
SYNCHRONOUS = ("FULL", "NORMAL")


class DurableConnectionPool(es.SQLiteConnectionPool):
    """Connections that flush the WAL on every commit (unless made for a bulk load)."""

    def __init__(self, *, synchronous: str = "FULL", **kwargs: Any) -> None:
        self.synchronous = synchronous  # one of SYNCHRONOUS (checked by the factory)
        super().__init__(**kwargs)

    def _create_connection(self) -> es.SQLiteConnection:
        connection = super()._create_connection()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={self.synchronous}")
        return connection


def checkpoint(db_name: str) -> None:
    """Flush the WAL and copy it into the database file, durably (after a bulk load)."""
    conn = sqlite3.connect(db_name, timeout=30)
    try:
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA wal_checkpoint(FULL)").fetchone()
    finally:
        conn.close()


class Datastore(es.SQLiteDatastore):
    """The library's datastore with a durable pool and a read connection per thread.

    An aggregate's events are read with one SELECT on the calling thread's own
    connection, outside any explicit transaction (SQLite reads a statement from one
    snapshot): no pool bookkeeping, and no BEGIN and ROLLBACK around it. A command
    loads several aggregates, so this is most of the statements it runs.
    """

    def __init__(self, db_name: str, *, lock_timeout: int | None, pool_size: int,
                 max_overflow: int, synchronous: str = "FULL", **kwargs: Any) -> None:  # fmt: skip
        super().__init__(db_name, lock_timeout=lock_timeout, **kwargs)
        self.pool.close()
        self.pool = DurableConnectionPool(
            db_name=db_name,
            lock_timeout=lock_timeout,
            pool_size=pool_size,
            max_overflow=max_overflow,
            synchronous=synchronous,
        )
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    def reader(self) -> sqlite3.Connection | None:
        """This thread's read connection; None for in-memory databases (which each
        connection would see empty): those read through the pool."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self.pool.is_sqlite_memory_mode:
                return None
            conn = sqlite3.connect(
                self.pool.db_name,
                uri=True,
                check_same_thread=False,
                isolation_level=None,
                timeout=self.pool.lock_timeout or es.SQLITE3_DEFAULT_LOCK_TIMEOUT,
            )
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def close(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for conn in readers:
            conn.close()
        super().close()


class FastReads(es.SQLiteAggregateRecorder):
    """`select_events` on the thread's read connection (see Datastore)."""

    def read_rows(self, statement: str, params: Sequence[Any]) -> list[Any]:
        """A query's rows, on the thread's read connection or, for an in-memory
        database, through the library's pool."""
        conn = self.datastore.reader() if isinstance(self.datastore, Datastore) else None
        try:
            if conn is None:
                with self.datastore.transaction(commit=False) as cursor:
                    cursor.execute(statement, params)
                    return list(cursor.fetchall())
            return conn.execute(statement, params).fetchall()
        except sqlite3.Error as error:
            raise translated(error) from error

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        statement = (
            f"SELECT originator_id, originator_version, topic, state FROM"
            f" {self.events_table_name} WHERE originator_id = ?"
        )
        key = originator_id.hex if isinstance(originator_id, UUID) else originator_id
        params: list[Any] = [key]
        if gt is not None:
            statement += " AND originator_version > ?"
            params.append(gt)
        if lte is not None:
            statement += " AND originator_version <= ?"
            params.append(lte)
        statement += " ORDER BY originator_version DESC" if desc else " ORDER BY originator_version"
        if limit is not None:
            statement += " LIMIT ?"
            params.append(limit)
        rows = self.read_rows(statement, params)
        convert = self.convert_originator_id
        return [StoredEvent(convert(row[0]), row[1], row[2], row[3]) for row in rows]


class FastReadsSQLiteAggregateRecorder(FastReads, es.SQLiteAggregateRecorder):
    """The snapshot store's recorder."""


class GroupCommitSQLiteApplicationRecorder(FastReads, es.SQLiteApplicationRecorder):
    def __init__(
        self, datastore: es.SQLiteDatastore, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name)
        self.group_commit = GroupCommit(self)
        self.select_stored_statement = (
            f"SELECT rowid, originator_id, originator_version, topic, state"
            f" FROM {self.events_table_name} WHERE rowid >= ? ORDER BY rowid LIMIT ?"
        )
        self.select_changes_statement = (
            f"SELECT rowid, originator_id FROM {self.events_table_name}"
            " WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )

    def select_stored(self, start: int, limit: int) -> list[tuple[int, str, int, str, bytes]]:
        """Up to `limit` notifications from `start` on, as plain rows (id, the originator's
        id as stored, version, topic, state) on the thread's read connection: for a
        reader that makes its own objects (the projector far behind, projections.decode)."""
        return self.read_rows(self.select_stored_statement, (start, limit))

    def select_changes(self, after: int, limit: int) -> list[tuple[int, UUID]]:
        """The log's tail after `after`: notification ids and originators only, on the
        thread's read connection (storage.freshness keeps the aggregate cache with it)."""
        rows = self.read_rows(self.select_changes_statement, (after, limit))
        convert = self.convert_originator_id
        return [(row[0], convert(row[1])) for row in rows]  # type: ignore[misc]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        return self.group_commit.insert(stored_events, kwargs)

    def write(self, take: Take) -> None:
        with self.datastore.get_connection(commit=True) as connection:
            cursor = connection.cursor()
            try:
                # IMMEDIATE takes the file's write lock now (waiting up to the lock
                # timeout for other processes), so the group taken below also holds
                # everything that queued meanwhile.
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    batches = take()
                    outcomes = self._insert_batches(cursor, batches)
                    connection.commit()
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        connection.rollback()
                    raise
            except sqlite3.Error as error:
                raise translated(error) from error
            finally:
                cursor.sqlite_cursor.close()
        for batch, outcome in zip(batches, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                batch.error = outcome
            else:
                batch.ids = outcome

    def _insert_batches(self, cursor: es.SQLiteCursor, batches: list[Batch]) -> list[Outcome]:
        if len(batches) == 1:  # alone: its error is the transaction's
            batch = batches[0]
            return [self._insert_events(cursor, batch.events, **batch.kwargs)]
        cursor.execute("SAVEPOINT grouped")
        try:
            outcomes: list[Outcome] = [
                self._insert_events(cursor, batch.events, **batch.kwargs) for batch in batches
            ]
        except BATCH_ERRORS:
            # Someone's batch conflicts: undo the group, then write the batches one by
            # one, each in its own savepoint, so only the conflicting ones fail.
            cursor.execute("ROLLBACK TO grouped")
            outcomes = [self._insert_alone(cursor, batch) for batch in batches]
        cursor.execute("RELEASE grouped")
        return outcomes

    def _insert_alone(self, cursor: es.SQLiteCursor, batch: Batch) -> Outcome:
        cursor.execute("SAVEPOINT batch")
        try:
            ids = self._insert_events(cursor, batch.events, **batch.kwargs)
        except BATCH_ERRORS as error:
            cursor.execute("ROLLBACK TO batch")
            cursor.execute("RELEASE batch")
            failure = translated(error)
            failure.__cause__ = error
            return failure
        cursor.execute("RELEASE batch")
        return ids


class GroupCommitSQLiteFactory(es.SQLiteFactory):
    """The library's SQLite factory with a group-committing application recorder."""

    SQLITE_POOL_SIZE = "SQLITE_POOL_SIZE"
    SQLITE_MAX_OVERFLOW = "SQLITE_MAX_OVERFLOW"
    SQLITE_SYNCHRONOUS = "SQLITE_SYNCHRONOUS"
    aggregate_recorder_class = FastReadsSQLiteAggregateRecorder
    application_recorder_class = GroupCommitSQLiteApplicationRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        library = self.datastore
        synchronous = (self.env.get(self.SQLITE_SYNCHRONOUS) or "FULL").upper()
        if synchronous not in SYNCHRONOUS:
            library.close()
            raise ValueError(f"SQLITE_SYNCHRONOUS must be one of {', '.join(SYNCHRONOUS)}")
        self.datastore = Datastore(
            library.pool.db_name,
            lock_timeout=library.pool.lock_timeout,
            pool_size=int(self.env.get(self.SQLITE_POOL_SIZE) or 16),
            max_overflow=int(self.env.get(self.SQLITE_MAX_OVERFLOW) or 48),
            synchronous=synchronous,
            single_row_tracking=library.single_row_tracking,
            originator_id_type=library.originator_id_type,
        )
        library.close()  # never used: its pool can be neither sized nor made durable


Factory = GroupCommitSQLiteFactory
