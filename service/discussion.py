"""Commands on what members add to a pain point: comments and evidence."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.comment import Comment
from domain.errors import Invalid, PermissionDenied
from domain.evidence import Evidence, clean_evidence
from domain.mentions import mentioned
from domain.painpoint import PainPoint
from domain.person import Person
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

    def _check_mentions(
        self, pain_point: PainPoint, group: WorkingGroup, text: str, by: UUID
    ) -> None:
        """Everyone the text mentions is someone `by` may mention, and active."""
        people = mentioned(text)
        if not people:
            return
        may = self.mentionable(by, group, pain_point.submitted_by)
        for person_id in people:
            person = self.find(Person, person_id, readonly=True)
            if not may(person_id) or person is None or person.erased or not person.is_active:
                raise Invalid("comment.mention_not_allowed", field="mentions")

    @retried
    def post_comment(
        self,
        pain_point_id: UUID,
        text: str,
        *,
        by: UUID,
        key: str | None = None,
        mentions: Sequence[UUID] = (),
    ) -> Outcome:
        """Post a comment; its text names each of `mentions` by token (domain.mentions)."""
        comment_id = self.new_id("comment", by, key)
        if key and self.exists(comment_id):
            return Outcome(comment_id, changed=False, position=None)
        pain_point, group = self._visible_pain_point(pain_point_id, by)
        comment = Comment.post(
            pain_point.id,
            group.id,
            text,
            by=by,
            for_company=self.actor(by).company_id,
            at=self.clock(),
            id=comment_id,
            mentions=mentions,
        )
        self._check_mentions(pain_point, group, text, by)
        self.make_key(by)
        return Outcome(comment_id, True, self.store(comment))

    @retried
    def edit_comment(
        self, comment_id: UUID, text: str, *, by: UUID, mentions: Sequence[UUID] = ()
    ) -> Outcome:
        comment = self.load(Comment, comment_id, "comment")
        pain_point, group = self._visible_pain_point(comment.pain_point_id, by)
        changed = comment.edit(text, by=by, at=self.clock(), mentions=mentions)
        if changed:
            self._check_mentions(pain_point, group, text, by)
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
