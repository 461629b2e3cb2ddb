"""A claim on a unique key (an e-mail address, a company or group name).

The claim's id is derived from the key, so two concurrent claims of the same key
collide on the event store's primary key instead of both succeeding. A claim on a
personal key (an e-mail address) has a keyed-HMAC id and is released when its owner
is erased; the key can then be claimed again.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import claim_id


class Claim(Aggregate):
    @event("Claimed")
    def __init__(self, id: UUID, kind: str, owner: UUID, timestamp: datetime) -> None:
        self.kind = kind
        self.owner = owner
        self.released = False

    @classmethod
    def make(
        cls, kind: str, key: str, *, owner: UUID, at: datetime, id: UUID | None = None
    ) -> Claim:
        return cls(id=id or claim_id(kind, key), kind=kind, owner=owner, timestamp=at)

    def release(self, *, at: datetime) -> None:
        if not self.released:
            self._release(timestamp=at)

    @event("Released")
    def _release(self, timestamp: datetime) -> None:
        self.released = True

    def renew(self, owner: UUID, *, at: datetime) -> None:
        """Claim a released key again, for a new owner."""
        self._renew(owner=owner, timestamp=at)

    @event("Renewed")
    def _renew(self, owner: UUID, timestamp: datetime) -> None:
        self.owner = owner
        self.released = False
