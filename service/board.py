"""Commands of leads, the board and the vendor: curated lists, meetings, responses."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain import calendar, visibility
from domain.curation import CuratedList, clean_pain_point_id, curated_list_id
from domain.dossier import Dossier, Seal
from domain.errors import Invalid, NotFound, PermissionDenied
from domain.limits import MAX_ITEMS
from domain.meeting import BoardMeeting
from domain.painpoint import PainPoint
from domain.reasons import VENDOR_RESPONDED, presented_at
from domain.vendor import VendorResponse
from domain.workflow import AGENDA_STATUSES, ANSWERED, ESCALATED, OPEN_STATUSES, PRESENTED
from domain.workinggroup import WorkingGroup
from service.core import Outcome, Service, retried


class BoardWork(Service):
    def require_board(self, by: UUID) -> None:
        if not (self.is_admin(by) or self.is_board(by)):
            raise PermissionDenied("board.required")

    @retried
    def publish_curated_list(
        self, group_id: UUID, items: list[dict[str, Any]], note: str, *, edition: int, by: UUID
    ) -> Outcome:
        """Publish the group's curated list; `edition` is the one the lead edited (0: none)."""
        group = self.load(WorkingGroup, group_id, "working group", readonly=True)
        self.require_visible(by, group, "working group")
        if not (group.is_lead(by) or self.is_admin(by)):
            raise PermissionDenied("group.leads_only_curate")
        if len(items) > MAX_ITEMS:  # before loading every row
            raise Invalid("curated.too_many", field="items", max=MAX_ITEMS)
        for position, item in enumerate(items, start=1):
            pain_point_id = UUID(clean_pain_point_id(item, position))
            pain_point = self.find(PainPoint, pain_point_id, readonly=True)
            if pain_point is None or pain_point.group_id != group_id:
                raise Invalid("curated.not_in_group", field=f"items.{position}")
            if pain_point.status not in OPEN_STATUSES:
                raise Invalid(
                    "curated.not_open", field=f"items.{position}", status=pain_point.status
                )
        at = self.clock()
        curated = self.find(CuratedList, curated_list_id(group_id))
        if curated is None:
            if edition != 0:
                raise Invalid("curated.first_edition", field="edition")
            curated = CuratedList.first(group_id, items, note, by=by, at=at)
        else:
            curated.republish(items, note, expected=edition, by=by, at=at)
        return Outcome(curated.id, True, self.store(curated))

    @retried
    def schedule_meeting(
        self, name: str, kind: str, held_on: str, *, by: UUID, key: str | None = None
    ) -> Outcome:
        self.require_board(by)
        meeting_id = self.new_id("meeting", by, key)
        if key and self.exists(meeting_id):
            return Outcome(meeting_id, changed=False, position=None)
        meeting = BoardMeeting.schedule(name, kind, held_on, by=by, at=self.clock(), id=meeting_id)
        return Outcome(meeting_id, True, self.store(meeting))

    @retried
    def set_agenda(self, meeting_id: UUID, items: list[UUID], *, by: UUID) -> Outcome:
        self.require_board(by)
        meeting = self.load(BoardMeeting, meeting_id, "meeting")
        for position, pain_point_id in enumerate(items, start=1):
            pain_point = self.find(PainPoint, pain_point_id, readonly=True)
            if pain_point is None or pain_point.status not in AGENDA_STATUSES:
                raise Invalid("agenda.escalated_only", field=f"items.{position}")
        changed = meeting.set_agenda(items, by=by, at=self.clock())
        return Outcome(meeting_id, changed, self.store(meeting))

    @retried
    def reorder_agenda(self, meeting_id: UUID, order: list[UUID], *, by: UUID) -> Outcome:
        """Put the meeting's agenda in a new order (the board; the same items only)."""
        self.require_board(by)
        meeting = self.load(BoardMeeting, meeting_id, "meeting")
        changed = meeting.reorder_agenda(order, by=by, at=self.clock())
        return Outcome(meeting_id, changed, self.store(meeting))

    @retried
    def mark_presented(self, meeting_id: UUID, pain_point_id: UUID, *, by: UUID) -> Outcome:
        """Record that an agenda item was presented; the pain point is then 'presented'."""
        self.require_board(by)
        meeting = self.load(BoardMeeting, meeting_id, "meeting")
        at = self.clock()
        today = calendar.today(at, self.time_zone)
        if not meeting.mark_presented(pain_point_id, by=by, at=at, today=today):
            return Outcome(meeting_id, False, None)
        pain_point = self.load(PainPoint, pain_point_id, "pain point")
        if pain_point.status in (ESCALATED, ANSWERED):
            pain_point.change_status(
                PRESENTED,
                presented_at(meeting.name, meeting.held_on),
                allowed=frozenset({PRESENTED}),
                by=by,
                at=at,
            )
        return Outcome(meeting_id, True, self.store(meeting, pain_point))

    def require_vendor(self, by: UUID) -> None:
        if not self.actor(by).has_role("vendor"):
            raise PermissionDenied("vendor.representatives_only")

    @retried
    def respond(
        self,
        pain_point_id: UUID,
        *,
        kind: str,
        text: str,
        product_group: str,
        commitment: str = "",
        due_on: str = "",
        by: UUID,
        key: str | None = None,
    ) -> Outcome:
        """The vendor's official response; an escalated or presented item becomes answered."""
        pain_point = self.load(PainPoint, pain_point_id, "pain point")
        group = self.load(WorkingGroup, pain_point.group_id, "pain point", readonly=True)
        if not self.can_see_pain_point(by, group, pain_point.status):
            raise NotFound("pain_point.not_found")
        self.require_vendor(by)
        if not visibility.vendor_sees_status(pain_point.status):
            raise NotFound("pain_point.not_found")
        response_id = self.new_id("response", by, key)
        if key and self.exists(response_id):
            return Outcome(response_id, changed=False, position=None)
        at = self.clock()
        response = VendorResponse.post(
            pain_point.id,
            pain_point.group_id,
            kind=kind,
            text=text,
            product_group=product_group,
            commitment=commitment,
            due_on=due_on,
            by=by,
            at=at,
            id=response_id,
            today=calendar.today(at, self.time_zone),
        )
        if pain_point.status in (ESCALATED, PRESENTED):
            pain_point.change_status(
                ANSWERED, VENDOR_RESPONDED, allowed=frozenset({ANSWERED}), by=by, at=at
            )
        return Outcome(response_id, True, self.store(response, pain_point))

    @retried
    def settle_commitment(self, response_id: UUID, met: bool, note: str, *, by: UUID) -> Outcome:
        self.require_board(by)
        response = self.load(VendorResponse, response_id, "vendor response")
        at = self.clock()
        response.settle(met, note, by=by, at=at, today=calendar.today(at, self.time_zone))
        return Outcome(response_id, True, self.store(response))

    @retried
    def note_overdue(self, response_id: UUID) -> Outcome:
        """The worker's job: record that an open commitment's target date has passed."""
        response = self.load(VendorResponse, response_id, "vendor response")
        at = self.clock()
        changed = response.note_overdue(today=calendar.today(at, self.time_zone), at=at)
        return Outcome(response_id, changed, self.store(response) if changed else None)

    @retried
    def issue_dossier(
        self,
        definition: dict[str, Any],
        files: dict[str, str],
        content_hash: str,
        title: str,
        *,
        by: UUID,
        key: str | None = None,
        seal: Seal | None = None,
    ) -> Outcome:
        """Record a briefing dossier the board issues: its definition, file hashes and seal."""
        self.require_board(by)
        dossier_id = self.new_id("dossier", by, key)
        if key and self.exists(dossier_id):
            return Outcome(dossier_id, False, None)
        dossier = Dossier.issue(
            definition, files, content_hash, title, by=by, at=self.clock(), id=dossier_id,
            seal=seal,
        )  # fmt: skip
        return Outcome(dossier_id, True, self.store(dossier))
