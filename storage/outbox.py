"""The durable outbox: messages recorded before they are sent, kept until they are.

One table, `outbox_messages`, for every kind of outgoing message (mail today; digests
and webhooks later). A message's id is chosen by whoever records it, deterministically
from the command or event that causes it, so recording it twice keeps one row.

A message may name the aggregate it `requires`: it is recorded *before* the command
saves its events, and the sender holds it back until that aggregate exists (so a mail
never links to an invitation that a crash kept from being saved), and abandons it if
the aggregate never appears.

SQLite keeps the table in a file of its own (DATA_DIR/outbox.sqlite); PostgreSQL in
the event store's schema.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage.lazy import LazyModule

if TYPE_CHECKING:  # the driver loads when PostgreSQL is used (storage/lazy.py)
    import psycopg
    from psycopg import sql
else:
    psycopg = LazyModule("psycopg")
    sql = LazyModule("psycopg.sql")

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COLUMNS = (
    "id, kind, recipient, payload, requires, one_time, created_at, attempts,"
    " next_attempt_at, sent_at, abandoned_at, last_error"
)
DDL = (
    "CREATE TABLE IF NOT EXISTS outbox_messages (id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    " recipient TEXT NOT NULL, payload TEXT NOT NULL, requires TEXT,"
    " one_time INTEGER NOT NULL, created_at BIGINT NOT NULL, attempts INTEGER NOT NULL,"
    " next_attempt_at BIGINT NOT NULL, sent_at BIGINT, abandoned_at BIGINT, last_error TEXT)",
    "CREATE INDEX IF NOT EXISTS outbox_messages_due ON outbox_messages (next_attempt_at)"
    " WHERE sent_at IS NULL AND abandoned_at IS NULL",
)


def micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def moment(value: int | None) -> datetime | None:
    return None if value is None else EPOCH + timedelta(microseconds=value)


@dataclass(frozen=True)
class Message:
    """An outgoing message. `payload` is what the sender needs (for a mail: subject,
    text, html, headers); `one_time` messages lose it and their recipient once sent
    (or abandoned), keeping only the keys listed under `payload["keep"]`."""

    id: str
    kind: str
    recipient: str
    payload: dict[str, Any]
    created_at: datetime
    requires: str | None = None
    one_time: bool = False
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    abandoned_at: datetime | None = None
    last_error: str | None = None

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return "sent"
        if self.abandoned_at is not None:
            return "abandoned"
        return "pending"


def _row(message: Message) -> tuple[Any, ...]:
    return (
        message.id,
        message.kind,
        message.recipient,
        json.dumps(message.payload, sort_keys=True),
        message.requires,
        int(message.one_time),
        micros(message.created_at),
        0,
        micros(message.next_attempt_at or message.created_at),
    )


def _message(row: Sequence[Any]) -> Message:
    created = moment(row[6])
    assert created is not None
    return Message(
        id=row[0],
        kind=row[1],
        recipient=row[2],
        payload=json.loads(row[3]),
        requires=row[4],
        one_time=bool(row[5]),
        created_at=created,
        attempts=row[7],
        next_attempt_at=moment(row[8]),
        sent_at=moment(row[9]),
        abandoned_at=moment(row[10]),
        last_error=row[11],
    )


def kept_payload(message: Message) -> dict[str, Any]:
    """What stays of a one-time message's payload after it was sent: its metadata."""
    keep = message.payload.get("keep", [])
    return {key: message.payload[key] for key in keep if key in message.payload}


