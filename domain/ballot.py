"""A person's votes under a group's vote budget (dot voting).

The ballot records which pain points the person supported while a budget was in
force, so the budget holds under concurrency: two supports racing for the last
vote both change the same ballot, and the loser is retried and refused.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import ballot_id


def epoch_of(rounds: bool, round_number: int) -> str:
    """Without rounds a budget lasts; with rounds every round brings fresh votes."""
    return f"round:{round_number}" if rounds else "standing"


class Ballot(Aggregate):
    @event("Opened")
    def __init__(
        self, id: UUID, group_id: UUID, person_id: UUID, epoch: str, timestamp: datetime
    ) -> None:
        self.group_id = group_id
        self.person_id = person_id
        self.epoch = epoch
        self.placed: list[UUID] = []

    @classmethod
    def open(cls, group_id: UUID, person_id: UUID, epoch: str, *, at: datetime) -> Ballot:
        return cls(
            id=ballot_id(group_id, person_id, epoch),
            group_id=group_id,
            person_id=person_id,
            epoch=epoch,
            timestamp=at,
        )

    def place(self, pain_point_id: UUID, *, at: datetime) -> None:
        if pain_point_id not in self.placed:
            self._place(pain_point_id=pain_point_id, timestamp=at)

    @event("Placed")
    def _place(self, pain_point_id: UUID, timestamp: datetime) -> None:
        self.placed = [*self.placed, pain_point_id]

    def lift(self, pain_point_id: UUID, *, at: datetime) -> bool:
        if pain_point_id not in self.placed:
            return False
        self._lift(pain_point_id=pain_point_id, timestamp=at)
        return True

    @event("Lifted")
    def _lift(self, pain_point_id: UUID, timestamp: datetime) -> None:
        self.placed = [p for p in self.placed if p != pain_point_id]
