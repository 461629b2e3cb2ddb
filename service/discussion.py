"""Commands on what members add to a pain point: comments and evidence."""

from __future__ import annotations

from uuid import UUID

from domain.comment import Comment
from domain.errors import PermissionDenied
from domain.evidence import Evidence, clean_evidence
from domain.painpoint import PainPoint
from domain.workinggroup import WorkingGroup
from service.core import Outcome, Service, retried


class Discussion(Service):
    def _visible_pain_point(self, pain_point_id: UUID, by: UUID) -> tuple[PainPoint, WorkingGroup]:
        pain_point = self.load(PainPoint, pain_point_id, "pain point", readonly=True)
        group = self.load(WorkingGroup, pain_point.group_id, "pain point", readonly=True)
        self.require_visible(by, group, "pain point")
        return pain_point, group

    def _require_moderator(self, group_id: UUID, by: UUID) -> None:
        group = self.load(WorkingGroup, group_id, "working group", readonly=True)
        if not (group.is_lead(by) or self.is_admin(by)):
            raise PermissionDenied("group.leads_or_admin_remove")

    @retried
    def post_comment(
        self, pain_point_id: UUID, text: str, *, by: UUID, key: str | None = None
    ) -> Outcome:
        comment_id = self.new_id("comment", by, key)
        if key and self.exists(comment_id):
            return Outcome(comment_id, changed=False, position=None)
        pain_point, group = self._visible_pain_point(pain_point_id, by)
        self.make_key(by)
        comment = Comment.post(
            pain_point.id,
            group.id,
            text,
            by=by,
            for_company=self.actor(by).company_id,
            at=self.clock(),
            id=comment_id,
        )
        return Outcome(comment_id, True, self.store(comment))

    @retried
    def edit_comment(self, comment_id: UUID, text: str, *, by: UUID) -> Outcome:
        comment = self.load(Comment, comment_id, "comment")
        self._visible_pain_point(comment.pain_point_id, by)
        changed = comment.edit(text, by=by, at=self.clock())
        return Outcome(comment_id, changed, self.store(comment))

    @retried
    def remove_comment(self, comment_id: UUID, reason: str, *, by: UUID) -> Outcome:
        comment = self.load(Comment, comment_id, "comment")
        self._visible_pain_point(comment.pain_point_id, by)
        self._require_moderator(comment.group_id, by)
        comment.remove(reason, by=by, at=self.clock())
        return Outcome(comment_id, True, self.store(comment))

    @retried
    def add_evidence(
        self,
        pain_point_id: UUID,
        *,
        affected_customers: int,
        revenue_band: str,
        product_area: str,
        link: str,
        note: str,
        by: UUID,
        key: str | None = None,
    ) -> Outcome:
        evidence_id = self.new_id("evidence", by, key)
        if key and self.exists(evidence_id):
            return Outcome(evidence_id, changed=False, position=None)
        pain_point, group = self._visible_pain_point(pain_point_id, by)
        company = self.acting_company(by, group)
        facts = clean_evidence(affected_customers, revenue_band, product_area, link, note)
        self.make_key(by)
        evidence = Evidence.add(
            pain_point.id,
            group.id,
            facts,
            by=by,
            for_company=company,
            at=self.clock(),
            id=evidence_id,
        )
        return Outcome(evidence_id, True, self.store(evidence))

    @retried
    def edit_evidence(
        self,
        evidence_id: UUID,
        *,
        affected_customers: int,
        revenue_band: str,
        product_area: str,
        link: str,
        note: str,
        by: UUID,
    ) -> Outcome:
        evidence = self.load(Evidence, evidence_id, "evidence")
        self._visible_pain_point(evidence.pain_point_id, by)
        facts = clean_evidence(affected_customers, revenue_band, product_area, link, note)
        changed = evidence.edit(facts, by=by, at=self.clock())
        return Outcome(evidence_id, changed, self.store(evidence))

    @retried
    def remove_evidence(self, evidence_id: UUID, reason: str, *, by: UUID) -> Outcome:
        evidence = self.load(Evidence, evidence_id, "evidence")
        self._visible_pain_point(evidence.pain_point_id, by)
        self._require_moderator(evidence.group_id, by)
        evidence.remove(reason, by=by, at=self.clock())
        return Outcome(evidence_id, True, self.store(evidence))