class Outbox(ABC):
    """The outbox table, on one backend. Every method is one short transaction."""

    placeholder = "?"

    @abstractmethod
    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """A cursor in a transaction that commits when the block ends."""
        yield None  # pragma: no cover

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self.placeholder)

    def add(self, message: Message) -> bool:
        """Record a message; False if one with its id is recorded already."""
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO outbox_messages (id, kind, recipient, payload, requires,"
                    " one_time, created_at, attempts, next_attempt_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
                ),
                _row(message),
            )
            return bool(cur.rowcount == 1)

    def get(self, message_id: str) -> Message | None:
        with self._cursor() as cur:
            cur.execute(
                self._sql(f"SELECT {COLUMNS} FROM outbox_messages WHERE id = ?"), (message_id,)
            )
            row = cur.fetchone()
        return None if row is None else _message(row)

    def due(self, now: datetime, limit: int = 20, kind: str | None = None) -> list[Message]:
        """Unsent messages whose next attempt is due, oldest first."""
        where = "sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= ?"
        params: tuple[Any, ...] = (micros(now),)
        if kind is not None:
            where += " AND kind = ?"
            params += (kind,)
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    f"SELECT {COLUMNS} FROM outbox_messages WHERE {where}"
                    " ORDER BY next_attempt_at, id LIMIT ?"
                ),
                (*params, limit),
            )
            return [_message(row) for row in cur.fetchall()]

    def all(self, kind: str | None = None, limit: int = 100) -> list[Message]:
        """The most recent messages (for operators and tests)."""
        where, params = ("WHERE kind = ?", (kind,)) if kind else ("", ())
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    f"SELECT {COLUMNS} FROM outbox_messages {where}"
                    " ORDER BY created_at DESC, id LIMIT ?"
                ),
                (*params, limit),
            )
            return [_message(row) for row in cur.fetchall()]

    def mark_sent(self, message: Message, at: datetime) -> None:
        payload = kept_payload(message) if message.one_time else message.payload
        recipient = "" if message.one_time else message.recipient
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    "UPDATE outbox_messages SET sent_at = ?, attempts = attempts + 1,"
                    " payload = ?, recipient = ?, last_error = NULL WHERE id = ?"
                ),
                (micros(at), json.dumps(payload, sort_keys=True), recipient, message.id),
            )

    def mark_failed(self, message: Message, error: str, retry_at: datetime) -> None:
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    "UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = ?,"
                    " last_error = ? WHERE id = ?"
                ),
                (micros(retry_at), error[:500], message.id),
            )

    def postpone(self, message: Message, until: datetime) -> None:
        """Look again later, without counting an attempt (what it requires is not there yet)."""
        with self._cursor() as cur:
            cur.execute(
                self._sql("UPDATE outbox_messages SET next_attempt_at = ? WHERE id = ?"),
                (micros(until), message.id),
            )

    def abandon(self, message: Message, reason: str, at: datetime) -> None:
        """Give up on a message; its payload is dropped (metadata kept)."""
        with self._cursor() as cur:
            cur.execute(
                self._sql(
                    "UPDATE outbox_messages SET abandoned_at = ?, last_error = ?, payload = ?,"
                    " recipient = '' WHERE id = ?"
                ),
                (micros(at), reason[:500], json.dumps(kept_payload(message)), message.id),
            )

    def forget_recipient(self, recipient: str) -> int:
        """Delete every message to an erased person (sent or not) and scrub the store's
        files; how many were deleted (docs/privacy.md)."""
        with self._cursor() as cur:
            cur.execute(self._sql("DELETE FROM outbox_messages WHERE recipient = ?"), (recipient,))
            deleted = int(cur.rowcount)
        self._scrub()
        return deleted

    @abstractmethod
    def _scrub(self) -> None:
        """Leave no deleted row's bytes in the store's files."""

    @abstractmethod
    def close(self) -> None: ...


class SQLiteOutbox(Outbox):
    """The outbox in a SQLite file of its own (WAL, so the sender never blocks writers)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        # Deleted rows are zeroed in their pages (erasure, docs/privacy.md).
        self._conn.execute("PRAGMA secure_delete=ON")
        with self._cursor() as cur:
            for statement in DDL:
                cur.execute(statement)

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        with self._lock, self._conn:
            yield self._conn.cursor()

    def _scrub(self) -> None:
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._conn.close()


class PostgresOutbox(Outbox):
    """The outbox in the event store's schema. One connection per call: the outbox is
    written a few times per command that sends mail, read once a second."""

    placeholder = "%s"

    def __init__(self, conninfo: str, schema: str) -> None:
        self.conninfo = conninfo
        self.schema = schema
        with self._cursor() as cur:
            for statement in DDL:
                cur.execute(statement)

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        with psycopg.connect(self.conninfo) as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
            yield cur

    def _scrub(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(
                sql.SQL("VACUUM FULL {}").format(sql.Identifier(self.schema, "outbox_messages"))
            )

    def close(self) -> None:
        return None
