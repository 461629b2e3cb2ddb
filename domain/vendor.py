"""What the vendor answers about a pain point, and what it promises."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid
from domain.ids import SYSTEM
from domain.moments import parse_day
from domain.promises import MET, MISSED, OPEN, OVERDUE, may_mark_missed, promise_state
from domain.rules import MAX_DESCRIPTION, MAX_NAME, MAX_REASON, clean_text

RESPONSE_KINDS = ("acknowledged", "needs-info", "planned", "workaround", "declined", "shipped")
__all__ = ["MET", "MISSED", "OPEN", "RESPONSE_KINDS", "VendorResponse", "parse_due_on"]


def parse_due_on(value: str) -> str:
    return parse_day(value, field="due_on").isoformat()


class VendorResponse(Aggregate):
    """One official response; a commitment (with a target date) is optional."""

    @event("Posted")
    def __init__(
        self,
        id: UUID,
        pain_point_id: UUID,
        group_id: UUID,
        kind: str,
        text: str,
        product_group: str,
        commitment: str,
        due_on: str | None,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        self.pain_point_id = pain_point_id
        self.group_id = group_id
        self.kind = kind
        self.commitment = commitment
        self.due_on = due_on
        self.commitment_state: str | None = OPEN if commitment else None

    @classmethod
    def post(
        cls,
        pain_point_id: UUID,
        group_id: UUID,
        *,
        kind: str,
        text: str,
        product_group: str,
        commitment: str,
        due_on: str,
        by: UUID,
        at: datetime,
        id: UUID,
        today: date,
    ) -> VendorResponse:
        """`today` is the association's date at `at` (domain.calendar.today): a
        commitment's target date must not lie before it (a promise for today is fine).
        Every way in passes it: there is no way to record a past-dated promise."""
        if kind not in RESPONSE_KINDS:
            raise Invalid("choice.unknown", field="kind", choices=", ".join(RESPONSE_KINDS))
        commitment = clean_text(commitment, field="commitment", max_len=MAX_REASON, required=False)
        if commitment and not due_on.strip():
            raise Invalid("commitment.needs_target_date", field="due_on")
        if due_on.strip() and not commitment:
            raise Invalid("target_date.needs_commitment", field="commitment")
        if commitment and parse_day(due_on, field="due_on") < today:
            raise Invalid("commitment.target_date_past", field="due_on", today=today.isoformat())
        return cls(
            id=id,
            pain_point_id=pain_point_id,
            group_id=group_id,
            kind=kind,
            text=clean_text(text, field="text", max_len=MAX_DESCRIPTION),
            product_group=clean_text(
                product_group, field="product_group", max_len=MAX_NAME, required=False
            ),
            commitment=commitment,
            due_on=parse_due_on(due_on) if commitment else None,
            by=by,
            timestamp=at,
        )

    def state_on(self, today: date) -> str | None:
        """open, met, missed or overdue on that day (domain.promises); None: no commitment."""
        return promise_state(self.commitment_state, self.due_on, today)

    def is_overdue(self, today: date) -> bool:
        return self.state_on(today) == OVERDUE

    def note_overdue(self, *, today: date, at: datetime) -> bool:
        """Record, once, that an open commitment's target date has passed (the worker's
        daily job; it is what notifies the followers and the board). False: nothing to
        record (not overdue, or noted before)."""
        if not self.is_overdue(today) or getattr(self, "overdue_noted", False):
            return False
        self._overdue(due_on=self.due_on or "", by=SYSTEM, timestamp=at)
        return True

    @event("CommitmentOverdue")
    def _overdue(self, due_on: str, by: UUID, timestamp: datetime) -> None:
        self.overdue_noted = True

    def settle(self, met: bool, note: str, *, by: UUID, at: datetime, today: date) -> None:
        """The board records whether the vendor kept its promise; `today` is the
        association's date at `at` (domain.calendar.today)."""
        if self.commitment_state is None:
            raise Conflict("commitment.none")
        if self.commitment_state != OPEN:
            raise Conflict("commitment.already_marked", state=self.commitment_state)
        if not met and not may_mark_missed(self.commitment_state, self.due_on, today):
            raise Conflict("commitment.missed_too_early", due_on=self.due_on)
        note = clean_text(note, field="note", max_len=MAX_REASON, required=False)
        if met:
            self._met(note=note, by=by, timestamp=at)
        else:
            self._missed(note=note, by=by, timestamp=at)

    @event("CommitmentMet")
    def _met(self, note: str, by: UUID, timestamp: datetime) -> None:
        self.commitment_state = MET

    @event("CommitmentMissed")
    def _missed(self, note: str, by: UUID, timestamp: datetime) -> None:
        self.commitment_state = MISSED
