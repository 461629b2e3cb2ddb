"""`WorkingGroup.is_member` answers from a set made once per member list
(domain.workinggroup.as_set): the same answers as the list, through any sequence of
enrolments and removals, copies, snapshots and more groups than the sets it keeps."""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, datetime
from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from domain import workinggroup
from domain.workinggroup import WorkingGroup

AT = datetime(2026, 1, 5, 9, tzinfo=UTC)
PEOPLE = [UUID(int=n + 1) for n in range(12)]
BY = uuid4()


@given(st.lists(st.tuples(st.booleans(), st.sampled_from(PEOPLE)), max_size=40))
def test_is_member_agrees_with_the_list(steps: list[tuple[bool, UUID]]) -> None:
    group = WorkingGroup.found("Nord", "regional", "", by=BY, at=AT, id=uuid4())
    for enrol, person in steps:
        before = deepcopy(group)  # a copy answers for its own list
        if enrol:
            group.enrol(person, by=BY, at=AT)
        else:
            group.remove_member(person, by=BY, at=AT)
        for someone in PEOPLE:
            assert group.is_member(someone) == (someone in group.members)
            assert before.is_member(someone) == (someone in before.members)


def test_more_groups_than_the_sets_kept() -> None:
    groups = []
    for n in range(workinggroup._MAX_SETS * 2 + 3):
        group = WorkingGroup.found(f"Gruppe {n}", "thematic", "", by=BY, at=AT, id=uuid4())
        group.enrol(PEOPLE[n % len(PEOPLE)], by=BY, at=AT)
        groups.append(group)
    for n, group in enumerate(groups):
        assert group.is_member(PEOPLE[n % len(PEOPLE)])
        assert not group.is_member(PEOPLE[(n + 1) % len(PEOPLE)])
    assert len(workinggroup._SETS) <= workinggroup._MAX_SETS
