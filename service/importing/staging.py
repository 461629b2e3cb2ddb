"""An application that stages every command's events and saves them all at once.

The import runs the ordinary commands (so every rule and every layer that applies to
them applies to imported history too) against this application: a command's `save`
only collects its events, and later commands see the staged aggregates. `commit`
then writes the whole import in one transaction, or nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import MutableOrImmutableAggregate
from eventsourcing.persistence import Recording

from service.access import A
from service.application import Sprachrohr
from storage.freshness import TailCheckedRepository


class StagingSprachrohr(Sprachrohr):
    """Sprachrohr whose saves are staged until `commit` (one instance per import)."""

    #: The same store: the library would name a subclass after itself (its own tables).
    name = Sprachrohr.name

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.staged: ProcessingEvent[UUID] = ProcessingEvent()
        self.overlay: dict[UUID, Any] = {}
        self.now: datetime = self.clock()

    def at(self, moment: datetime, command: Callable[[], object]) -> None:
        """Run a command with the clock standing at `moment`."""
        self.clock = lambda: moment
        command()

    def save(
        self, *objs: MutableOrImmutableAggregate[UUID] | Any, **kwargs: Any
    ) -> list[Recording[UUID]]:
        for obj in objs:
            if obj is not None:
                self.overlay[obj.id] = obj
        self.staged.collect_events(*objs)
        return []

    @property
    def staged_events(self) -> int:
        return len(self.staged.events)

    def find(self, cls: type[A], aggregate_id: UUID, *, readonly: bool = False) -> A | None:
        staged = self.overlay.get(aggregate_id)
        if staged is not None:
            return staged if isinstance(staged, cls) else None
        return super().find(cls, aggregate_id, readonly=readonly)

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.overlay or super().exists(aggregate_id)

    def discard(self) -> None:
        """Forget everything staged (a dry run, a failed import)."""
        self.staged = ProcessingEvent()
        self.overlay.clear()

    def commit(self) -> int | None:
        """Write every staged event in one transaction; the last position (None: none)."""
        if not self.staged.events:
            return None
        recordings = self._record(self.staged)
        self._take_snapshots(self.staged)
        if isinstance(self.repository, TailCheckedRepository):
            self.repository.note_saved([r.domain_event.originator_id for r in recordings])
        self.discard()
        return recordings[-1].notification.id if recordings else None
