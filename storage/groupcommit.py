"""Group commit: concurrent `insert_events` calls written together in one transaction.

Each durable commit waits for the disk (SQLite flushes its WAL, PostgreSQL its log),
so one transaction per command caps a process at one command per flush. Here the
calls that arrive while a write is in flight queue up, and the next write takes all
of them: one transaction, one flush, every caller still answered on its own.

Leader and followers: a call that finds no write in flight becomes the leader. It
opens the transaction and waits for the store's write lock, then takes everything
queued by then (its own batch and whatever arrived meanwhile), writes it, commits
and answers each caller with its own notification ids or its own exception. Calls
arriving while a leader writes wait; when the leader is done, the oldest of them
leads the next group. A caller that is alone is written at once, without delay.

Backends (storage.sqlite, storage.postgres) supply the write: `GroupWriter.write`.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from eventsourcing.persistence import PersistenceError, StoredEvent

#: What writing one batch came to: its notification ids, or the error it alone failed with.
Outcome = Sequence[int] | BaseException | None
#: Drains the queue: the batches to write in this group, in arrival order.
Take = Callable[[], list["Batch"]]


@dataclass(eq=False)
class Batch:
    """One caller's `insert_events` call, and its outcome once written."""

    events: Sequence[StoredEvent]
    kwargs: dict[str, Any]
    ids: Sequence[int] | None = None
    error: BaseException | None = None
    leads: bool = False
    done: threading.Event = field(default_factory=threading.Event)

    def outcome(self) -> Sequence[int] | None:
        if self.error is not None:
            raise self.error
        return self.ids


class GroupWriter(Protocol):
    def write(self, take: Take) -> None:
        """Open a transaction, wait for the write lock, `take()` the queued batches,
        write them and commit; then set each batch's `ids` or, when only that batch
        failed (e.g. an optimistic-concurrency conflict), its `error`. Raise when the
        whole transaction failed: then every batch taken fails and nothing is written."""


class GroupCommit:
    """The queue of batches waiting to be written, and who writes them."""

    def __init__(self, writer: GroupWriter) -> None:
        self._writer = writer
        self._mutex = threading.Lock()
        self._queue: deque[Batch] = deque()
        self._leading = False
        #: How many groups were written and how many batches they held (for tests
        #: and benchmarks: the mean group size under load).
        self.groups = 0
        self.batches = 0

    def insert(self, events: Sequence[StoredEvent], kwargs: dict[str, Any]) -> Sequence[int] | None:
        batch = Batch(events, kwargs)
        with self._mutex:
            self._queue.append(batch)
            lead = not self._leading
            self._leading = True
        if not lead:
            batch.done.wait()
            lead = batch.leads  # else it was written in another leader's group
        if lead:
            self._lead(batch)
        return batch.outcome()

    def waiting(self) -> int:
        """How many batches are queued and not yet taken by a leader."""
        with self._mutex:
            return len(self._queue)

    def _lead(self, own: Batch) -> None:
        taken: list[Batch] = []

        def take() -> list[Batch]:
            with self._mutex:
                taken.extend(self._queue)
                self._queue.clear()
            return list(taken)

        try:
            self._writer.write(take)
        except BaseException as error:
            if not taken:  # failed before taking: fail what is queued, as its group
                take()
            for batch in taken:
                batch.ids = None
                batch.error = error if batch is own else own_copy(error)
        finally:
            with self._mutex:
                self.groups += 1
                self.batches += len(taken)
                for batch in taken:
                    batch.done.set()
                if self._queue:  # arrived while this group was written: next leader
                    self._queue[0].leads = True
                    self._queue[0].done.set()
                else:
                    self._leading = False


def own_copy(error: BaseException) -> BaseException:
    """An exception like `error` for another thread to raise (an exception object
    collects the traceback of every raise, so threads must not share one)."""
    try:
        clone = copy.copy(error)
    except Exception:
        clone = PersistenceError(str(error))
    if not isinstance(clone, Exception):
        clone = PersistenceError(f"the group's write was interrupted: {error!r}")
    clone.__traceback__ = None
    clone.__cause__ = error
    return clone
