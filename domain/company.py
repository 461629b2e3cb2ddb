"""A member company: the company, not the person, is the member of the association."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.rules import MAX_NAME, MAX_REASON, clean_text


class MemberCompany(Aggregate):
    """Admitted once; its membership may end, after which its people cannot act."""

    @event("Admitted")
    def __init__(self, id: UUID, name: str, by: UUID, timestamp: datetime) -> None:
        self.name = name
        self.admitted_by = by
        self.ended_at: datetime | None = None

    @classmethod
    def admit(cls, name: str, *, by: UUID, at: datetime, id: UUID) -> MemberCompany:
        return cls(
            id=id,
            name=clean_text(name, field="name", max_len=MAX_NAME),
            by=by,
            timestamp=at,
        )

    @property
    def is_member(self) -> bool:
        return self.ended_at is None

    def end_membership(self, reason: str, *, by: UUID, at: datetime) -> None:
        if not self.is_member:
            raise Conflict("company.membership_already_ended", name=self.name)
        reason = clean_text(reason, field="reason", max_len=MAX_REASON, required=False)
        self._end(reason=reason, by=by, timestamp=at)

    @event("MembershipEnded")
    def _end(self, reason: str, by: UUID, timestamp: datetime) -> None:
        self.ended_at = timestamp
