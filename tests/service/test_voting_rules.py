"""Per-group voting rules: vote budgets (dot voting) and voting rounds.

Aggregate tests: given prior events, when one command, then the new events.
Application tests: the budget holds across pain points, rounds and races.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.ballot import Ballot
from domain.errors import Conflict, Invalid, NotFound, PermissionDenied
from domain.ids import SYSTEM
from domain.limits import MAX_BUDGET
from domain.workflow import RESOLVED
from domain.workinggroup import WorkingGroup
from tests.service.conftest import FakeClock
from tests.service.world import (
    World,
    given,
    history,
    new_events,
    nothing_stored,
    position,
    then,
)

AT = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
LEAD = uuid4()


def founded() -> WorkingGroup:
    group = WorkingGroup.found("Lizenzierung", "thematic", "", by=LEAD, at=AT, id=uuid4())
    return given(*history(group))


# -- the aggregate ----------------------------------------------------------------


def test_rules_are_recorded_with_the_moment_they_take_effect() -> None:
    group = founded()
    later = AT + timedelta(days=7)
    group.change_rules(
        5, True, "Dot voting before the Quality Board", effective_from=later, by=LEAD, at=AT
    )
    (changed,) = new_events(group, WorkingGroup.RulesChanged)
    assert (changed.version, changed.vote_budget, changed.rounds) == (1, 5, True)
    assert changed.effective_from == later
    assert group.rules_at(AT).vote_budget is None  # not yet in force
    assert group.rules_at(later).vote_budget == 5
    assert group.rules_at(later + timedelta(days=1)).rounds


def test_rules_never_take_effect_in_the_past() -> None:
    group = founded()
    with pytest.raises(Invalid, match="now or later"):
        group.change_rules(
            5, False, "backdated", effective_from=AT - timedelta(seconds=1), by=LEAD, at=AT
        )
    assert history(group) == []


@pytest.mark.parametrize("budget", [0, -1, MAX_BUDGET + 1])
def test_a_budget_is_between_one_and_the_maximum(budget: int) -> None:
    group = founded()
    with pytest.raises(Invalid, match="vote budget"):
        group.change_rules(budget, False, "why", effective_from=AT, by=LEAD, at=AT)
    assert history(group) == []


def test_rule_changes_need_a_reason() -> None:
    group = founded()
    with pytest.raises(Invalid):
        group.change_rules(3, False, "  ", effective_from=AT, by=LEAD, at=AT)


def test_later_versions_supersede_earlier_ones_from_their_moment() -> None:
    group = founded()
    group.change_rules(5, False, "first", effective_from=AT, by=LEAD, at=AT)
    group.change_rules(
        3,
        False,
        "tighter",
        effective_from=AT + timedelta(days=1),
        by=LEAD,
        at=AT + timedelta(hours=1),
    )
    assert [r.version for r in group.rule_versions()] == [1, 2]
    assert group.rules_at(AT + timedelta(hours=2)).vote_budget == 5
    assert group.rules_at(AT + timedelta(days=1)).vote_budget == 3


def test_rounds_open_and_close_only_when_the_group_votes_in_rounds() -> None:
    group = founded()
    with pytest.raises(Conflict, match="does not vote in rounds"):
        group.open_round("Spring", by=LEAD, at=AT)
    group.change_rules(None, True, "rounds", effective_from=AT, by=LEAD, at=AT)
    history(group)
    group.open_round("Spring", by=LEAD, at=AT + timedelta(hours=1))
    (opened,) = new_events(group, WorkingGroup.RoundOpened)
    assert (opened.number, opened.title) == (1, "Spring")
    with pytest.raises(Conflict, match="already open"):
        group.open_round("again", by=LEAD, at=AT + timedelta(hours=2))
    with pytest.raises(Conflict, match="before turning rounds off"):
        group.change_rules(
            None,
            False,
            "off",
            effective_from=AT + timedelta(hours=2),
            by=LEAD,
            at=AT + timedelta(hours=2),
        )
    group.close_round(by=LEAD, at=AT + timedelta(days=1))
    (closed,) = new_events(group, WorkingGroup.RoundClosed)
    assert closed.number == 1
    assert group.current_round() is None
    assert group.round_counted() == 2  # votes after a close count for the next round
    with pytest.raises(Conflict, match="no voting round is open"):
        group.close_round(by=LEAD, at=AT + timedelta(days=2))
    group.open_round("", by=LEAD, at=AT + timedelta(days=3))
    assert group.rounds_held()[-1].title == "#2"


def test_a_ballot_places_and_lifts_each_pain_point_once() -> None:
    ballot = Ballot.open(uuid4(), uuid4(), "standing", at=AT)
    pain_point = uuid4()
    ballot.place(pain_point, at=AT)
    ballot.place(pain_point, at=AT)
    assert ballot.placed == [pain_point]
    assert ballot.lift(pain_point, at=AT)
    assert not ballot.lift(pain_point, at=AT)
    assert [type(e) for e in history(ballot)] == [Ballot.Opened, Ballot.Placed, Ballot.Lifted]


# -- the application ------------------------------------------------------------


def budget(world: World, n: int | None, *, rounds: bool = False) -> None:
    world.app.change_voting_rules(world.group, n, rounds, "dot voting", by=world.lead)


def test_only_the_groups_leads_and_admins_set_rules_and_rounds(world: World) -> None:
    app = world.app
    for stranger in (world.member, world.other_lead, world.board, world.vendor):
        since = position(app)
        with pytest.raises((PermissionDenied, NotFound)):
            app.change_voting_rules(world.group, 3, True, "mine now", by=stranger)
        with pytest.raises((PermissionDenied, NotFound)):
            app.open_round(world.group, "x", by=stranger)
        nothing_stored(app, since)
    since = position(app)
    app.change_voting_rules(world.group, 3, True, "dot voting", by=world.admin)
    then(app, since, "WorkingGroup.RulesChanged")


def test_a_person_supports_no_more_pain_points_than_the_budget(world: World) -> None:
    app = world.app
    pain_points = [world.pain_point(f"Pain point {i}") for i in range(4)]
    budget(world, 3)
    for pain_point in pain_points[:3]:
        since = position(app)
        app.give_support(pain_point, by=world.member)
        if pain_point == pain_points[0]:
            then(app, since, "Support.Given", "Ballot.Opened", "Ballot.Placed")
        else:
            then(app, since, "Support.Given", "Ballot.Placed")
    assert app.votes(world.group, by=world.member).left == 0
    since = position(app)
    with pytest.raises(Conflict, match="used all 3 votes"):
        app.give_support(pain_points[3], by=world.member)
    nothing_stored(app, since)
    # Supporting again what one already supports costs nothing and stores nothing.
    app.give_support(pain_points[0], by=world.member)
    nothing_stored(app, since)
    # Withdrawing returns the vote.
    app.withdraw_support(pain_points[0], by=world.member)
    then(app, since, "Support.Withdrawn", "Ballot.Lifted")
    assert app.votes(world.group, by=world.member).left == 1
    app.give_support(pain_points[3], by=world.member)
    # Another person has their own budget.
    app.give_support(pain_points[3], by=world.author)


def test_a_vote_returns_when_its_pain_point_is_resolved(world: World) -> None:
    app = world.app
    first, second = world.pain_point("first"), world.pain_point("second")
    budget(world, 1)
    app.give_support(first, by=world.member)
    with pytest.raises(Conflict):
        app.give_support(second, by=world.member)
    world.drive(first, RESOLVED)
    app.give_support(second, by=world.member)


def test_supports_from_before_a_budget_do_not_use_it(world: World) -> None:
    app = world.app
    old = [world.pain_point(f"old {i}") for i in range(3)]
    for pain_point in old:
        app.give_support(pain_point, by=world.member)
    budget(world, 1)
    app.give_support(world.pain_point("new"), by=world.member)
    with pytest.raises(Conflict):
        app.give_support(world.pain_point("newer"), by=world.member)
    assert app.votes(world.group, by=world.member).used == 1


def test_a_scheduled_budget_applies_from_its_moment(world: World, clock: FakeClock) -> None:
    app = world.app
    start = clock.now + timedelta(days=2)
    app.change_voting_rules(
        world.group, 1, False, "from Monday", effective_from=start, by=world.lead
    )
    app.give_support(world.pain_point("a"), by=world.member)
    app.give_support(world.pain_point("b"), by=world.member)  # no budget yet
    clock.advance(timedelta(days=3))
    app.give_support(world.pain_point("c"), by=world.member)
    with pytest.raises(Conflict):
        app.give_support(world.pain_point("d"), by=world.member)


def test_every_round_brings_fresh_votes(world: World) -> None:
    app = world.app
    budget(world, 1, rounds=True)
    app.open_round(world.group, "Spring", by=world.lead)
    spring = world.pain_point("spring")
    app.give_support(spring, by=world.member)
    with pytest.raises(Conflict, match="in round 1"):
        app.give_support(world.pain_point("also spring"), by=world.member)
    app.close_round(world.group, by=world.lead)
    # After the close a vote counts for round 2, from round 2's budget.
    assert app.votes(world.group, by=world.member).round_number == 2
    app.give_support(world.pain_point("autumn"), by=world.member)
    with pytest.raises(Conflict, match="in round 2"):
        app.give_support(world.pain_point("also autumn"), by=world.member)


def test_racing_supports_never_exceed_the_budget(world: World) -> None:
    app = world.app
    pain_points = [world.pain_point(f"race {i}") for i in range(8)]
    budget(world, 3)
    outcomes: list[str] = []
    barrier = threading.Barrier(len(pain_points))

    def support(pain_point: object) -> None:
        barrier.wait()
        try:
            app.give_support(pain_point, by=world.member)  # type: ignore[arg-type]
            outcomes.append("given")
        except Conflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=support, args=(p,)) for p in pain_points]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["given"] * 3 + ["refused"] * 5
    assert app.votes(world.group, by=world.member).used == 3


def test_system_changes_rules_like_an_admin(world: World) -> None:
    since = position(world.app)
    world.app.change_voting_rules(world.group, None, True, "rounds only", by=SYSTEM)
    world.app.open_round(world.group, "first", by=SYSTEM)
    world.app.close_round(world.group, by=SYSTEM)
    then(
        world.app,
        since,
        "WorkingGroup.RulesChanged",
        "WorkingGroup.RoundOpened",
        "WorkingGroup.RoundClosed",
    )
