"""The key store for personal data: one random AES key per person, kept outside the log.

Erasing a person destroys their key (crypto-shredding): the events keep their
ciphertext, which nobody can read any more. A destroyed key leaves a tombstone (the
subject's id, no key), so a late command cannot give the person a fresh key.

- `SQLiteKeyStore`: its own file (`DATA_DIR/keys.sqlite`) with `secure_delete=ON`;
  after a key is destroyed the WAL is checkpointed and truncated and the file vacuumed,
  so no page of the file or its WAL holds the key's bytes.
- `PostgresKeyStore`: a table in the application's schema; the key's row is cleared
  and the table rewritten with VACUUM FULL (docs/privacy.md says what PostgreSQL can
  and cannot promise about old row versions and WAL segments).
- `MemoryKeyStore`: for the in-memory event store (tests, demos in memory).

Keys are cached in memory for a few seconds (`CACHE_SECONDS`): a process that did not
destroy a key stops using it at the latest that long after the erasure.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from storage.lazy import LazyModule

if TYPE_CHECKING:  # the driver loads when PostgreSQL is used (storage/lazy.py)
    import psycopg
    import psycopg.conninfo as psycopg_conninfo
    from psycopg import sql
else:
    psycopg = LazyModule("psycopg")
    sql = LazyModule("psycopg.sql")
    psycopg_conninfo = LazyModule("psycopg.conninfo")

KEY_BYTES = 32
CACHE_SECONDS = 2.0
SECRETS = UUID("0b6c1f9e-51a4-4c44-8f0e-3f5e7a2d9c10")


class KeyDestroyed(Exception):
    """The subject has been erased: their key is gone and is never made again."""


class KeyStore(ABC):
    def __init__(self) -> None:
        self._cache: dict[UUID, tuple[bytes | None, float]] = {}
        self._lock = threading.Lock()

    def key(self, subject: UUID) -> bytes | None:
        """The subject's key; None if it was destroyed (or never made)."""
        now = time.monotonic()
        cached = self._cache.get(subject)
        if cached is not None and now - cached[1] < CACHE_SECONDS:
            return cached[0]
        key = self._read(subject)
        if key is not None:
            self._cache[subject] = (key, now)
        return key

    def ensure(self, subject: UUID) -> bytes:
        """The subject's key, made now if they have none; KeyDestroyed once erased."""
        key = self.key(subject)
        if key is not None:
            return key
        made = self._insert(subject, os.urandom(KEY_BYTES))
        if made is None:
            raise KeyDestroyed(str(subject))
        self._cache[subject] = (made, time.monotonic())
        return made

    def destroy(self, subject: UUID) -> None:
        """Destroy the subject's key for good and scrub the store's files."""
        self._cache.pop(subject, None)
        self._destroy(subject)

    def is_destroyed(self, subject: UUID) -> bool:
        return self._is_tombstone(subject)

    def entries(self) -> list[tuple[UUID, bytes | None]]:
        """Every subject with its key (None: destroyed), for a backup."""
        return sorted(self._entries(), key=lambda entry: entry[0])

    def load_entries(self, entries: list[tuple[UUID, bytes | None]]) -> None:
        """Restore a backup's keys and tombstones into an empty store."""
        for subject, key in entries:
            if key is None:
                self._destroy(subject)
            else:
                self._insert(subject, key)

    def secret(self, name: str) -> bytes:
        """A named secret of the installation (e.g. the key of e-mail claim ids)."""
        return self.ensure(uuid5(SECRETS, name))

    @abstractmethod
    def _read(self, subject: UUID) -> bytes | None: ...

    @abstractmethod
    def _insert(self, subject: UUID, key: bytes) -> bytes | None:
        """Insert unless a row exists; the subject's key now (None: tombstone)."""

    @abstractmethod
    def _destroy(self, subject: UUID) -> None: ...

    @abstractmethod
    def _is_tombstone(self, subject: UUID) -> bool: ...

    @abstractmethod
    def _entries(self) -> list[tuple[UUID, bytes | None]]: ...

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release connections."""


class MemoryKeyStore(KeyStore):
    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[UUID, bytes | None] = {}

    def _read(self, subject: UUID) -> bytes | None:
        return self._keys.get(subject)

    def _insert(self, subject: UUID, key: bytes) -> bytes | None:
        with self._lock:
            return self._keys.setdefault(subject, key)

    def _destroy(self, subject: UUID) -> None:
        with self._lock:
            self._keys[subject] = None

    def _is_tombstone(self, subject: UUID) -> bool:
        return subject in self._keys and self._keys[subject] is None

    def _entries(self) -> list[tuple[UUID, bytes | None]]:
        return list(self._keys.items())


class SQLiteKeyStore(KeyStore):
    DDL = (
        "CREATE TABLE IF NOT EXISTS personal_keys (subject TEXT PRIMARY KEY, key BLOB)"
        " WITHOUT ROWID"
    )

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = Path(path)
        self._conn = sqlite3.connect(
            self.path, timeout=10, isolation_level=None, check_same_thread=False
        )
        for pragma in ("secure_delete=ON", "journal_mode=WAL", "synchronous=FULL"):
            self._conn.execute(f"PRAGMA {pragma}")
        self._conn.execute(self.DDL)

    def _read(self, subject: UUID) -> bytes | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT key FROM personal_keys WHERE subject = ?", (subject.hex,)
            ).fetchone()
        return None if row is None else row[0]

    def _insert(self, subject: UUID, key: bytes) -> bytes | None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO personal_keys (subject, key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (subject.hex, key),
            )
            row = self._conn.execute(
                "SELECT key FROM personal_keys WHERE subject = ?", (subject.hex,)
            ).fetchone()
        return row[0]  # type: ignore[no-any-return]

    def _destroy(self, subject: UUID) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO personal_keys (subject, key) VALUES (?, NULL)"
                " ON CONFLICT (subject) DO UPDATE SET key = NULL",
                (subject.hex,),
            )
            self.scrub()

    def scrub(self) -> None:
        """Leave no freed page with old bytes: checkpoint, truncate the WAL, vacuum."""
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.execute("VACUUM")
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _is_tombstone(self, subject: UUID) -> bool:
        with self._lock:
            row = self._conn.execute(
                "SELECT key IS NULL FROM personal_keys WHERE subject = ?", (subject.hex,)
            ).fetchone()
        return bool(row and row[0])

    def _entries(self) -> list[tuple[UUID, bytes | None]]:
        with self._lock:
            rows = self._conn.execute("SELECT subject, key FROM personal_keys").fetchall()
        return [(UUID(subject), key) for subject, key in rows]

    def close(self) -> None:
        self._conn.close()


class PostgresKeyStore(KeyStore):
    def __init__(self, conninfo: str, schema: str = "public") -> None:
        super().__init__()
        self._conninfo = conninfo
        self._connection = psycopg.connect(conninfo, autocommit=True)
        self._table = sql.Identifier(schema, "personal_keys")
        self._conn.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (subject UUID PRIMARY KEY, key BYTEA)").format(
                self._table
            )
        )

    @property
    def _conn(self) -> psycopg.Connection[Any]:
        """The store's connection, opened anew once the old one was lost (a server
        restart, a network cut): a lost connection is a passing fault, not for good."""
        if self._connection.closed or self._connection.broken:
            self._connection = psycopg.connect(self._conninfo, autocommit=True)
        return self._connection

    def _read(self, subject: UUID) -> bytes | None:
        with self._lock:
            row = self._conn.execute(
                sql.SQL("SELECT key FROM {} WHERE subject = %s").format(self._table), (subject,)
            ).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def _insert(self, subject: UUID, key: bytes) -> bytes | None:
        with self._lock:
            self._conn.execute(
                sql.SQL(
                    "INSERT INTO {} (subject, key) VALUES (%s, %s) ON CONFLICT DO NOTHING"
                ).format(self._table),
                (subject, key),
            )
            row = self._conn.execute(
                sql.SQL("SELECT key FROM {} WHERE subject = %s").format(self._table), (subject,)
            ).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def _destroy(self, subject: UUID) -> None:
        with self._lock:
            self._conn.execute(
                sql.SQL(
                    "INSERT INTO {} (subject, key) VALUES (%s, NULL)"
                    " ON CONFLICT (subject) DO UPDATE SET key = NULL"
                ).format(self._table),
                (subject,),
            )
            # Rewrites the table into new files: the old row version's file is unlinked.
            self._conn.execute(sql.SQL("VACUUM FULL {}").format(self._table))

    def _is_tombstone(self, subject: UUID) -> bool:
        with self._lock:
            row = self._conn.execute(
                sql.SQL("SELECT key IS NULL FROM {} WHERE subject = %s").format(self._table),
                (subject,),
            ).fetchone()
        return bool(row and row[0])

    def _entries(self) -> list[tuple[UUID, bytes | None]]:
        with self._lock:
            rows = self._conn.execute(
                sql.SQL("SELECT subject, key FROM {}").format(self._table)
            ).fetchall()
        return [(subject, None if key is None else bytes(key)) for subject, key in rows]

    def close(self) -> None:
        self._connection.close()


def key_store_from_env(env: dict[str, str]) -> KeyStore:
    """The key store next to the configured event store.

    SQLite: `PERSONAL_KEYS_DBNAME`, else `keys.sqlite` beside `SQLITE_DBNAME` (an
    in-memory event store gets an in-memory key store); PostgreSQL: the schema's
    `personal_keys` table; otherwise (POPO) in memory.
    """
    module = env.get("PERSISTENCE_MODULE") or os.environ.get("PERSISTENCE_MODULE", "")
    if module.endswith("postgres"):
        schema = env.get("POSTGRES_SCHEMA") or os.environ.get("POSTGRES_SCHEMA") or "public"
        return PostgresKeyStore(_conninfo(env), schema)
    if module.endswith("sqlite"):
        explicit = env.get("PERSONAL_KEYS_DBNAME")
        if explicit:
            return SQLiteKeyStore(explicit)
        events = env.get("SQLITE_DBNAME") or os.environ.get("SQLITE_DBNAME", "")
        if events and ":memory:" not in events and "mode=memory" not in events:
            return SQLiteKeyStore(Path(events).parent / "keys.sqlite")
    return MemoryKeyStore()


def _conninfo(env: dict[str, str]) -> str:
    def get(key: str, default: str) -> str:
        return env.get(key) or os.environ.get(key) or default

    parts = {
        "dbname": get("POSTGRES_DBNAME", "sprachrohr"),
        "host": get("POSTGRES_HOST", "127.0.0.1"),
        "port": get("POSTGRES_PORT", "5432"),
        "user": get("POSTGRES_USER", "postgres"),
        "password": get("POSTGRES_PASSWORD", ""),
    }
    return psycopg_conninfo.make_conninfo(**{k: v for k, v in parts.items() if v})
