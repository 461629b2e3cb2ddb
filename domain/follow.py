"""Following a pain point or a working group: what a person wants to be told about.

One `Follow` aggregate per person and thing followed (a deterministic id, so two
clicks never make two). Authors and supporters follow a pain point and members
follow their group without a `Follow` of their own (the notification processor
derives those); an explicit `Stopped` overrides them: whoever unfollows is not
followed again by supporting once more.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid
from domain.ids import NAMESPACE

PAIN_POINT, WORKING_GROUP = "pain_point", "working_group"
KINDS = (PAIN_POINT, WORKING_GROUP)
#: Everything reaches the follower / only the e-mail digest does.
ALL, DIGEST = "all", "digest"
LEVELS = (ALL, DIGEST)


def follow_id(person_id: UUID, target_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"follow:{person_id}:{target_id}")


class Follow(Aggregate):
    @event("Started")
    def __init__(
        self,
        id: UUID,
        person_id: UUID,
        kind: str,
        target_id: UUID,
        level: str,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        self.person_id = person_id
        self.kind = kind
        self.target_id = target_id
        self.level = level
        self.active = True

    @classmethod
    def start(
        cls, kind: str, target_id: UUID, *, level: str = ALL, by: UUID, at: datetime
    ) -> Follow:
        if kind not in KINDS:
            raise Invalid("follow.kind", field="kind")
        if level not in LEVELS:
            raise Invalid("follow.level", field="level")
        return cls(
            id=follow_id(by, target_id),
            person_id=by,
            kind=kind,
            target_id=target_id,
            level=level,
            by=by,
            timestamp=at,
        )

    def resume(self, *, level: str = ALL, at: datetime) -> bool:
        """Follow again after stopping (or at another level); False if nothing changes."""
        if level not in LEVELS:
            raise Invalid("follow.level", field="level")
        if self.active and self.level == level:
            return False
        self._resume(level=level, by=self.person_id, timestamp=at)
        return True

    @event("Resumed")
    def _resume(self, level: str, by: UUID, timestamp: datetime) -> None:
        self.level = level
        self.active = True

    def stop(self, *, at: datetime) -> bool:
        """Stop following; recorded even when only an implicit follow existed."""
        if not self.active:
            return False
        self._stop(by=self.person_id, timestamp=at)
        return True

    @event("Stopped")
    def _stop(self, by: UUID, timestamp: datetime) -> None:
        self.active = False
