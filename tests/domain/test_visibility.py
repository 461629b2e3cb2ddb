"""Who may see what (domain/visibility.py): the rules every way in asks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import visibility as v
from domain.workflow import ALL_STATUSES, VENDOR_VISIBLE

ROLES = ("admin", "board", "vendor")
role_sets = st.frozensets(st.sampled_from(ROLES))


@pytest.mark.parametrize(
    ("roles", "member", "contents"),
    [
        ((), True, True),
        ((), False, False),
        (("board",), False, True),
        (("admin",), False, True),
        (("vendor",), False, False),
    ],
)
def test_a_groups_contents_are_for_its_members_the_board_and_admins(
    roles: tuple[str, ...], member: bool, contents: bool
) -> None:
    assert v.sees_group_contents(roles, member=member) is contents


@pytest.mark.parametrize(
    ("roles", "directory"),
    [
        ((), True),
        (("board",), True),
        (("admin",), True),
        (("vendor",), False),
        (("vendor", "board"), True),
        (("vendor", "admin"), True),
    ],
)
def test_the_directory_is_for_everyone_but_the_vendor(
    roles: tuple[str, ...], directory: bool
) -> None:
    assert v.sees_group_directory(roles) is directory


@given(role_sets, st.booleans())
def test_who_sees_a_groups_contents_sees_its_directory_entry(
    roles: frozenset[str], member: bool
) -> None:
    """No one reaches a group's contents without also seeing it in the directory, unless
    they are a member (a vendor representative enrolled by an admin)."""
    if v.sees_group_contents(roles, member=member) and not member:
        assert v.sees_group_directory(roles)


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_the_vendor_sees_a_pain_point_from_its_escalation_on(status: str) -> None:
    seen = v.sees_pain_point(("vendor",), member=False, status=status)
    assert seen is (status in VENDOR_VISIBLE)


@given(role_sets, st.booleans(), st.sampled_from(ALL_STATUSES))
def test_a_vendor_who_is_no_member_never_sees_a_name(
    roles: frozenset[str], member: bool, status: str
) -> None:
    vendor_only = "vendor" in roles and not member and not v.is_board_or_admin(roles)
    if vendor_only:
        assert not v.sees_names(roles, member=member)
        for setting in ("leads", "members"):
            assert not v.sees_supporter_names(roles, member=member, lead=False, setting=setting)
    if v.sees_names(roles, member=member):
        assert v.sees_pain_point(roles, member=member, status=status)


@pytest.mark.parametrize(
    ("roles", "member", "lead", "setting", "sees"),
    [
        ((), True, True, "leads", True),
        ((), True, False, "leads", False),
        ((), True, False, "members", True),
        ((), False, False, "members", False),
        (("board",), False, False, "leads", True),
        (("vendor",), False, False, "members", False),
    ],
)
def test_supporter_names_follow_the_groups_setting(
    roles: tuple[str, ...], member: bool, lead: bool, setting: str, sees: bool
) -> None:
    assert v.sees_supporter_names(roles, member=member, lead=lead, setting=setting) is sees


@pytest.mark.parametrize(
    ("roles", "leads", "area", "promises"),
    [
        (("vendor",), False, True, False),
        (("board",), False, True, True),
        ((), True, False, True),
        ((), False, False, False),
    ],
)
def test_the_vendor_area_and_the_promises(
    roles: tuple[str, ...], leads: bool, area: bool, promises: bool
) -> None:
    assert v.sees_vendor_area(roles) is area
    assert v.sees_promises(roles, leads_any_group=leads) is promises
