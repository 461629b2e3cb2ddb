"""Commands to follow and unfollow pain points and working groups (domain/follow.py)."""

from __future__ import annotations

from uuid import UUID

from domain.errors import not_found
from domain.follow import ALL, DIGEST, PAIN_POINT, WORKING_GROUP, Follow, follow_id
from domain.painpoint import PainPoint
from domain.workinggroup import WorkingGroup
from service.core import Outcome, Service, retried


class Following(Service):
    def _require_followable(self, kind: str, target_id: UUID, by: UUID) -> None:
        """Only what the actor may see can be followed (404 otherwise)."""
        if kind == PAIN_POINT:
            pain_point = self.load(PainPoint, target_id, "pain point", readonly=True)
            group = self.load(WorkingGroup, pain_point.group_id, "pain point", readonly=True)
            if not self.can_see_pain_point(by, group, pain_point.status):
                raise not_found("pain point")
        else:
            group = self.load(WorkingGroup, target_id, "working group", readonly=True)
            if not self.can_see_group(by, group):
                raise not_found("working group")

    @retried
    def follow(self, kind: str, target_id: UUID, *, by: UUID, level: str = ALL) -> Outcome:
        """Follow a pain point or group (again); idempotent."""
        self._require_followable(kind, target_id, by)
        self.actor(by)
        existing = self.find(Follow, follow_id(by, target_id))
        if existing is None:
            follow = Follow.start(kind, target_id, level=level, by=by, at=self.clock())
            return Outcome(follow.id, True, self.store(follow))
        changed = existing.resume(level=level, at=self.clock())
        return Outcome(existing.id, changed, self.store(existing) if changed else None)

    @retried
    def unfollow(self, kind: str, target_id: UUID, *, by: UUID) -> Outcome:
        """Stop following, also what one followed as author, supporter or member."""
        self._require_followable(kind, target_id, by)
        self.actor(by)
        existing = self.find(Follow, follow_id(by, target_id))
        at = self.clock()
        if existing is None:
            level = DIGEST if kind == WORKING_GROUP else ALL
            existing = Follow.start(kind, target_id, level=level, by=by, at=at)
            existing.stop(at=at)
            return Outcome(existing.id, True, self.store(existing))
        changed = existing.stop(at=at)
        return Outcome(existing.id, changed, self.store(existing) if changed else None)
