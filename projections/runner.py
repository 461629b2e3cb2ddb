"""The projector: catches views up with the notification log, batch by batch.

Each batch of events is applied to every view and committed in one transaction
together with the tracking row, so a crash anywhere leaves the views exactly at
the last committed batch, and a restart resumes after it. The tracking row is
read with a lock and compared at the start of each batch, so two projectors on
one store never apply the same event twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper

from projections.store import ViewStore
from projections.view import Handler, View

log = logging.getLogger(__name__)
TRACKING_DDL = (
    "CREATE TABLE IF NOT EXISTS v_tracking (name TEXT PRIMARY KEY, position BIGINT NOT NULL)"
)
FINGERPRINT_DDL = (
    "CREATE TABLE IF NOT EXISTS v_fingerprint (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)"
)
Progress = Callable[[int, int], None]


class ProjectorStopped(RuntimeError):
    """A handler failed; the projector stopped rather than skip an event."""


class Projector:
    def __init__(
        self,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        store: ViewStore,
        views: Sequence[View],
        *,
        name: str = "views",
        batch_size: int = 1000,
    ) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.store = store
        self.views = views
        self.name = name
        self.batch_size = batch_size
        self.failure: BaseException | None = None
        self._handlers: dict[str, list[Handler]] = {}
        for view in views:
            for event_topic, handler in view.handlers().items():
                self._handlers.setdefault(event_topic, []).append(handler)
        self._advanced = threading.Condition()

    def setup(self, fingerprint: str = "") -> bool:
        """Create the views; rebuild them when `fingerprint` (their code) changed.

        Returns whether the views were reset and must catch up from the start.
        """
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

    def position(self) -> int:
        with self.store.reading() as cur:
            cur.execute("SELECT position FROM v_tracking WHERE name = ?", (self.name,))
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every recorded event not yet applied; return the new position."""
        position = self.position()
        head = self.head()
        while True:
            notifications = self.recorder.select_notifications(
                start=position + 1, limit=self.batch_size
            )
            if not notifications:
                return position
            position = self.apply_batch(position, notifications)
            with self._advanced:
                self._advanced.notify_all()
            if progress:
                progress(position, max(head, position))

    def apply_batch(self, expected: int, notifications: Sequence[Any]) -> int:
        """Apply notifications in one transaction if the views are at `expected`."""
        lock = " FOR UPDATE" if self.store.dialect == "postgres" else ""
        with self.store.writing() as cur:
            cur.execute(f"SELECT position FROM v_tracking WHERE name = ?{lock}", (self.name,))
            row = cur.fetchone()
            current = int(row[0]) if row else 0
            if current != expected:
                return current  # another projector got there first: resume after it
            for notification in notifications:
                handlers = self._handlers.get(notification.topic)
                if handlers:
                    event = self.mapper.to_domain_event(notification)
                    for handler in handlers:
                        handler(cur, event, notification.id)
            last = int(notifications[-1].id)
            cur.execute(
                "INSERT INTO v_tracking (name, position) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (self.name, last),
            )
        return last

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

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the views include `position` (read-your-writes)."""
        deadline = time.monotonic() + timeout
        while self.position() < position:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.failure is not None:
                return False
            with self._advanced:
                self._advanced.wait(min(remaining, 0.05))
        return True

    def run(self, stop: threading.Event, wait_for_news: Callable[[float], None]) -> None:
        """Catch up whenever there may be news, until `stop` is set or a view fails."""
        while not stop.is_set():
            try:
                self.catch_up()
            except Exception as error:
                self.failure = error
                log.exception("projector %s stopped: a view failed to apply an event", self.name)
                raise ProjectorStopped(str(error)) from error
            wait_for_news(0.5)
