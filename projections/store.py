"""Where views live: one small class per backend behind the same cursor interface.

View SQL is written once with `?` placeholders and portable statements
(`INSERT … ON CONFLICT`, integer columns only); the PostgreSQL backend rewrites
the placeholders. Each write transaction commits the view rows together with the
runner's tracking row, so a view is updated exactly once per event.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from storage.lazy import LazyModule

if TYPE_CHECKING:  # the driver loads when PostgreSQL is used (storage/lazy.py)
    import psycopg
    import psycopg_pool
    from psycopg import sql
else:
    psycopg = LazyModule("psycopg")
    sql = LazyModule("psycopg.sql")
    psycopg_pool = LazyModule("psycopg_pool")

Row = tuple[Any, ...]
Params = Sequence[Any]


class Cursor(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> object: ...
    def executemany(self, sql: str, rows: Any, /) -> object: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...
    @property
    def rowcount(self) -> int: ...
    @property
    def description(self) -> Any: ...


class ViewStore(Protocol):
    dialect: str

    @contextmanager
    def writing(self) -> Iterator[Cursor]:
        """A transaction that commits on success and rolls back on error."""
        ...

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        """A read-only snapshot."""
        ...

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many large write transactions follow (a catch-up far behind the log)."""
        ...

    def scrub(self, tables: Sequence[str]) -> None:
        """Leave no old version of these tables' rows in the store's files (after an
        erasure blanked personal texts in them)."""
        ...

    def close(self) -> None: ...


class SQLiteViewStore:
    """Views in their own SQLite file (WAL), per-thread connections for writing, pooled
    ones for reading.

    synchronous=NORMAL: in WAL mode a crash of the process loses nothing committed, and
    a power loss at worst loses the last batches, which the projector applies again
    from the log (the tracking row commits with them). The event store keeps FULL.
    """

    dialect = "sqlite"
    #: The writing connection's page cache while catching up in bulk (KiB): a batch's
    #: index pages stay in memory until it commits instead of spilling to the WAL.
    BULK_CACHE_KIB = 65536

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        if self.path != ":memory:":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed in its page (erasure, docs/privacy.md).
        conn.execute("PRAGMA secure_delete=ON")
        with self._lock:
            self._connections.append(conn)
        return conn

    def _checkout(self) -> sqlite3.Connection:
        """A connection of its own for one read: a web framework may enter a read in
        one thread and leave it in another, so reads cannot share a thread's one."""
        if self.path == ":memory:":  # one database per connection: share it
            return self._connection()
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._connect()

    @contextmanager
    def writing(self) -> Iterator[Cursor]:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn.cursor()
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A large page cache on this thread's writing connection, for the duration;
        SQLite's default (2 MiB) and its memory back afterwards."""
        conn = self._connection()
        conn.execute(f"PRAGMA cache_size=-{self.BULK_CACHE_KIB}")
        try:
            yield
        finally:
            conn.execute("PRAGMA cache_size=-2000")
            conn.execute("PRAGMA shrink_memory")

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        conn = self._checkout()
        conn.execute("BEGIN")
        try:
            yield conn.cursor()
        finally:
            conn.execute("ROLLBACK")
            if self.path != ":memory:":
                with self._lock:
                    self._idle.append(conn)

    def scrub(self, tables: Sequence[str]) -> None:
        """With secure_delete the database pages hold no old text; the WAL may still
        hold earlier page images: checkpoint it and truncate it to zero bytes (retried
        while a reader holds an older snapshot)."""
        if self.path == ":memory:":
            return
        conn = self._connection()
        for _ in range(100):
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if not busy:
                return
            time.sleep(0.05)
        raise TimeoutError("the views' WAL could not be truncated: readers kept it busy")

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
            self._idle.clear()
        self._local = threading.local()


class _PgCursor:
    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor
        #: The rows an `executemany` sent one by one affected (psycopg's own sums them).
        self._affected: int | None = None

    #: Up to this many rows are sent one statement each: psycopg's `executemany`
    #: enters pipeline mode and syncs, which costs more than it saves for a few rows
    #: (one row: 29 µs of CPU and 90 µs in all, against 14 and 50 µs; break-even near 4).
    FEW_ROWS = 3

    def executemany(self, sql: str, rows: Sequence[Params], /) -> None:
        query = sql.replace("?", "%s")
        if not isinstance(rows, (list, tuple)):
            rows = list(rows)
        if len(rows) > self.FEW_ROWS:
            self._affected = None
            self._cursor.executemany(query, rows)
            return
        affected = 0
        for row in rows:
            self._cursor.execute(query, row)
            affected += max(self._cursor.rowcount, 0)
        self._affected = affected

    def execute(self, sql: str, params: Params = (), /) -> None:
        self._affected = None
        self._cursor.execute(sql.replace("?", "%s"), params)

    def fetchall(self) -> list[Row]:
        return list(self._cursor.fetchall())

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone()

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount if self._affected is None else self._affected

    @property
    def description(self) -> Any:
        return self._cursor.description


class PostgresViewStore:
    """Views as tables in a PostgreSQL schema, through a small connection pool."""

    dialect = "postgres"

    def __init__(self, conninfo: str, schema: str = "public", max_size: int = 8) -> None:
        self.schema = schema
        self.pool = psycopg_pool.ConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            kwargs={"options": f"-c search_path={schema}", "autocommit": False},
            open=True,
        )

    @contextmanager
    def writing(self) -> Iterator[Cursor]:
        with self.pool.connection() as conn:
            if conn.isolation_level is not None:  # a read left it (it could not reset it)
                conn.isolation_level = None
            with conn.transaction(), conn.cursor() as cur:
                yield _PgCursor(cur)

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        """A REPEATABLE READ snapshot: the isolation level goes with the BEGIN that
        psycopg sends before the first query (no SET TRANSACTION round trip)."""
        with self.pool.connection() as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            try:
                with conn.cursor() as cur:
                    yield _PgCursor(cur)
            finally:
                try:
                    conn.rollback()
                finally:
                    if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                        conn.isolation_level = None

    @contextmanager
    def bulk(self) -> Iterator[None]:
        yield  # the server's shared buffers serve every connection

    def scrub(self, tables: Sequence[str]) -> None:
        """Rewrite the tables into new files (VACUUM FULL): the old row versions'
        files are unlinked. Old WAL segments are the server's (docs/privacy.md)."""
        with self.pool.connection() as conn:
            conn.autocommit = True
            try:
                for table in tables:
                    conn.execute(sql.SQL("VACUUM FULL {}").format(sql.Identifier(table)))
            finally:
                conn.autocommit = False

    def close(self) -> None:
        self.pool.close()


def marks(values: Sequence[object]) -> str:
    """One `?` per value, for an `IN (…)` list."""
    return ", ".join("?" for _ in values)


def rows_as_dicts(cur: Cursor, sql: str, params: Params = ()) -> list[dict[str, Any]]:
    """Run a query and return its rows as dicts keyed by column name."""
    cur.execute(sql, params)
    rows = cur.fetchall()
    names = [column[0] for column in cur.description]
    return [dict(zip(names, row, strict=True)) for row in rows]
