"""How projectors and readers learn that there may be something new.

Two kinds of news, each from any process:

* **New events** wake the projector. Commands in the same process announce
  themselves at once. Other processes' commits are noticed on PostgreSQL through
  the event table's channel (the library NOTIFYs on every commit, the projector
  LISTENs), on SQLite through the store's doorbell (projections/doorbell.py), with
  a poll of the event file's `PRAGMA data_version` as the fallback.
* **Advanced views** wake readers waiting for their own write (`min_position`).
  A projector in the same process wakes them directly; on PostgreSQL the
  projector also NOTIFYs a channel when it commits a batch, and `ViewsListener`
  passes that on in every other process. On SQLite readers in other processes poll
  the tracking row while they wait (every 5 ms).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from projections.doorbell import Doorbell
from storage.lazy import LazyModule

if TYPE_CHECKING:  # the driver loads when PostgreSQL is used (storage/lazy.py)
    import psycopg
    from psycopg import sql
else:
    psycopg = LazyModule("psycopg")
    sql = LazyModule("psycopg.sql")

log = logging.getLogger(__name__)


class LocalNews:
    """Woken by commands of this process; otherwise a poll every interval."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def announce(self) -> None:
        self._event.set()

    def interrupt(self) -> None:
        """Wake a waiting projector at once, e.g. to let it stop."""
        self._event.set()

    def wait(self, timeout: float) -> None:
        self._event.wait(timeout)
        self._event.clear()

    def mute(self) -> None:
        """Stop listening for other processes' news until the next `wait`."""

    def close(self) -> None:
        self._event.set()


class SQLiteNews(LocalNews):
    """Also notices commits of other processes to the event file.

    The process whose projector waits here listens on the store's doorbell
    (projections/doorbell.py), which every process rings when it announces a
    command: a projector in another process than the command wakes at once. As the
    fallback (writers that do not ring, platforms without the doorbell, a moment
    between two leaders) it polls `PRAGMA data_version` every `step` seconds; it
    changes whenever another connection commits to the file, and asking costs
    microseconds and takes no lock.
    """

    def __init__(self, path: str | Path, step: float = 0.05) -> None:
        super().__init__()
        self.path = str(path)
        self.step = step
        in_memory = self.path == ":memory:" or self.path.startswith("file:")
        self.bell = Doorbell(None if in_memory else os.path.realpath(self.path), "events")
        self._conn: sqlite3.Connection | None = None

    def announce(self) -> None:
        super().announce()
        self.bell.ring()

    def interrupt(self) -> None:
        super().interrupt()
        self.bell.ring()

    def _version(self) -> int | None:
        try:
            if self._conn is None:
                self._conn = sqlite3.connect(self.path, check_same_thread=False)
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        listening = self.bell.listen()
        version = self._version()
        while not self._event.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            step = max(0.0, min(self.step, remaining))
            if self.bell.wait(step) if listening else self._event.wait(step):
                break
            if self._version() != version:
                break
        if listening:
            self.bell.wait(0)  # this process's own rings were heard through the event
        self._event.clear()

    def mute(self) -> None:
        """A standby lets the leading process answer the doorbell."""
        self.bell.stop_listening()

    def close(self) -> None:
        super().close()
        self.bell.close()
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class PostgresNews(LocalNews):
    """Also woken by NOTIFY on the events table's channel, from any process.

    It LISTENs only once a projector waits on it: a session that LISTENs must read
    its notifications, or PostgreSQL's notification queue grows for every session in
    the database. A standby that stops leading calls `mute`.

    Wake-ups are coalesced: every insert NOTIFYs and this process's commands also
    announce themselves, so one wake-up takes in all the news queued by then. News
    that comes less than `coalesce` seconds after the previous wake-up waits out the
    rest of that interval, so that a steady stream of single writes is applied in
    batches (one transaction, one tracking row and one flush per view for several
    events) rather than one catch-up per event; news after a quiet spell wakes the
    projector at once.
    """

    #: The shortest interval between two wake-ups by news (seconds).
    COALESCE_SECONDS = 0.01

    def __init__(self, conninfo: str, channel: str, coalesce: float | None = None) -> None:
        super().__init__()
        self._conninfo = conninfo
        self._channel = channel
        self._conn: psycopg.Connection[Any] | None = None
        self.coalesce = self.COALESCE_SECONDS if coalesce is None else coalesce
        self._woken = -1e9
        #: Wake-ups by news, and how many of them waited to let more news gather.
        self.wakeups = 0
        self.lingered = 0

    def _listening(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self._conninfo, autocommit=True)
            self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
        return self._conn

    def interrupt(self) -> None:
        """Wake a waiting projector at once (it may be blocked in LISTEN)."""
        super().interrupt()
        if self._conn is not None:
            notify(self._conninfo, self._channel)

    def wait(self, timeout: float) -> None:
        if not self._event.is_set():
            try:
                for _ in self._listening().notifies(timeout=timeout, stop_after=1):
                    break
                else:
                    return  # no news within the timeout
            except psycopg.Error as error:  # the server went away: sleep, reconnect next time
                log.warning("listening for new events: %s", error)
                self.mute()
                self._event.wait(timeout)
                self._event.clear()
                return
        linger = self._woken + self.coalesce - time.monotonic()
        if linger > 0:
            self.lingered += 1
            time.sleep(linger)
        self._woken = time.monotonic()
        self.wakeups += 1
        self._drain()

    def _drain(self) -> None:
        """Take in the news queued so far: the next wait blocks until there is more."""
        self._event.clear()
        if self._conn is None:
            return
        try:
            for _ in self._conn.notifies(timeout=0):
                pass
        except psycopg.Error as error:
            log.warning("listening for new events: %s", error)
            self.mute()

    def mute(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def close(self) -> None:
        super().close()
        self.mute()


def views_channel(schema: str, name: str = "views") -> str:
    """The channel a projector NOTIFYs when it commits a batch of the views in `schema`.

    Channels are per database, so the schema is part of the name; a long one is
    replaced by its digest (channel names have at most 63 bytes).
    """
    channel = f"sprachrohr_{name}_{schema}"
    if len(channel.encode()) > 63:
        digest = hashlib.sha256(schema.encode()).hexdigest()[:16]
        channel = f"sprachrohr_{name}_{digest}"
    return channel


def notify(conninfo: str, channel: str) -> None:
    """NOTIFY `channel` from a short connection of its own (best effort)."""
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(channel)))
    except psycopg.Error as error:
        log.warning("could not notify %s: %s", channel, error)


class ViewsListener:
    """LISTENs for the projector's batch commits and calls `on_advance` for each.

    Runs in a thread of its own, started on first need (`start` is idempotent), and
    reconnects when the server goes away; after (re)connecting it calls `on_advance`
    once, since commits may have passed unheard.
    """

    def __init__(self, conninfo: str, channel: str, on_advance: Callable[[], None]) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.on_advance = on_advance
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(
                    target=self._listen, name="views-listener", daemon=True
                )
                self._thread.start()

    def _listen(self) -> None:
        listen = sql.SQL("LISTEN {}").format(sql.Identifier(self.channel))
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self.conninfo,
                    autocommit=True,
                    application_name=f"sprachrohr views listener pid={os.getpid()}",
                ) as conn:
                    conn.execute(listen)
                    self.on_advance()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=5.0):
                            self.on_advance()
                            if self._stop.is_set():
                                break
            except psycopg.Error as error:
                log.warning("listening for the views' progress: %s", error)
                self.on_advance()
                self._stop.wait(1.0)

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None and thread.is_alive():
            notify(self.conninfo, self.channel)
            thread.join(timeout=5)
