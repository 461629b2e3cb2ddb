"""An aggregate cache kept current by the notification log's tail.

The library's repository keeps aggregates in a cache and, to stay exact when other
processes write, fast-forwards every cached aggregate it returns: one SELECT per
`get`, hit or miss. A support request loads half a dozen aggregates, so that is half
a dozen statements for state that has almost never changed.

`TailCheckedRepository` validates the whole cache with one statement instead. It
keeps a watermark, the highest notification id the cache has been reconciled with,
and the invariant that every cached aggregate holds all of its events up to it. A
refresh reads the ids and originators of the notifications after the watermark (the
log's tail: every process's writes, in the order they commit) and drops the cached
aggregates named there; every other cached aggregate is then known to be current
without a query. Notification ids become visible in commit order on both backends
(SQLite has one writer; PostgreSQL inserts under the table lock the library takes),
so nothing can appear later below the watermark.

When to refresh: a *read scope* (`fresh_reads`, `open_read_scope`) refreshes once, at
its first read, and every read in it sees the store as of that moment or later. A
request opens one, so a request costs one tail query however many aggregates it
loads; a command's retry after a lost race opens a new one (it must see the
winner). Outside any scope every `get` refreshes first, as exact as the library's
fast-forward. Within a scope, an aggregate the scope itself saved is always read
from the store (the scope's own writes stay visible to it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    ProjectorFunction,
    Repository,
    project_aggregate,
)
from eventsourcing.persistence import ApplicationRecorder, EventStore

#: (notification id, originator id) of one stored event.
Change = tuple[int, UUID]


#: Up to `limit` (notification id, originator id) pairs after `after`, in order.
SelectChanges = Callable[[int, int], Sequence[Change]]


def tail_reader(recorder: ApplicationRecorder) -> SelectChanges:
    """The recorder's own `select_changes` (ids and originators only: storage.sqlite,
    storage.postgres), else one built on `select_notifications` (any recorder)."""
    own: SelectChanges | None = getattr(recorder, "select_changes", None)
    if own is not None:
        return own

    def select_changes(after: int, limit: int) -> Sequence[Change]:
        notifications = recorder.select_notifications(after + 1, limit)
        return [(n.id, as_uuid(n.originator_id)) for n in notifications]

    return select_changes


def as_uuid(originator_id: Any) -> UUID:
    return originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))


class Scope:
    """Which repositories this scope has refreshed, and what it saved in each."""

    def __init__(self, parent: Scope | None = None) -> None:
        self.parent = parent
        self.refreshed: set[int] = set()
        self.saved: dict[int, set[UUID]] = {}
        self.lock = threading.Lock()


_scope: ContextVar[Scope | None] = ContextVar("sprachrohr_read_scope", default=None)


@contextmanager
def fresh_reads(*, again: bool = False) -> Iterator[None]:
    """A read scope for the block. An enclosing scope is used instead, unless `again`
    asks for a new one (which refreshes at its first read: a command's retry)."""
    outer = _scope.get()
    if outer is not None and not again:
        yield
        return
    token = _scope.set(Scope(outer))
    try:
        yield
    finally:
        _scope.reset(token)


def open_read_scope() -> None:
    """Open a read scope for the rest of the current context (an HTTP request's task:
    the threads that serve the request run in copies of its context)."""
    _scope.set(Scope())


class TailCheckedRepository(Repository[UUID]):
    #: Notifications read per refresh; a longer tail (a process idle while others
    #: wrote a lot) empties the cache rather than reading all of it.
    TAIL_LIMIT = 500
    #: Recent changes remembered, to check a read that a refresh overtook before
    #: its aggregate is cached.
    RECENT = 5000

    def __init__(
        self,
        recorder: ApplicationRecorder,
        event_store: EventStore[UUID],
        *,
        snapshot_store: EventStore[UUID] | None = None,
        maxsize: int = 0,
        deepcopy_from_cache: bool = True,
    ) -> None:
        super().__init__(
            event_store, snapshot_store=snapshot_store, deepcopy_from_cache=deepcopy_from_cache
        )
        self.recorder = recorder
        self._select_changes = tail_reader(recorder)
        self.maxsize = maxsize
        self._entries: OrderedDict[UUID, Any] = OrderedDict()
        self._guard = threading.Lock()
        #: Every cached aggregate holds all its events up to this notification id.
        self._seen: int | None = None
        #: The changes in (_floor, _seen], oldest first.
        self._recent: deque[Change] = deque()
        self._floor = 0
        #: Tail queries made (for tests and benchmarks).
        self.refreshes = 0

    # -- reading -----------------------------------------------------------------

    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
        snapshots: bool = True,
    ) -> Any:
        """The aggregate as of the current read scope's start or later.

        `snapshots=False` skips the snapshot store when the aggregate is read from
        the store (for types never snapshotted: one statement less on a miss).
        """
        if version is not None:
            return self._reconstruct_aggregate(aggregate_id, version, projector_func)
        if self._saved_in_scope(aggregate_id):
            return self._read(aggregate_id, projector_func, snapshots)
        with self._guard:
            aggregate = self._entries.get(aggregate_id)
            if aggregate is not None:
                self._entries.move_to_end(aggregate_id)
            stamp = self._seen
        if aggregate is None:
            aggregate = self._read(aggregate_id, projector_func, snapshots)
            self._put(aggregate_id, aggregate, stamp)
        if deepcopy_from_cache and self.deepcopy_from_cache:
            aggregate = deepcopy(aggregate)
        return aggregate

    def _read(
        self, aggregate_id: UUID, projector_func: ProjectorFunction[Any, Any], snapshots: bool
    ) -> Any:
        if snapshots:
            return self._reconstruct_aggregate(aggregate_id, None, projector_func)
        aggregate = projector_func(None, self.event_store.get(aggregate_id))
        if aggregate is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
        return aggregate

    def _put(self, aggregate_id: UUID, aggregate: Any, stamp: int | None) -> None:
        """Cache an aggregate read after the cache was reconciled up to `stamp`, unless
        a refresh since then may have dropped a change of it (the read may predate it)."""
        with self._guard:
            if stamp is None or self._seen is None or stamp < self._floor:
                return
            if stamp < self._seen:
                for number, originator in reversed(self._recent):
                    if number <= stamp:
                        break
                    if originator == aggregate_id:
                        return
            self._entries[aggregate_id] = aggregate
            self._entries.move_to_end(aggregate_id)
            if self.maxsize > 0 and len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    # -- keeping current -----------------------------------------------------------

    def _saved_in_scope(self, aggregate_id: UUID) -> bool:
        """Refresh unless the current scope has; whether the scope saved this aggregate."""
        scope = _scope.get()
        if scope is None:
            self.refresh()
            return False
        key = id(self)
        with scope.lock:
            if key not in scope.refreshed:
                self.refresh()
                scope.refreshed.add(key)
            saved = scope.saved.get(key)
        return saved is not None and aggregate_id in saved

    def refresh(self) -> None:
        """Drop the cached aggregates changed since the watermark; advance it."""
        with self._guard:
            after = self._seen
        self.refreshes += 1
        if after is None:
            self._reset(self.recorder.max_notification_id() or 0)
            return
        changes = self._select_changes(after, self.TAIL_LIMIT)
        if len(changes) >= self.TAIL_LIMIT:
            self._reset(self.recorder.max_notification_id() or 0)
            return
        with self._guard:
            seen = cast(int, self._seen)
            for number, originator in changes:
                if number <= seen:
                    continue  # applied by another thread's refresh meanwhile
                self._entries.pop(originator, None)
                self._recent.append((number, originator))
                seen = number
            self._seen = seen
            while len(self._recent) > self.RECENT:
                self._floor = self._recent.popleft()[0]

    def _reset(self, head: int) -> None:
        """Empty the cache and start again from `head` (read after the caller's start)."""
        with self._guard:
            self._entries.clear()
            self._recent.clear()
            self._seen = self._floor = max(head, self._seen or 0)

    def note_saved(self, aggregate_ids: Sequence[UUID]) -> None:
        """The current scope (and those around it) saved these: read them anew."""
        scope = _scope.get()
        key = id(self)
        while scope is not None:
            with scope.lock:
                scope.saved.setdefault(key, set()).update(aggregate_ids)
            scope = scope.parent

    def cached(self) -> int:
        with self._guard:
            return len(self._entries)
