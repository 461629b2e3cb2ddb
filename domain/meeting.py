"""A meeting of one of the vendor's boards at which the association is heard.

A meeting may be scheduled for any business day (domain.moments), also one that has
passed (the board records a meeting afterwards). An agenda item is recorded as presented
only from the meeting's day on, judged on the association's calendar (domain.calendar):
nothing can have been presented at a meeting that has not taken place yet.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.limits import MAX_AGENDA
from domain.moments import parse_day
from domain.rules import MAX_NAME, clean_text

MEETING_KINDS = ("quality-board", "inner-circle", "other")


class BoardMeeting(Aggregate):
    @event("Scheduled")
    def __init__(
        self, id: UUID, name: str, kind: str, held_on: str, by: UUID, timestamp: datetime
    ) -> None:
        self.name = name
        self.kind = kind
        self.held_on = held_on
        self.agenda: list[UUID] = []
        self.presented: list[UUID] = []

    @classmethod
    def schedule(
        cls, name: str, kind: str, held_on: str, *, by: UUID, at: datetime, id: UUID
    ) -> BoardMeeting:
        if kind not in MEETING_KINDS:
            raise Invalid("choice.unknown", field="kind", choices=", ".join(MEETING_KINDS))
        day = parse_day(held_on, field="held_on").isoformat()
        name = clean_text(name, field="name", max_len=MAX_NAME)
        return cls(id=id, name=name, kind=kind, held_on=day, by=by, timestamp=at)

    def set_agenda(self, items: list[UUID], *, by: UUID, at: datetime) -> bool:
        if len(items) > MAX_AGENDA:
            raise Invalid("agenda.too_long", field="items", max=MAX_AGENDA)
        if len(set(items)) != len(items):
            raise Invalid("agenda.twice", field="items")
        if items == self.agenda:
            return False
        self._set_agenda(items=items, by=by, timestamp=at)
        return True

    def reorder_agenda(self, order: list[UUID], *, by: UUID, at: datetime) -> bool:
        """Put the agenda's items in `order`: the same items, each once, only their
        order changed (recorded as the agenda set in that order)."""
        if len(order) != len(self.agenda) or set(order) != set(self.agenda):
            raise Conflict("agenda.reorder_same_items", field="items")
        if order == self.agenda:
            return False
        self._set_agenda(items=list(order), by=by, timestamp=at)
        return True

    @event("AgendaSet")
    def _set_agenda(self, items: list[UUID], by: UUID, timestamp: datetime) -> None:
        self.agenda = items

    def mark_presented(self, pain_point_id: UUID, *, by: UUID, at: datetime, today: date) -> bool:
        """`today` is the association's date at `at` (domain.calendar.today)."""
        if pain_point_id not in self.agenda:
            raise Conflict("agenda.present_listed_only", field="pain_point_id")
        if today < date.fromisoformat(self.held_on):
            raise Conflict("meeting.not_held_yet", held_on=self.held_on)
        if pain_point_id in self.presented:
            return False
        self._presented(pain_point_id=pain_point_id, by=by, timestamp=at)
        return True

    @event("ItemPresented")
    def _presented(self, pain_point_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.presented = [*self.presented, pain_point_id]
