"""The projector: catches views up with the notification log, batch by batch.

Each batch of events is applied to every view and committed in one transaction
together with the tracking row, so a crash anywhere leaves the views exactly at
the last committed batch, and a restart resumes after it. The tracking row is
read with a lock and compared at the start of each batch, so two projectors on
one store never apply the same event twice.

Several processes may run a projector for the same views (a `sprachrohr project`
worker and its standby, or the N processes of `sprachrohr serve --workers N`).
Only the holder of the projector lock (`Lead`) follows the log; the others wait
as hot standbys and take over when the holder stops or dies. On PostgreSQL the
lock is a session-level advisory lock, on SQLite an exclusive `flock` on a file
next to the views: both are released by the operating system or the server when
the holding process dies, even by kill -9.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import logging
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper

from projections.decode import EventDecoder, stored_reader
from projections.doorbell import Doorbell
from projections.store import Cursor, ViewStore
from projections.view import Handler, LateIndexes, View
from storage.faults import is_fault
from storage.lazy import LazyModule

if TYPE_CHECKING:  # the driver loads when PostgreSQL is used (storage/lazy.py)
    import psycopg
else:
    psycopg = LazyModule("psycopg")

log = logging.getLogger(__name__)
TRACKING_DDL = (
    "CREATE TABLE IF NOT EXISTS v_tracking (name TEXT PRIMARY KEY, position BIGINT NOT NULL)"
)
FINGERPRINT_DDL = (
    "CREATE TABLE IF NOT EXISTS v_fingerprint (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)"
)
Progress = Callable[[int, int], None]
#: How often a standby asks for the projector lock.
STANDBY_POLL_SECONDS = 1.0
#: How long the projector pauses after losing its connection to the store.
RETRY_SECONDS = 1.0
#: How long the projector lets news gather after a wake-up before it catches up, unless
#: a reader waits for the views (`wait_for` hurries it, in this process directly, from
#: another through the hurry bell): under a steady trickle of commands one transaction
#: then applies several events instead of one each (docs/adr/027, 028).
LINGER_SECONDS = 0.01
#: Named with the pid in the projector lock's session, to show who leads.
HOST = socket.gethostname()


@contextmanager
def without_collector() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the duration (one bulk batch).

    A bulk batch allocates millions of short-lived containers (decoded fields, rows),
    freed by reference counting; each few hundred allocations the collector ran
    anyway, and its older generations walked every live object: a tenth of a
    catch-up's time (docs/adr/029). Garbage in cycles waits until the batch ends. The
    collector is paused for the whole process (each thread's garbage waits too), and
    resumed afterwards only if it was running before.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


class ProjectorStopped(RuntimeError):
    """A handler failed; the projector stopped rather than skip an event."""


class Lead(Protocol):
    """The projector lock: at most one process follows the log for a set of views."""

    def acquire(self) -> bool:
        """Take the lock if it is free; whether this process holds it (now still)."""
        ...

    def release(self) -> None: ...


class SoleLead:
    """No lock: for a projector that is alone by construction (tests, one-off tools)."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None


