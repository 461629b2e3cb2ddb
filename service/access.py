"""Who may do what: the authorization rules every way in (API, web, CLI) shares."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain import visibility
from domain.company import MemberCompany
from domain.errors import NotFound, PermissionDenied, not_found
from domain.ids import SYSTEM
from domain.person import Person
from domain.workinggroup import WorkingGroup

A = TypeVar("A", bound=Aggregate)


class Access(ABC):
    @abstractmethod
    def load(self, cls: type[A], aggregate_id: UUID, what: str, *, readonly: bool = False) -> A:
        """Load an aggregate or raise NotFound; `readonly` ones must not be changed."""

    def actor(self, by: UUID) -> Person:
        """The acting person, read-only: load the person anew to change them."""
        try:
            return self.load(Person, by, "person", readonly=True)
        except NotFound:
            raise PermissionDenied("actor.unknown") from None

    def is_admin(self, by: UUID) -> bool:
        return by == SYSTEM or self.actor(by).has_role("admin")

    def is_board(self, by: UUID) -> bool:
        return self.actor(by).has_role("board")

    def require_admin(self, by: UUID) -> None:
        if not self.is_admin(by):
            raise PermissionDenied("admin.required")

    def can_see_group(self, by: UUID, group: WorkingGroup) -> bool:
        """Whether `by` sees the group's contents (domain.visibility.sees_group_contents)."""
        if by == SYSTEM or group.is_member(by):
            return True
        return visibility.sees_group_contents(self.actor(by).roles, member=False)

    def can_see_pain_point(self, by: UUID, group: WorkingGroup, status: str) -> bool:
        """Whether `by` sees a pain point of `group` in `status` (domain.visibility)."""
        if by == SYSTEM or group.is_member(by):
            return True
        return visibility.sees_pain_point(self.actor(by).roles, member=False, status=status)

    def require_visible(self, by: UUID, group: WorkingGroup, what: str) -> None:
        """Hide what the actor may not see behind NotFound, not PermissionDenied.

        Pages and routes that show people's names (a pain point's detail, history,
        comments, supporters) pass through here: domain.visibility.sees_names is
        sees_group_contents, so the vendor, who is no member, never reaches a name."""
        if not self.can_see_group(by, group):
            raise not_found(what)

    def require_directory(self, by: UUID) -> None:
        """The group directory is hidden (404) from those it is not for: the vendor's
        representatives (domain.visibility.sees_group_directory)."""
        if by != SYSTEM and not visibility.sees_group_directory(self.actor(by).roles):
            raise not_found("working group")

    def sees_supporter_names(self, by: UUID, group: WorkingGroup) -> bool:
        """Leads, the board and admins always see who supports; members only when the
        group says so (`supporter_names == "members"`); vendors never."""
        if by == SYSTEM:
            return True
        return visibility.sees_supporter_names(
            self.actor(by).roles,
            member=group.is_member(by),
            lead=group.is_lead(by),
            setting=group.supporter_names,
        )

    def sees_name_of(self, by: UUID, group: WorkingGroup, author: UUID) -> Callable[[UUID], bool]:
        """Whose names `by` sees among the group's people on a pain point by `author`
        (an @mention as the reader sees it: domain.visibility.sees_name_in_group)."""
        if by == SYSTEM:
            return lambda other: True
        roles = self.actor(by).roles
        member, lead, setting = group.is_member(by), group.is_lead(by), group.supporter_names

        def sees(other: UUID) -> bool:
            return visibility.sees_name_in_group(
                roles, member=member, lead=lead, setting=setting,
                of_lead=group.is_lead(other), of_author=other == author,
            )  # fmt: skip

        return sees

    def mentionable(self, by: UUID, group: WorkingGroup, author: UUID) -> Callable[[UUID], bool]:
        """Whom `by` may @mention on a pain point of `group` by `author` (never
        themselves; domain.visibility.may_mention)."""
        roles = self.actor(by).roles
        member, lead, setting = group.is_member(by), group.is_lead(by), group.supporter_names

        def may(other: UUID) -> bool:
            return other != by and visibility.may_mention(
                roles, member=member, lead=lead, setting=setting,
                of_member=group.is_member(other), of_lead=group.is_lead(other),
                of_author=other == author,
            )  # fmt: skip

        return may

    def require_may_mention(self, by: UUID) -> None:
        """The vendor's representatives mention nobody (403 for the name lookup)."""
        if self.actor(by).has_role(visibility.VENDOR):
            raise PermissionDenied("comment.mentions_not_for_vendor")

    def acting_company(self, by: UUID, group: WorkingGroup) -> UUID:
        """The member company on whose behalf `by` acts in `group`."""
        if not group.is_member(by):
            raise PermissionDenied("group.members_only")
        return self.active_company(by)

    def active_company(self, by: UUID) -> UUID:
        """The member company `by` works for, while it is a member and they are active:
        who acts in a group, or asks to join one, does so for their company."""
        person = self.actor(by)
        if not person.is_active:
            raise PermissionDenied("person.deactivated")
        if person.company_id is None:
            raise PermissionDenied("group.company_people_only")
        company = self.load(MemberCompany, person.company_id, "company", readonly=True)
        if not company.is_member:
            raise PermissionDenied("membership.ended")
        return company.id
