"""How the projector learns that there may be new events.

Embedded SQLite has no notifications, so the projector polls, and commands in
the same process wake it at once. PostgreSQL announces every commit on the event
table's channel (the library issues NOTIFY), so the projector LISTENs.
"""

from __future__ import annotations

import threading

import psycopg


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

    def close(self) -> None:
        self._event.set()


class PostgresNews(LocalNews):
    """Also woken by NOTIFY on the events table's channel, from any process."""

    def __init__(self, conninfo: str, channel: str) -> None:
        super().__init__()
        self._conninfo = conninfo
        self._channel = channel
        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._conn.execute(f'LISTEN "{channel}"')

    def interrupt(self) -> None:
        """Wake a waiting projector at once (it may be blocked in LISTEN)."""
        super().interrupt()
        with psycopg.connect(self._conninfo, autocommit=True) as conn:
            conn.execute(f'NOTIFY "{self._channel}"')

    def wait(self, timeout: float) -> None:
        if self._event.is_set():
            self._event.clear()
            return
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            break

    def close(self) -> None:
        super().close()
        self._conn.close()