class FileLead:
    """An exclusive `flock` on a file: one projector per SQLite view store.

    The kernel releases it when the process ends, however it ends. `flock` locks
    belong to the open file, so two leads in one process exclude each other too.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor releases the lock
            self._fd = None


def advisory_key(schema: str, name: str) -> int:
    """The advisory-lock key of the projector `name` on the views in `schema`.

    Advisory locks are per database, so the schema is part of the key: chapters that
    share a database in separate schemas each get their own projector.
    """
    digest = hashlib.sha256(f"sprachrohr projector {schema}.{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresLead:
    """A session-level advisory lock, held on a connection of its own.

    PostgreSQL releases it when that session ends, so a worker that dies, is killed
    or loses its network connection frees the lock for a standby. The holder checks
    its connection at most every `check_seconds` and steps down when it is gone.
    The connection's application_name names the process, so that
    `pg_stat_activity` shows who leads.
    """

    def __init__(self, conninfo: str, key: int, *, check_seconds: float = 1.0) -> None:
        self.conninfo = conninfo
        self.key = key
        self.check_seconds = check_seconds
        self._conn: psycopg.Connection[Any] | None = None
        self._checked = 0.0

    def acquire(self) -> bool:
        try:
            if self._conn is not None:
                if time.monotonic() - self._checked >= self.check_seconds:
                    self._conn.execute("SELECT 1")
                    self._checked = time.monotonic()
                return True
            conn = psycopg.connect(
                self.conninfo,
                autocommit=True,
                application_name=f"sprachrohr projector pid={os.getpid()} host={HOST}"[:63],
            )
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        except psycopg.Error as error:
            log.warning("projector lock: %s", error)
            self.release()
            return False
        if not (row and row[0]):
            conn.close()
            return False
        self._conn, self._checked = conn, time.monotonic()
        return True

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()  # ending the session releases the lock


def transient(error: BaseException) -> bool:
    """A store that is briefly unreachable, busy, full or read-only (storage.faults),
    not a view that cannot apply an event."""
    return is_fault(error)


class Projector:
    def __init__(
        self,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        store: ViewStore,
        views: Sequence[View],
        *,
        name: str = "views",
        batch_size: int = 5000,
        bulk_batch_size: int = 60_000,
        bulk_page_size: int = 20_000,
        channel: str | None = None,
        linger: float = LINGER_SECONDS,
        scope: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        """`channel`: on PostgreSQL, NOTIFY it with the new position on each batch's commit.

        `linger`: in `run`, how long to let news gather after a wake-up (LINGER_SECONDS)
        unless a reader waits (`wait_for`); 0 catches up at once.

        `scope`: entered around each page of a batch's handlers, e.g. one read scope of the write
        model (storage.freshness) for handlers that load aggregates.

        `bulk_batch_size`: the batch while more than `batch_size` events are behind (a
        rebuild, a worker that was down): fewer, larger transactions write each index
        page once for many events. Such a batch is read and applied `bulk_page_size`
        events at a time, so that only one page of events is in memory.
        """
        self.recorder = recorder
        self.mapper = mapper
        self.decode = EventDecoder(mapper)
        self.store = store
        self.views = views
        self.name = name
        self.batch_size = batch_size
        self.bulk_batch_size = max(batch_size, bulk_batch_size)
        self.bulk_page_size = bulk_page_size
        self.channel = channel if store.dialect == "postgres" else None
        self.failure: BaseException | None = None
        #: Whether this process's projector holds the lock and follows the log.
        self.leading = False
        #: Called when a reader must wait for the views (e.g. to start a listener).
        self.on_wait: Callable[[], None] | None = None
        #: How often a waiting reader looks at the tracking row without a wake-up.
        self.wait_poll_seconds = 0.05
        self._handlers: dict[str, list[Handler]] = {}
        for view in views:
            for event_topic, handler in view.handlers().items():
                self._handlers.setdefault(event_topic, []).append(handler)
        #: Topics whose every handler reads ids only as hex (`view.reads_hex`).
        self._flat = {
            name
            for name, handlers in self._handlers.items()
            if all(getattr(handler, "reads_hex", False) for handler in handlers)
        }
        self._advanced = threading.Condition()
        self._advances = 0
        self.linger = linger
        self.scope = scope
        #: Set by a reader waiting for the views: catch up now, do not linger.
        self._hurry = threading.Event()
        #: Readers in other processes ring it to hurry the projector where it leads
        #: (projections/doorbell.py; set by service.runtime).
        self.hurry_bell: Doorbell | None = None
        #: Whether the views' `LateIndexes.missing` are known to match the store: read
        #: from its catalog on the first catch-up, after a failed one, and on taking over.
        self._late_known = False
        #: Whether the next bulk batch drops the late indexes (a catch-up from empty views).
        self._defer_late = False

    def setup(self, fingerprint: str = "") -> bool:
        """Create the views; rebuild them when `fingerprint` (their code) changed.

        Returns whether the views were reset and must catch up from the start.
        Views built by the same code are left alone: no DDL, so a process that starts
        while a projector elsewhere writes to the views takes no table locks (on
        PostgreSQL, `CREATE INDEX IF NOT EXISTS` locks its table and can deadlock
        with a batch).
        """
        if fingerprint and self._fingerprint() == fingerprint:
            return False
        with self.store.writing() as cur:
            cur.execute(TRACKING_DDL)
            cur.execute(FINGERPRINT_DDL)
            cur.execute("SELECT fingerprint FROM v_fingerprint WHERE name = ?", (self.name,))
            row = cur.fetchone()
            stale = bool(fingerprint) and row is not None and row[0] != fingerprint
            if stale:
                log.warning("the views' code changed: rebuilding %s from the log", self.name)
                cur.execute("DELETE FROM v_tracking WHERE name = ?", (self.name,))
                for view in self.views:
                    view.drop(cur)
            for view in self.views:
                view.create(cur)
            if fingerprint:
                cur.execute(
                    "INSERT INTO v_fingerprint (name, fingerprint) VALUES (?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint",
                    (self.name, fingerprint),
                )
        return stale

    def _fingerprint(self) -> str | None:
        """The fingerprint the views were built with; None before the first setup."""
        try:
            with self.store.reading() as cur:
                cur.execute("SELECT fingerprint FROM v_fingerprint WHERE name = ?", (self.name,))
                row = cur.fetchone()
        except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):
            return None  # no such table yet
        return str(row[0]) if row else None

    def position(self) -> int:
        with self.store.reading() as cur:
            cur.execute("SELECT position FROM v_tracking WHERE name = ?", (self.name,))
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def catch_up(
        self, progress: Progress | None = None, *, stop: threading.Event | None = None
    ) -> int:
        """Apply every recorded event not yet applied; return the new position.

        With `stop`, return after the batch in progress once it is set.
        """
        position = self.position()
        head = self.head()
        try:
            if head - position <= self.batch_size:
                self._build_late_indexes()
                return self._follow(position, head, self.batch_size, progress, stop)
            with self.store.bulk():
                # From empty views, the first batch drops the late indexes (ADR 029);
                # otherwise those missing stay so until the end.
                self._defer_late = position == 0
                if not self._defer_late:
                    self._learn_late_indexes()
                last = self._follow(position, head, self.bulk_batch_size, progress, stop, bulk=True)
                self._defer_late = False
            # With SQLite's default page cache again: its sorter builds them in less
            # time and memory than with the bulk cache (ADR 029).
            self._build_late_indexes()
            return last
        except BaseException:
            self._late_known = False  # a rolled-back transaction may have built or dropped some
            self._defer_late = False
            raise

    def _late(self) -> list[LateIndexes]:
        return [view.late for view in self.views if view.late is not None]

    def _learn_late_indexes(self) -> None:
        """Read which late indexes the store lacks, unless this process knows."""
        late = self._late()
        if late and not self._late_known:
            with self.store.reading() as cur:
                for indexes in late:
                    indexes.learn(cur)
            self._late_known = True

    def _build_late_indexes(self) -> None:
        """Build every late index the views lack: each catch-up ends with all of them."""
        self._learn_late_indexes()
        late = [indexes for indexes in self._late() if indexes.missing]
        if late:
            with self.store.writing() as cur:
                for indexes in late:
                    indexes.ensure(cur)

    def _follow(
        self,
        position: int,
        head: int,
        limit: int,
        progress: Progress | None,
        stop: threading.Event | None,
        *,
        bulk: bool = False,
    ) -> int:
        page = min(limit, self.bulk_page_size)
        # Far behind, the store's plain rows when it gives them (projections.decode).
        select = (bulk and stored_reader(self.recorder)) or self._select
        while stop is None or not stop.is_set():
            notifications = select(position + 1, page)
            if not notifications:
                break
            applied = len(notifications)
            # Whether a page came back shorter than asked (the log's head was reached),
            # and the batch's last event.
            short, tail = applied < page, int(notifications[-1].id)

            def next_page(after: int) -> Sequence[Any]:
                """More of this batch's events, a page at a time, up to `limit`."""
                nonlocal applied, short, tail
                if short or applied >= limit or (stop is not None and stop.is_set()):
                    return ()
                asked = min(page, limit - applied)
                more = select(after + 1, asked)
                applied += len(more)
                short = len(more) < asked
                if more:
                    tail = int(more[-1].id)
                return more

            with without_collector() if bulk else nullcontext():
                last = self.apply_batch(position, notifications, then=next_page)
            self.advanced()
            if progress:
                progress(last, max(head, last))
            if short and last == tail:
                # Applied up to the head as it was after the call began: what was
                # recorded since is the next wake-up's (one SELECT less per catch-up).
                return last
            position = last
        return position

    def _select(self, start: int, limit: int) -> Sequence[Any]:
        return self.recorder.select_notifications(start=start, limit=limit)

    def apply_batch(
        self,
        expected: int,
        notifications: Sequence[Any],
        *,
        then: Callable[[int], Sequence[Any]] | None = None,
    ) -> int:
        """Apply notifications in one transaction if the views are at `expected`.

        `then(position)`: more notifications after `position` for the same transaction
        (empty: no more), asked for after each page is applied.
        """
        lock = " FOR UPDATE" if self.store.dialect == "postgres" else ""
        with self.store.writing() as cur:
            cur.execute(f"SELECT position FROM v_tracking WHERE name = ?{lock}", (self.name,))
            row = cur.fetchone()
            current = int(row[0]) if row else 0
            if current != expected:
                return current  # another projector got there first: resume after it
            if self._defer_late:
                self._defer_late = False
                if current == 0:
                    for indexes in self._late():
                        indexes.defer(cur)
                    self._late_known = True
            last = expected
            while notifications:
                self._apply(cur, notifications)
                last = int(notifications[-1].id)
                notifications = then(last) if then is not None else ()
            cur.execute(
                "INSERT INTO v_tracking (name, position) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (self.name, last),
            )
            if self.channel:  # delivered on commit, to readers in every process
                cur.execute("SELECT pg_notify(?, ?)", (self.channel, str(last)))
        return last

    def _apply(self, cur: Cursor, notifications: Sequence[Any]) -> None:
        # The scope is entered per page, after the page was read: every aggregate a
        # handler loads in it includes the page's events (storage.freshness).
        with self.scope() if self.scope is not None else nullcontext():
            self._apply_page(cur, notifications)

    def _apply_page(self, cur: Cursor, notifications: Sequence[Any]) -> None:
        for view in self.views:
            view.start_batch()
        for view in self.views:
            view.records(cur, notifications)
        for notification in notifications:
            handlers = self._handlers.get(notification.topic)
            if handlers:
                if notification.topic in self._flat:
                    event = self.decode.flat(notification)
                else:
                    event = self.decode(notification)
                for handler in handlers:
                    handler(cur, event, notification.id)
        for view in self.views:
            view.flush(cur)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drop every view, create it anew and replay the whole log into it."""
        with self.store.writing() as cur:
            cur.execute("DELETE FROM v_tracking WHERE name = ?", (self.name,))
            for view in self.views:
                view.drop(cur)
                view.create(cur)
        return self.catch_up(progress)

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every view table's rows in a canonical order: equal dumps, equal views."""
        tables = sorted(table for view in self.views for table in view.tables)
        with self.store.reading() as cur:
            dumped = {}
            for table in tables:
                cur.execute(f"SELECT * FROM {table}")
                dumped[table] = sorted(tuple(row) for row in cur.fetchall())
        return dumped

    @property
    def advances(self) -> int:
        """How often the views were reported to have advanced (by this process's
        projector or, through a listener, by another's)."""
        with self._advanced:
            return self._advances

    def advanced(self) -> None:
        """The views may have moved on: wake the readers waiting in `wait_for`."""
        with self._advanced:
            self._advances += 1
            self._advanced.notify_all()

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the views include `position` (read-your-writes).

        The views may be kept by a projector in another process: the tracking row is
        the truth, and a wake-up (`advanced`) only says when to look at it again.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._advanced:
                seen = self._advances
            if self.position() >= position:
                return True
            self._hurry.set()  # a lingering projector of this process: catch up now
            if self.hurry_bell is not None:
                self.hurry_bell.ring()  # ... or of another process
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.failure is not None:
                return False
            if self.on_wait is not None and not self.leading:
                self.on_wait()
            with self._advanced:
                if self._advances == seen:
                    self._advanced.wait(min(remaining, self.wait_poll_seconds))

    def run(
        self,
        stop: threading.Event,
        wait_for_news: Callable[[float], None],
        lead: Lead | None = None,
        *,
        standby_poll: float = STANDBY_POLL_SECONDS,
        on_standby: Callable[[], None] | None = None,
    ) -> None:
        """Follow the log while holding `lead`, until `stop` is set or a view fails.

        Without the lock, wait as a hot standby and ask for it every `standby_poll`
        seconds; once it is ours, catch up from the tracking row and keep following.
        `on_standby` is called on entering standby (e.g. to stop listening for news).
        """
        lead = lead or SoleLead()
        standing_by = False
        bell = self.hurry_bell
        try:
            while not stop.is_set():
                if not lead.acquire():
                    if self.leading or not standing_by:
                        log.info("projector %s: another process leads; standing by", self.name)
                        if bell is not None:
                            bell.stop_listening()
                        if on_standby is not None:
                            on_standby()
                    self.leading, standing_by = False, True
                    stop.wait(standby_poll)
                    continue
                taking_over, self.leading, standing_by = not self.leading, True, False
                if self._step(stop, taking_over):
                    wait_for_news(0.5)
                    self._linger(stop)
        finally:
            self.leading = False
            if bell is not None:
                bell.stop_listening()
            lead.release()

    def _linger(self, stop: threading.Event) -> None:
        """Let news gather for `linger` seconds, until a reader hurries it (in this
        process or, through the hurry bell, in another) or `stop`."""
        deadline = time.monotonic() + self.linger
        bell = self.hurry_bell
        listening = bell is not None and bell.listen()
        while not stop.is_set() and not self._hurry.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            step = min(remaining, STANDBY_POLL_SECONDS)
            if listening and bell is not None:  # this process's readers ring it too
                if bell.wait(step):
                    return
            elif self._hurry.wait(step):
                return

    def _step(self, stop: threading.Event, taking_over: bool) -> bool:
        """One catch-up; False when it hit a passing fault of the store (and paused)."""
        self._hurry.clear()  # a reader that waits from now on waits for a later step
        try:
            if taking_over:
                log.info("projector %s: leading from position %d", self.name, self.position())
                self._late_known = False  # the last leader may have left indexes unbuilt
            self.catch_up(stop=stop)
        except Exception as error:
            if transient(error):
                log.warning("projector %s: store unavailable, retrying: %s", self.name, error)
                stop.wait(RETRY_SECONDS)
                return False
            self.failure = error
            log.exception("projector %s stopped: a view failed to apply an event", self.name)
            raise ProjectorStopped(str(error)) from error
        return True
