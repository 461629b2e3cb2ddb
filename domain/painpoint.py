"""A key pain point: a problem partners have with the vendor, raised in a group."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, Invalid, PermissionDenied
from domain.rules import (
    MAX_DESCRIPTION,
    MAX_REASON,
    MAX_TITLE,
    clean_tags,
    clean_text,
)
from domain.workflow import EDIT_CLOSED, MERGED, NEW, OPEN_STATUSES, WITHDRAWN, may_edit

OPEN = NEW


class PainPoint(Aggregate):
    @event("Submitted")
    def __init__(
        self,
        id: UUID,
        group_id: UUID,
        title: str,
        description: str,
        tags: list[str],
        by: UUID,
        for_company: UUID,
        timestamp: datetime,
    ) -> None:
        self.group_id = group_id
        self.title = title
        self.description = description
        self.tags = tags
        self.submitted_by = by
        self.for_company = for_company
        self.status = OPEN
        self.merged_into: UUID | None = None
        self.merged_from: list[UUID] = []
        self.status_before_merge = OPEN

    @classmethod
    def submit(
        cls,
        group_id: UUID,
        title: str,
        description: str,
        tags: list[str],
        *,
        by: UUID,
        for_company: UUID,
        at: datetime,
        id: UUID,
    ) -> PainPoint:
        return cls(
            id=id,
            group_id=group_id,
            title=clean_title(title),
            description=clean_description(description),
            tags=clean_tags(tags),
            by=by,
            for_company=for_company,
            timestamp=at,
        )

    def edit(
        self,
        *,
        title: str | None = None,
        description: str | None = None,
        tags: list[str] | None = None,
        by: UUID,
        moderator: bool,
        at: datetime,
    ) -> bool:
        """Change the texts given (None: keep); False when nothing changed.

        Its author may edit it until the group's leads triage it (`AUTHOR_EDITS`);
        a lead or admin (`moderator`) as long as it is neither withdrawn nor merged.
        The texts follow the rules of submission."""
        author = by == self.submitted_by
        if not (author or moderator):
            raise PermissionDenied("pain_point.edit_not_allowed")
        if not may_edit(self.status, author=author, moderator=moderator):
            if self.status in EDIT_CLOSED:
                raise Conflict("pain_point.edit_closed", status=self.status)
            raise Conflict("pain_point.edit_after_triage", status=self.status)
        new_title = None if title is None else clean_title(title)
        new_description = None if description is None else clean_description(description)
        new_tags = None if tags is None else clean_tags(tags)
        if new_title == self.title:
            new_title = None
        if new_description == self.description:
            new_description = None
        if new_tags == self.tags:
            new_tags = None
        if new_title is None and new_description is None and new_tags is None:
            return False
        self._edit(title=new_title, description=new_description, tags=new_tags, by=by, timestamp=at)
        return True

    @event("Edited")
    def _edit(
        self,
        title: str | None,
        description: str | None,
        tags: list[str] | None,
        by: UUID,
        timestamp: datetime,
    ) -> None:
        """Only the changed fields are given; None: unchanged."""
        if title is not None:
            self.title = title
        if description is not None:
            self.description = description
        if tags is not None:
            self.tags = tags

    @property
    def is_withdrawn(self) -> bool:
        return self.status == WITHDRAWN

    def withdraw(self, reason: str, *, by: UUID, at: datetime) -> None:
        if self.is_withdrawn:
            raise Conflict("pain_point.already_withdrawn")
        if self.status == MERGED or self.merged_from:
            raise Conflict("pain_point.merged_cannot_withdraw")
        reason = clean_text(reason, field="reason", max_len=MAX_REASON, required=False)
        self._withdraw(reason=reason, by=by, timestamp=at)

    @event("Withdrawn")
    def _withdraw(self, reason: str, by: UUID, timestamp: datetime) -> None:
        self.status = WITHDRAWN

    @property
    def is_open(self) -> bool:
        """Ranked and open to support."""
        return self.status in OPEN_STATUSES

    def change_status(
        self, status: str, reason: str, *, allowed: frozenset[str], by: UUID, at: datetime
    ) -> None:
        """Move through the workflow; `allowed` are the moves the actor may make now."""
        if status not in allowed:
            raise Invalid(
                "pain_point.move_not_allowed", field="status", status=self.status, target=status
            )
        reason = clean_text(reason, field="reason", max_len=MAX_REASON)
        self._change_status(status=status, reason=reason, by=by, timestamp=at)

    @event("StatusChanged")
    def _change_status(self, status: str, reason: str, by: UUID, timestamp: datetime) -> None:
        self.status = status

    def merge_into(self, target: PainPoint, reason: str, *, by: UUID, at: datetime) -> None:
        """Merge this duplicate into `target`; its supporters count there from now on."""
        if target.id == self.id:
            raise Invalid("merge.into_itself", field="target_id")
        if target.group_id != self.group_id:
            raise Invalid("merge.other_group", field="target_id")
        if self.status in (WITHDRAWN, MERGED) or self.merged_from:
            raise Conflict("merge.source_not_mergeable")
        if target.status in (WITHDRAWN, MERGED):
            raise Conflict("merge.target_closed", field="target_id")
        if not target.is_open:
            raise Conflict("merge.target_not_open", field="target_id", status=target.status)
        reason = clean_text(reason, field="reason", max_len=MAX_REASON)
        self._merge(target_id=target.id, reason=reason, by=by, timestamp=at)
        target._carry_over(source_id=self.id, by=by, timestamp=at)

    @event("MergedInto")
    def _merge(self, target_id: UUID, reason: str, by: UUID, timestamp: datetime) -> None:
        self.status_before_merge = self.status
        self.status = MERGED
        self.merged_into = target_id

    @event("SupportCarriedOver")
    def _carry_over(self, source_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.merged_from = [*self.merged_from, source_id]

    def unmerge(self, target: PainPoint, reason: str, *, by: UUID, at: datetime) -> None:
        """Undo a merge: this pain point returns exactly as it was before."""
        if self.status != MERGED or self.merged_into != target.id:
            raise Conflict("merge.not_merged")
        reason = clean_text(reason, field="reason", max_len=MAX_REASON)
        self._unmerge(
            target_id=target.id,
            restored_status=self.status_before_merge,
            reason=reason,
            by=by,
            timestamp=at,
        )
        target._release(source_id=self.id, by=by, timestamp=at)

    @event("Unmerged")
    def _unmerge(
        self, target_id: UUID, restored_status: str, reason: str, by: UUID, timestamp: datetime
    ) -> None:
        self.status = restored_status
        self.merged_into = None

    @event("SupportReleased")
    def _release(self, source_id: UUID, by: UUID, timestamp: datetime) -> None:
        self.merged_from = [s for s in self.merged_from if s != source_id]


def clean_title(title: str) -> str:
    """A pain point's title as submitted or edited (required, at most MAX_TITLE)."""
    return clean_text(title, field="title", max_len=MAX_TITLE)


def clean_description(description: str) -> str:
    """A pain point's description as submitted or edited (optional)."""
    return clean_text(description, field="description", max_len=MAX_DESCRIPTION, required=False)
