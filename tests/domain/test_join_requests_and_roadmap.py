"""Asking to join a working group, taking the request back; the roadmap's columns."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Conflict
from domain.workflow import ALL_STATUSES, ROADMAP_COLUMNS, VENDOR_VISIBLE, roadmap_column
from domain.workinggroup import WorkingGroup

AT = datetime(2026, 5, 4, 9, tzinfo=UTC)
LEAD = UUID(int=1)


def a_group() -> WorkingGroup:
    group = WorkingGroup.found("Lizenzen", "thematic", "", by=LEAD, at=AT, id=uuid4())
    group.appoint_lead(LEAD, by=LEAD, at=AT)
    return group


def names(group: WorkingGroup) -> list[str]:
    return [type(e).__name__ for e in group.collect_events()]


def test_a_pending_request_can_be_withdrawn_by_its_person() -> None:
    # given a group with a pending request
    group, asking = a_group(), uuid4()
    group.request_join(asking, by=asking, at=AT)
    group.collect_events()
    # when the person takes it back
    group.withdraw_join(asking, by=asking, at=AT)
    # then it is no longer pending and the leads have nothing left to decide
    assert names(group) == ["JoinWithdrawn"]
    assert group.pending_joins() == []
    assert not group.is_member(asking)
    with pytest.raises(Conflict) as refused:
        group.decide_join(asking, True, by=LEAD, at=AT)
    assert refused.value.code == "join.no_request"


def test_withdrawing_without_a_pending_request_is_a_conflict() -> None:
    group, asking = a_group(), uuid4()
    with pytest.raises(Conflict) as refused:
        group.withdraw_join(asking, by=asking, at=AT)
    assert refused.value.code == "join.no_request"


def test_a_withdrawn_request_may_be_made_again_and_then_approved() -> None:
    group, asking = a_group(), uuid4()
    group.request_join(asking, by=asking, at=AT)
    group.withdraw_join(asking, by=asking, at=AT)
    assert group.request_join(asking, by=asking, at=AT)
    group.decide_join(asking, True, by=LEAD, at=AT)
    assert group.is_member(asking)
    assert group.pending_joins() == []


def settle(group: WorkingGroup, step: str, person: UUID) -> None:
    """Withdraw (w), approve (a) or decline (d) a person's request."""
    if step == "w":
        group.withdraw_join(person, by=person, at=AT)
    else:
        group.decide_join(person, step == "a", by=LEAD, at=AT)


@given(st.lists(st.tuples(st.sampled_from("rawd"), st.integers(0, 3)), max_size=30))
def test_pending_requests_are_exactly_those_asked_and_not_yet_settled(
    steps: list[tuple[str, int]],
) -> None:
    """Whatever the order of asking (r), approving (a), withdrawing (w) and declining
    (d): a person is pending exactly when they asked and nothing settled it since, and
    never both pending and a member."""
    group, people = a_group(), [UUID(int=100 + n) for n in range(4)]
    pending: set[UUID] = set()
    members: set[UUID] = {LEAD}
    for step, n in steps:
        person = people[n]
        if step == "r":
            group.request_join(person, by=person, at=AT)
            if person not in members:
                pending.add(person)
        elif person not in pending:
            with pytest.raises(Conflict):
                settle(group, step, person)
        else:
            settle(group, step, person)
            pending.discard(person)
            if step == "a":
                members.add(person)
        assert set(group.pending_joins()) == pending
        assert set(group.members) == members
        assert not pending & members


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_the_roadmap_shows_escalated_items_until_resolved_in_the_column_of_their_status(
    status: str,
) -> None:
    column = roadmap_column(status)
    if status in ("escalated", "presented", "answered", "resolved"):
        assert column == status
    else:
        assert column is None
    # the roadmap shows only what the vendor has been given, never before escalation
    if column is not None:
        assert status in VENDOR_VISIBLE


def test_the_roadmap_columns_follow_the_workflow() -> None:
    assert ROADMAP_COLUMNS == ("escalated", "presented", "answered", "resolved")
