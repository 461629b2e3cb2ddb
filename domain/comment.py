"""Comments on a pain point: editable by their author for a while, removable by a lead.

A comment's text is personal data of its author (stored encrypted, domain.personal).
Its @mentions are tokens in the text and a list of person ids in the event
(domain.mentions): never names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, PermissionDenied
from domain.limits import MAX_COMMENT
from domain.mentions import check
from domain.personal import Personal
from domain.rules import MAX_REASON, clean_text

#: How long after posting (or after the last edit's original post) an author may edit.
EDIT_WINDOW = timedelta(minutes=30)


class Comment(Aggregate):
    @event("Posted")
    def __init__(
        self,
        id: UUID,
        pain_point_id: UUID,
        group_id: UUID,
        text: Personal,
        by: UUID,
        for_company: UUID | None,
        timestamp: datetime,
        mentions: Sequence[UUID] = (),
    ) -> None:
        self.pain_point_id = pain_point_id
        self.group_id = group_id
        self._text = text
        self.author = by
        self.posted_at = timestamp
        self.removed = False
        self.mentions = list(mentions)

    @classmethod
    def post(
        cls,
        pain_point_id: UUID,
        group_id: UUID,
        text: str,
        *,
        by: UUID,
        for_company: UUID | None,
        at: datetime,
        id: UUID,
        mentions: Sequence[UUID] = (),
    ) -> Comment:
        """Post a comment; `mentions` must be exactly who the text's tokens name (the
        service checks that the writer may mention each)."""
        text = clean_text(text, field="text", max_len=MAX_COMMENT)
        return cls(
            id=id,
            pain_point_id=pain_point_id,
            group_id=group_id,
            text=Personal(by, text),
            by=by,
            for_company=for_company,
            timestamp=at,
            mentions=check(text, mentions),
        )

    def edit(self, text: str, *, by: UUID, at: datetime, mentions: Sequence[UUID] = ()) -> bool:
        if self.removed:
            raise Conflict("comment.removed")
        if by != self.author:
            raise PermissionDenied("comment.author_only")
        if at - self.posted_at > EDIT_WINDOW:
            minutes = int(EDIT_WINDOW.total_seconds() // 60)
            raise Conflict("comment.edit_window", minutes=minutes)
        text = clean_text(text, field="text", max_len=MAX_COMMENT)
        found = check(text, mentions)
        if text == self.text:
            return False
        self._edit(text=Personal(self.author, text), by=by, timestamp=at, mentions=found)
        return True

    @property
    def text(self) -> str:
        """The text ("" once its author is erased)."""
        return self._text.shown

    @event("Edited")
    def _edit(
        self, text: Personal, by: UUID, timestamp: datetime, mentions: Sequence[UUID] = ()
    ) -> None:
        self._text = text
        self.mentions = list(mentions)

    def remove(self, reason: str, *, by: UUID, at: datetime) -> None:
        if self.removed:
            raise Conflict("comment.already_removed")
        reason = clean_text(reason, field="reason", max_len=MAX_REASON)
        self._remove(reason=reason, by=by, timestamp=at)

    @event("Removed")
    def _remove(self, reason: str, by: UUID, timestamp: datetime) -> None:
        self.removed = True
