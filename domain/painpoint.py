"""A key pain point: a problem partners have with the vendor, raised in a group."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict
from domain.rules import (
    MAX_DESCRIPTION,
    MAX_REASON,
    MAX_TITLE,
    clean_tags,
    clean_text,
)

OPEN = "new"
WITHDRAWN = "withdrawn"


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
            title=clean_text(title, field="title", max_len=MAX_TITLE),
            description=clean_text(
                description,
                field="description",
                max_len=MAX_DESCRIPTION,
                required=False,
            ),
            tags=clean_tags(tags),
            by=by,
            for_company=for_company,
            timestamp=at,
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.status == WITHDRAWN

    def withdraw(self, reason: str, *, by: UUID, at: datetime) -> None:
        if self.is_withdrawn:
            raise Conflict("the pain point has already been withdrawn")
        reason = clean_text(reason, field="reason", max_len=MAX_REASON, required=False)
        self._withdraw(reason=reason, by=by, timestamp=at)

    @event("Withdrawn")
    def _withdraw(self, reason: str, by: UUID, timestamp: datetime) -> None:
        self.status = WITHDRAWN
