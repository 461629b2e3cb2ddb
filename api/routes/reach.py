"""Which working groups' pain points a caller reaches on the board's and vendor's routes."""

from __future__ import annotations

from dataclasses import dataclass

from domain import visibility
from domain.errors import NotFound
from domain.person import Person
from projections.directory_view import groups_of
from projections.store import Cursor


def is_board_or_admin(person: Person) -> bool:
    return visibility.is_board_or_admin(person.roles)


def require_board_or_admin(person: Person, what: str) -> None:
    """The board's area (`what` names the part of it) is not there for anyone but the
    board and admins: 404, as on the web."""
    if not is_board_or_admin(person):
        raise NotFound("page.not_found")


def promises_reach(person: Person, cur: Cursor) -> list[str] | None:
    """The groups whose promises the caller reads (None: every group); NotFound for
    whom the ledger does not exist (domain.visibility.sees_promises)."""
    if is_board_or_admin(person):
        return None
    led = sorted(reach(person, cur).led)
    if not visibility.sees_promises(person.roles, leads_any_group=bool(led)):
        raise NotFound("page.not_found")
    return led


def require_vendor_reader(person: Person) -> None:
    """The vendor's area is not there for anyone but the vendor, the board and admins."""
    if not visibility.sees_vendor_area(person.roles):
        raise NotFound("page.not_found")


@dataclass(frozen=True)
class Reach:
    """Board and admins reach every group, members their own groups, and vendor
    representatives the pain points in a status the vendor sees."""

    everything: bool
    vendor: bool
    groups: frozenset[str]
    led: frozenset[str]
    roles: frozenset[str] = frozenset()

    def sees(self, group_id: str, status: str) -> bool:
        """domain.visibility.sees_pain_point for this caller."""
        return visibility.sees_pain_point(self.roles, member=group_id in self.groups, status=status)


def reach(person: Person, cur: Cursor) -> Reach:
    memberships = groups_of(cur, person.id.hex)
    return Reach(
        everything=is_board_or_admin(person),
        vendor=person.has_role("vendor"),
        roles=frozenset(person.roles),
        groups=frozenset(g["id"] for g in memberships),
        led=frozenset(g["id"] for g in memberships if g["is_lead"]),
    )
