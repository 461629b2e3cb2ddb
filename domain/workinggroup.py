"""A working group (Arbeitskreis): regional or thematic; where pain points live."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Invalid
from domain.rules import MAX_DESCRIPTION, MAX_NAME, clean_text

KINDS = ("regional", "thematic")


class WorkingGroup(Aggregate):
    @event("Founded")
    def __init__(
        self,
        id: UUID,
        name: str,
        kind: str,
        description: str,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        self.name = name
        self.kind = kind
        self.description = description
        self.members: list[UUID] = []
        self.leads: list[UUID] = []

    @classmethod
    def found(
        cls,
        name: str,
        kind: str,
        description: str,
        *,
        by: UUID,
        at: datetime,
        id: UUID,
    ) -> WorkingGroup:
        if kind not in KINDS:
            raise Invalid(f"kind must be one of {', '.join(KINDS)}", field="kind")
        return cls(
            id=id,
            name=clean_text(name, field="name", max_len=MAX_NAME),
            kind=kind,
            description=clean_text(
                description,
                field="description",
                max_len=MAX_DESCRIPTION,
                required=False,
            ),
            by=by,
            timestamp=at,
        )

    def is_member(self, person_id: UUID) -> bool:
        return person_id in self.members

    def is_lead(self, person_id: UUID) -> bool:
        return person_id in self.leads

    def enrol(self, person_id: UUID, *, by: UUID, at: datetime) -> bool:
        """Enrol a person; enrolling a member again is a no-op (returns False)."""
        if self.is_member(person_id):
            return False
        self._enrol(person_id=person_id, by=by, timestamp=at)
        return True

    @event("MemberEnrolled")
    def _enrol(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.members = [*self.members, person_id]

    def appoint_lead(self, person_id: UUID, *, by: UUID, at: datetime) -> bool:
        """Appoint a lead (enrolling them first); appointing a lead again is a no-op."""
        if self.is_lead(person_id):
            return False
        self.enrol(person_id, by=by, at=at)
        self._appoint(person_id=person_id, by=by, timestamp=at)
        return True

    @event("LeadAppointed")
    def _appoint(self, person_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.leads = [*self.leads, person_id]
