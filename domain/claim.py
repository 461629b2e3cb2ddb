"""A claim on a unique key (an e-mail address, a company or group name).

The claim's id is derived from the key, so two concurrent claims of the same key
collide on the event store's primary key instead of both succeeding.
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

    @classmethod
    def make(cls, kind: str, key: str, *, owner: UUID, at: datetime) -> Claim:
        return cls(id=claim_id(kind, key), kind=kind, owner=owner, timestamp=at)
