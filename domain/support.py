"""One person's support for one pain point, on behalf of their company.

Each support is its own short-lived aggregate with a deterministic id, so concurrent
supports never contend on a shared aggregate and a person can support only once.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import support_id


class Support(Aggregate):
    @event("Given")
    def __init__(
        self,
        id: UUID,
        pain_point_id: UUID,
        group_id: UUID,
        by: UUID,
        for_company: UUID,
        timestamp: datetime,
    ) -> None:
        self.pain_point_id = pain_point_id
        self.group_id = group_id
        self.person_id = by
        self.for_company = for_company
        self.active = True

    @classmethod
    def give(
        cls,
        pain_point_id: UUID,
        group_id: UUID,
        *,
        by: UUID,
        for_company: UUID,
        at: datetime,
    ) -> Support:
        return cls(
            id=support_id(pain_point_id, by),
            pain_point_id=pain_point_id,
            group_id=group_id,
            by=by,
            for_company=for_company,
            timestamp=at,
        )

    def give_again(self, *, for_company: UUID, at: datetime) -> bool:
        """Give support again after a withdrawal; no-op (False) while active."""
        if self.active:
            return False
        self._give_again(by=self.person_id, for_company=for_company, timestamp=at)
        return True

    @event("GivenAgain")
    def _give_again(self, by: UUID, for_company: UUID, timestamp: datetime) -> None:
        self.for_company = for_company
        self.active = True

    def withdraw(self, *, at: datetime) -> bool:
        """Withdraw support; no-op (False) when it is not active."""
        if not self.active:
            return False
        self._withdraw(by=self.person_id, timestamp=at)
        return True

    @event("Withdrawn")
    def _withdraw(self, by: UUID, timestamp: datetime) -> None:
        self.active = False
