"""Which working groups' pain points a caller reaches on the board's and vendor's routes."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import PermissionDenied
from domain.person import Person
from domain.workflow import VENDOR_VISIBLE
from projections.directory_view import groups_of
from projections.store import Cursor


def is_board_or_admin(person: Person) -> bool:
    return person.has_role("board") or person.has_role("admin")


def require_board_or_admin(person: Person, what: str) -> None:
    """`what` names the thing in logs and docs; the refusal is the same for all."""
    if not is_board_or_admin(person):
        raise PermissionDenied("board_or_admin.required", what=what)


def require_vendor_reader(person: Person) -> None:
    if not (person.has_role("vendor") or is_board_or_admin(person)):
        raise PermissionDenied("vendor.readers_only")


@dataclass(frozen=True)
class Reach:
    """Board and admins reach every group, members their own groups, and vendor
    representatives the pain points in a status the vendor sees."""

    everything: bool
    vendor: bool
    groups: frozenset[str]
    led: frozenset[str]

    def sees(self, group_id: str, status: str) -> bool:
        return (
            self.everything or group_id in self.groups or (self.vendor and status in VENDOR_VISIBLE)
        )


def reach(person: Person, cur: Cursor) -> Reach:
    memberships = groups_of(cur, person.id.hex)
    return Reach(
        everything=is_board_or_admin(person),
        vendor=person.has_role("vendor"),
        groups=frozenset(g["id"] for g in memberships),
        led=frozenset(g["id"] for g in memberships if g["is_lead"]),
    )
