"""Commands of the working-group leads and the board on a pain point's life."""

from __future__ import annotations

from uuid import UUID

from domain.errors import PermissionDenied
from domain.painpoint import PainPoint
from domain.workflow import moves_for
from domain.workinggroup import WorkingGroup
from service.core import Outcome, Service, retried


class Triage(Service):
    def _powers(self, group: WorkingGroup, by: UUID) -> tuple[bool, bool]:
        """(acts as a lead of the group, acts as the board); admins act as both."""
        admin = self.is_admin(by)
        return admin or group.is_lead(by), admin or self.is_board(by)

    @retried
    def change_status(self, pain_point_id: UUID, status: str, reason: str, *, by: UUID) -> Outcome:
        pain_point = self.load(PainPoint, pain_point_id, "pain point")
        group = self.load(WorkingGroup, pain_point.group_id, "pain point", readonly=True)
        self.require_visible(by, group, "pain point")
        lead, board = self._powers(group, by)
        if not (lead or board):
            raise PermissionDenied("group.leads_or_board_status")
        allowed = moves_for(pain_point.status, lead=lead, board=board)
        pain_point.change_status(status, reason, allowed=allowed, by=by, at=self.clock())
        return Outcome(pain_point_id, True, self.store(pain_point))

    def _require_lead(self, pain_point: PainPoint, by: UUID) -> None:
        group = self.load(WorkingGroup, pain_point.group_id, "pain point", readonly=True)
        self.require_visible(by, group, "pain point")
        if not self._powers(group, by)[0]:
            raise PermissionDenied("group.leads_only_merge")

    @retried
    def merge(self, source_id: UUID, target_id: UUID, reason: str, *, by: UUID) -> Outcome:
        """Merge a duplicate into its target; supporters of both count once."""
        source = self.load(PainPoint, source_id, "pain point")
        self._require_lead(source, by)
        target = self.load(PainPoint, target_id, "target pain point")
        target_group = self.load(WorkingGroup, target.group_id, "target pain point", readonly=True)
        self.require_visible(by, target_group, "target pain point")  # a lead's other groups: hidden
        source.merge_into(target, reason, by=by, at=self.clock())
        return Outcome(source_id, True, self.store(source, target))

    @retried
    def unmerge(self, source_id: UUID, reason: str, *, by: UUID) -> Outcome:
        """Undo a merge exactly: the duplicate returns with its own supporters."""
        source = self.load(PainPoint, source_id, "pain point")
        self._require_lead(source, by)
        if source.merged_into is None:
            return Outcome(source_id, False, None)
        target = self.load(PainPoint, source.merged_into, "target pain point")
        source.unmerge(target, reason, by=by, at=self.clock())
        return Outcome(source_id, True, self.store(source, target))
