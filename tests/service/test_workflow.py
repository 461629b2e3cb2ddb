"""A pain point's life: status moves by leads, board and admins; merges of duplicates.

The move tables come from domain.workflow, so a change there changes these tests.
Aggregate tests replay prior events (given), call one command (when) and check the new
events (then); application tests do the same against the in-memory store.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import DomainEvent

from domain.errors import Conflict, Invalid, NotFound, PermissionDenied
from domain.ids import SYSTEM, support_id
from domain.painpoint import PainPoint
from domain.support import Support
from domain.workflow import (
    ACCEPTED,
    ALL_STATUSES,
    ANSWERED,
    BOARD_MOVES,
    CLOSED,
    DECLINED,
    ESCALATED,
    LEAD_MOVES,
    MERGED,
    NEEDS_INFO,
    NEW,
    OPEN_STATUSES,
    PRESENTED,
    RESOLVED,
    WITHDRAWN,
    moves_for,
)
from service.application import Outcome, Sprachrohr
from tests.service.world import (
    WORKFLOW_STATUSES,
    World,
    given,
    history,
    new_events,
    nothing_stored,
    path,
    position,
    then,
)

# -- the tables ------------------------------------------------------------------

LEAD_ALLOWED = [(s, t) for s, targets in LEAD_MOVES.items() for t in sorted(targets)]
BOARD_ALLOWED = [(s, t) for s, targets in BOARD_MOVES.items() for t in sorted(targets)]
ADMIN_ALLOWED = sorted(set(LEAD_ALLOWED) | set(BOARD_ALLOWED))

#: Jumps nobody may make: skipping steps, going back to new, leaving withdrawn or
#: merged, entering withdrawn or merged by a status change, staying put.
JUMPS = [
    (NEW, ESCALATED),
    (NEW, PRESENTED),
    (NEW, RESOLVED),
    (NEW, CLOSED),
    (NEW, WITHDRAWN),
    (NEW, MERGED),
    (ACCEPTED, PRESENTED),
    (ACCEPTED, ANSWERED),
    (ACCEPTED, MERGED),
    (NEEDS_INFO, NEW),
    (NEEDS_INFO, ESCALATED),
    (DECLINED, ESCALATED),
    (DECLINED, CLOSED),
    (ESCALATED, NEW),
    (ESCALATED, ANSWERED),
    (ESCALATED, RESOLVED),
    (PRESENTED, ACCEPTED),
    (PRESENTED, ESCALATED),
    (ANSWERED, ESCALATED),
    (RESOLVED, CLOSED),
    (RESOLVED, ACCEPTED),
    (CLOSED, RESOLVED),
    (CLOSED, ESCALATED),
    (WITHDRAWN, NEW),
    (WITHDRAWN, ACCEPTED),
    (MERGED, NEW),
    (MERGED, ACCEPTED),
    *[(s, s) for s in ALL_STATUSES],
]
#: A lead may not make the board's moves, nor any jump.
LEAD_DENIED = sorted(
    {(s, t) for s, t in BOARD_ALLOWED if t not in LEAD_MOVES.get(s, frozenset())} | set(JUMPS)
)
#: The board may not make the leads' moves (triage, escalation), nor any jump.
BOARD_DENIED = sorted(
    {(s, t) for s, t in LEAD_ALLOWED if t not in BOARD_MOVES.get(s, frozenset())} | set(JUMPS)
)
ADMIN_DENIED = sorted(JUMPS)


def ids(cases: list[tuple[str, str]]) -> list[str]:
    return [f"{s}->{t}" for s, t in cases]


def test_the_denied_samples_are_really_denied_by_the_tables() -> None:
    for s, t in LEAD_DENIED:
        assert t not in moves_for(s, lead=True, board=False)
    for s, t in BOARD_DENIED:
        assert t not in moves_for(s, lead=False, board=True)
    for s, t in ADMIN_DENIED:
        assert t not in moves_for(s, lead=True, board=True)


def test_moves_for_is_the_union_of_the_powers_held() -> None:
    for status in ALL_STATUSES:
        lead = moves_for(status, lead=True, board=False)
        board = moves_for(status, lead=False, board=True)
        assert lead == LEAD_MOVES.get(status, frozenset())
        assert board == BOARD_MOVES.get(status, frozenset())
        assert moves_for(status, lead=True, board=True) == lead | board
        assert moves_for(status, lead=False, board=False) == frozenset()


def test_every_workflow_status_is_reachable_from_new() -> None:
    assert path(NEW, NEW) == []
    for status in set(WORKFLOW_STATUSES) - {NEW}:
        assert path(NEW, status)[-1] == status


def test_nothing_leaves_withdrawn_or_merged_by_a_status_change() -> None:
    for status in (WITHDRAWN, MERGED):
        assert moves_for(status, lead=True, board=True) == frozenset()
        assert status not in OPEN_STATUSES


# -- aggregate: change_status ------------------------------------------------------

AT = datetime(2004, 5, 17, 10, 0, tzinfo=UTC)
LATER = AT + timedelta(days=3)
LEAD = uuid4()
AUTHOR = uuid4()
COMPANY = uuid4()
GROUP = uuid4()
OTHER_GROUP = uuid4()


def submitted(group: UUID = GROUP, id: UUID | None = None) -> list[DomainEvent]:
    pain_point = PainPoint.submit(
        group,
        "Partner registration takes weeks",
        "",
        [],
        by=AUTHOR,
        for_company=COMPANY,
        at=AT,
        id=id or uuid4(),
    )
    return history(pain_point)


def moved(events: list[DomainEvent], *statuses: str) -> list[DomainEvent]:
    """`events` followed by status changes through `statuses`."""
    pain_point = given(*events)
    for status in statuses:
        pain_point.change_status(status, "weiter", allowed=frozenset({status}), by=LEAD, at=AT)
    return [*events, *history(pain_point)]


def test_changing_status_records_status_changed_with_trimmed_reason_actor_and_time() -> None:
    pain_point = given(*submitted())

    pain_point.change_status(
        ACCEPTED, "  several companies affected ", allowed=LEAD_MOVES[NEW], by=LEAD, at=LATER
    )

    (event,) = new_events(pain_point, PainPoint.StatusChanged)
    assert (event.status, event.reason, event.by, event.timestamp) == (
        ACCEPTED,
        "several companies affected",
        LEAD,
        LATER,
    )
    assert pain_point.status == ACCEPTED


def test_a_move_outside_the_allowed_set_is_invalid_on_the_status_field() -> None:
    pain_point = given(*submitted())

    with pytest.raises(Invalid) as error:
        pain_point.change_status(ESCALATED, "urgent", allowed=LEAD_MOVES[NEW], by=LEAD, at=LATER)
    assert error.value.field == "status"
    new_events(pain_point)


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_status_change_needs_a_reason(reason: str) -> None:
    pain_point = given(*submitted())

    with pytest.raises(Invalid) as error:
        pain_point.change_status(ACCEPTED, reason, allowed=LEAD_MOVES[NEW], by=LEAD, at=LATER)
    assert error.value.field == "reason"
    new_events(pain_point)


def test_a_reason_may_have_2000_characters_but_not_2001() -> None:
    pain_point = given(*submitted())
    pain_point.change_status(ACCEPTED, "r" * 2000, allowed=LEAD_MOVES[NEW], by=LEAD, at=LATER)
    with pytest.raises(Invalid) as error:
        pain_point.change_status(
            ESCALATED, "r" * 2001, allowed=LEAD_MOVES[ACCEPTED], by=LEAD, at=LATER
        )
    assert error.value.field == "reason"


# -- aggregate: merge and unmerge ----------------------------------------------------

SOURCE, TARGET, THIRD = uuid4(), uuid4(), uuid4()


def merge(source: list[DomainEvent], target: list[DomainEvent]) -> tuple[Any, Any]:
    """Merge `source` into `target`; both aggregates, with their new events."""
    s, t = given(*source), given(*target)
    s.merge_into(t, "same issue", by=LEAD, at=AT)
    return s, t


def test_merging_records_merged_into_on_the_source_and_support_carried_over_on_the_target() -> None:
    source, target = given(*submitted(id=SOURCE)), given(*submitted(id=TARGET))

    source.merge_into(target, " same issue ", by=LEAD, at=LATER)

    (merged,) = new_events(source, PainPoint.MergedInto)
    (carried,) = new_events(target, PainPoint.SupportCarriedOver)
    assert (merged.target_id, merged.reason, merged.by, merged.timestamp) == (
        TARGET,
        "same issue",
        LEAD,
        LATER,
    )
    assert (carried.source_id, carried.by, carried.timestamp) == (SOURCE, LEAD, LATER)
    assert (source.status, source.merged_into) == (MERGED, TARGET)
    assert target.merged_from == [SOURCE]


def test_a_pain_point_cannot_be_merged_into_itself() -> None:
    source, same = given(*submitted(id=SOURCE)), given(*submitted(id=SOURCE))

    with pytest.raises(Invalid) as error:
        source.merge_into(same, "same", by=LEAD, at=LATER)
    assert error.value.field == "target_id"
    new_events(source)


def test_duplicates_are_merged_only_within_one_working_group() -> None:
    source = given(*submitted(id=SOURCE))
    target = given(*submitted(group=OTHER_GROUP, id=TARGET))

    with pytest.raises(Invalid) as error:
        source.merge_into(target, "same", by=LEAD, at=LATER)
    assert error.value.field == "target_id"
    new_events(source)
    new_events(target)


def test_merging_needs_a_reason() -> None:
    source, target = given(*submitted(id=SOURCE)), given(*submitted(id=TARGET))

    with pytest.raises(Invalid) as error:
        source.merge_into(target, "  ", by=LEAD, at=LATER)
    assert error.value.field == "reason"
    new_events(source)
    new_events(target)


def test_the_status_before_the_merge_survives_replay_and_comes_back_on_unmerge() -> None:
    source_events = moved(submitted(id=SOURCE), ACCEPTED, ESCALATED)
    source, target = merge(source_events, submitted(id=TARGET))
    source = given(*source_events, *history(source))
    target = given(*submitted(id=TARGET), *history(target))

    source.unmerge(target, " not the same after all ", by=LEAD, at=LATER)

    (unmerged,) = new_events(source, PainPoint.Unmerged)
    (released,) = new_events(target, PainPoint.SupportReleased)
    assert (unmerged.target_id, unmerged.restored_status, unmerged.reason) == (
        TARGET,
        ESCALATED,
        "not the same after all",
    )
    assert released.source_id == SOURCE
    assert (source.status, source.merged_into, target.merged_from) == (ESCALATED, None, [])


def test_unmerging_from_another_target_than_the_merge_target_is_a_conflict() -> None:
    source, _ = merge(submitted(id=SOURCE), submitted(id=TARGET))
    source = given(*submitted(id=SOURCE), *history(source))
    third = given(*submitted(id=THIRD))

    with pytest.raises(Conflict):
        source.unmerge(third, "wrong", by=LEAD, at=LATER)
    new_events(source)
    new_events(third)


def test_a_merge_target_cannot_be_withdrawn_nor_can_its_merged_source() -> None:
    source, target = merge(submitted(id=SOURCE), submitted(id=TARGET))
    source = given(*submitted(id=SOURCE), *history(source))
    target = given(*submitted(id=TARGET), *history(target))

    for pain_point in (source, target):
        with pytest.raises(Conflict):
            pain_point.withdraw("no longer relevant", by=AUTHOR, at=LATER)
        new_events(pain_point)


# -- application: status moves --------------------------------------------------------


def actor_of(world: World, role: str) -> UUID:
    return {"lead": world.lead, "board": world.board, "admin": world.admin}[role]


def assert_move_made(world: World, by: UUID, start: str, goal: str) -> None:
    pain_point = world.pain_point_in(start)
    before = position(world.app)

    outcome = world.app.change_status(pain_point, goal, f"moved to {goal}", by=by)

    (event,) = then(world.app, before, "PainPoint.StatusChanged")
    assert (event.originator_id, event.status, event.reason, event.by) == (
        pain_point,
        goal,
        f"moved to {goal}",
        by,
    )
    assert outcome == Outcome(pain_point, True, before + 1)
    assert world.status(pain_point) == goal


def assert_move_refused(world: World, by: UUID, start: str, goal: str) -> None:
    pain_point = world.pain_point_in(start)
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.change_status(pain_point, goal, f"moved to {goal}", by=by)
    assert error.value.field == "status"
    nothing_stored(world.app, before)
    assert world.status(pain_point) == start


@pytest.mark.parametrize(("start", "goal"), LEAD_ALLOWED, ids=ids(LEAD_ALLOWED))
def test_a_lead_makes_every_lead_move(world: World, start: str, goal: str) -> None:
    assert_move_made(world, world.lead, start, goal)


@pytest.mark.parametrize(("start", "goal"), BOARD_ALLOWED, ids=ids(BOARD_ALLOWED))
def test_the_board_makes_every_board_move_without_being_enrolled(
    world: World, start: str, goal: str
) -> None:
    assert_move_made(world, world.board, start, goal)


@pytest.mark.parametrize(("start", "goal"), ADMIN_ALLOWED, ids=ids(ADMIN_ALLOWED))
def test_an_admin_makes_every_move_of_leads_and_board(world: World, start: str, goal: str) -> None:
    assert_move_made(world, world.admin, start, goal)


@pytest.mark.parametrize(("start", "goal"), LEAD_DENIED, ids=ids(LEAD_DENIED))
def test_a_lead_cannot_make_board_moves_or_jumps(world: World, start: str, goal: str) -> None:
    assert_move_refused(world, world.lead, start, goal)


@pytest.mark.parametrize(("start", "goal"), BOARD_DENIED, ids=ids(BOARD_DENIED))
def test_the_board_cannot_triage_escalate_or_jump(world: World, start: str, goal: str) -> None:
    assert_move_refused(world, world.board, start, goal)


@pytest.mark.parametrize(("start", "goal"), ADMIN_DENIED, ids=ids(ADMIN_DENIED))
def test_not_even_an_admin_can_jump(world: World, start: str, goal: str) -> None:
    assert_move_refused(world, world.admin, start, goal)


@pytest.mark.parametrize("goal", ["bogus", "Accepted", ""])
def test_an_unknown_status_is_invalid(world: World, goal: str) -> None:
    assert_move_refused(world, world.admin, NEW, goal)


def test_a_lead_who_is_also_on_the_board_has_both_powers(world: World) -> None:
    world.app.grant_role(world.lead, "board", by=SYSTEM)

    assert_move_made(world, world.lead, ACCEPTED, ESCALATED)
    assert_move_made(world, world.lead, ESCALATED, PRESENTED)


def test_a_co_lead_makes_the_same_moves_as_the_lead(world: World) -> None:
    assert_move_made(world, world.co_lead, NEW, DECLINED)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_status_change_without_a_reason_is_refused_and_stores_nothing(
    world: World, reason: str
) -> None:
    pain_point = world.pain_point()
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.change_status(pain_point, ACCEPTED, reason, by=world.lead)
    assert error.value.field == "reason"
    nothing_stored(world.app, before)


@pytest.mark.parametrize("who", ["member", "author"])
def test_members_cannot_change_a_status(world: World, who: str) -> None:
    pain_point = world.pain_point()
    before = position(world.app)

    with pytest.raises(PermissionDenied):
        world.app.change_status(pain_point, ACCEPTED, "looks valid", by=getattr(world, who))
    nothing_stored(world.app, before)


@pytest.mark.parametrize("who", ["outsider", "other_lead", "vendor"])
def test_people_who_cannot_see_the_group_are_told_the_pain_point_is_not_found(
    world: World, who: str
) -> None:
    pain_point = world.pain_point_in(ACCEPTED)
    before = position(world.app)

    with pytest.raises(NotFound) as error:
        world.app.change_status(pain_point, ESCALATED, "urgent", by=getattr(world, who))
    assert error.value.message == "pain point not found"
    nothing_stored(world.app, before)


def test_changing_the_status_of_an_unknown_pain_point_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.app.change_status(uuid4(), ACCEPTED, "ok", by=world.admin)


def test_an_unknown_actor_is_denied(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.app.change_status(world.pain_point(), ACCEPTED, "ok", by=uuid4())


def test_a_full_life_is_recorded_step_by_step_with_each_actor(world: World) -> None:
    app, pain_point = world.app, world.pain_point()
    before = position(app)

    app.change_status(pain_point, NEEDS_INFO, "which portal?", by=world.lead)
    app.change_status(pain_point, ACCEPTED, "answered in the comments", by=world.co_lead)
    app.change_status(pain_point, ESCALATED, "eleven companies", by=world.lead)
    app.change_status(pain_point, PRESENTED, "Quality Board March", by=world.board)
    app.change_status(pain_point, ANSWERED, "vendor answered by mail", by=world.board)
    app.change_status(pain_point, RESOLVED, "registration simplified", by=world.admin)

    events = then(app, before, *["PainPoint.StatusChanged"] * 6)
    assert [(e.status, e.by) for e in events] == [
        (NEEDS_INFO, world.lead),
        (ACCEPTED, world.co_lead),
        (ESCALATED, world.lead),
        (PRESENTED, world.board),
        (ANSWERED, world.board),
        (RESOLVED, world.admin),
    ]


# -- application: merging duplicates ---------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "co_lead", "admin"])
def test_leads_and_admins_merge_a_duplicate_into_its_target(world: World, who: str) -> None:
    source, target = world.pain_point("Registrierung dauert"), world.pain_point()
    before = position(world.app)

    outcome = world.app.merge(source, target, "same issue", by=getattr(world, who))

    merged, carried = then(
        world.app, before, "PainPoint.MergedInto", "PainPoint.SupportCarriedOver"
    )
    assert (merged.originator_id, merged.target_id, merged.reason) == (source, target, "same issue")
    assert (carried.originator_id, carried.source_id) == (target, source)
    assert outcome == Outcome(source, True, before + 2)
    assert world.load(source).merged_into == target
    assert world.load(target).merged_from == [source]


@pytest.mark.parametrize("who", ["member", "author", "board"])
def test_only_leads_and_admins_merge(world: World, who: str) -> None:
    source, target = world.pain_point("Registrierung dauert"), world.pain_point()
    before = position(world.app)

    with pytest.raises(PermissionDenied):
        world.app.merge(source, target, "same issue", by=getattr(world, who))
    nothing_stored(world.app, before)


@pytest.mark.parametrize("who", ["outsider", "other_lead", "vendor"])
def test_people_who_cannot_see_the_group_cannot_find_the_duplicate(world: World, who: str) -> None:
    source, target = world.pain_point("Registrierung dauert"), world.pain_point()
    before = position(world.app)

    with pytest.raises(NotFound):
        world.app.merge(source, target, "same issue", by=getattr(world, who))
    with pytest.raises(NotFound):
        world.app.unmerge(source, "not the same", by=getattr(world, who))
    nothing_stored(world.app, before)


def test_a_pain_point_of_another_group_is_no_merge_target(world: World) -> None:
    source, target = world.pain_point(), world.other_pain_point()
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.merge(source, target, "same issue", by=world.admin)
    assert error.value.field == "target_id"
    nothing_stored(world.app, before)


def test_a_pain_point_cannot_be_merged_into_itself_by_a_lead(world: World) -> None:
    source = world.pain_point()
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.merge(source, source, "same issue", by=world.lead)
    assert error.value.field == "target_id"
    nothing_stored(world.app, before)


def test_merging_into_an_unknown_pain_point_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.app.merge(world.pain_point(), uuid4(), "same issue", by=world.lead)


def test_merging_without_a_reason_is_refused(world: World) -> None:
    source, target = world.pain_point("Registrierung dauert"), world.pain_point()
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.merge(source, target, " ", by=world.lead)
    assert error.value.field == "reason"
    nothing_stored(world.app, before)


@pytest.mark.parametrize("status", [WITHDRAWN, MERGED])
def test_a_withdrawn_or_merged_pain_point_cannot_be_merged(world: World, status: str) -> None:
    source, target = world.pain_point_in(status, "Registrierung"), world.pain_point()
    before = position(world.app)

    with pytest.raises(Conflict):
        world.app.merge(source, target, "same issue", by=world.lead)
    nothing_stored(world.app, before)


@pytest.mark.parametrize("status", [WITHDRAWN, MERGED])
def test_nothing_is_merged_into_a_withdrawn_or_merged_pain_point(world: World, status: str) -> None:
    source, target = world.pain_point("Registrierung"), world.pain_point_in(status)
    before = position(world.app)

    with pytest.raises(Conflict) as error:
        world.app.merge(source, target, "same issue", by=world.lead)
    assert error.value.field == "target_id"
    nothing_stored(world.app, before)


def test_a_merge_target_with_merged_sources_cannot_be_merged_away(world: World) -> None:
    app = world.app
    first, target, elsewhere = world.pain_point("A"), world.pain_point("B"), world.pain_point("C")
    app.merge(first, target, "duplicate", by=world.lead)
    before = position(app)

    with pytest.raises(Conflict):
        app.merge(target, elsewhere, "chain", by=world.lead)
    nothing_stored(app, before)

    app.unmerge(first, "not a duplicate", by=world.lead)
    before = position(app)
    app.merge(target, elsewhere, "duplicate after all", by=world.lead)
    then(app, before, "PainPoint.MergedInto", "PainPoint.SupportCarriedOver")


def test_several_duplicates_merge_into_one_target_and_unmerge_one_by_one(world: World) -> None:
    app = world.app
    first, second, target = world.pain_point("A"), world.pain_point("B"), world.pain_point("C")
    app.merge(first, target, "duplicate", by=world.lead)
    app.merge(second, target, "duplicate", by=world.lead)
    assert world.load(target).merged_from == [first, second]

    app.unmerge(first, "different product", by=world.lead)

    assert world.load(target).merged_from == [second]
    assert world.status(second) == MERGED


@pytest.mark.parametrize("status", WORKFLOW_STATUSES)
def test_unmerging_restores_exactly_the_status_before_the_merge(world: World, status: str) -> None:
    app = world.app
    source, target = world.pain_point_in(status, "Registrierung"), world.pain_point()
    app.merge(source, target, "duplicate", by=world.admin)
    assert world.status(source) == MERGED
    before = position(app)

    outcome = app.unmerge(source, "not a duplicate", by=world.admin)

    unmerged, released = then(app, before, "PainPoint.Unmerged", "PainPoint.SupportReleased")
    assert (unmerged.originator_id, unmerged.restored_status, unmerged.target_id) == (
        source,
        status,
        target,
    )
    assert (released.originator_id, released.source_id) == (target, source)
    assert outcome == Outcome(source, True, before + 2)
    restored = world.load(source)
    assert (restored.status, restored.merged_into) == (status, None)
    assert world.load(target).merged_from == []


def test_an_accepted_duplicate_comes_back_accepted_and_continues_its_life(world: World) -> None:
    app = world.app
    source, target = world.pain_point_in(ACCEPTED, "Registrierung"), world.pain_point()
    app.merge(source, target, "duplicate", by=world.lead)
    app.unmerge(source, "not a duplicate", by=world.lead)
    before = position(app)

    app.change_status(source, ESCALATED, "many companies", by=world.lead)

    (event,) = then(app, before, "PainPoint.StatusChanged")
    assert event.status == ESCALATED


def test_merging_again_after_an_unmerge_remembers_the_latest_status(world: World) -> None:
    app = world.app
    source, target = world.pain_point_in(NEEDS_INFO, "Registrierung"), world.pain_point()
    app.merge(source, target, "duplicate", by=world.lead)
    app.unmerge(source, "not a duplicate", by=world.lead)
    app.change_status(source, ACCEPTED, "clarified", by=world.lead)
    app.merge(source, target, "duplicate after all", by=world.lead)

    app.unmerge(source, "still not", by=world.lead)

    assert world.status(source) == ACCEPTED


def test_unmerging_a_pain_point_that_is_not_merged_changes_nothing(world: World) -> None:
    source = world.pain_point()
    before = position(world.app)

    assert world.app.unmerge(source, "nothing", by=world.lead) == Outcome(source, False, None)
    nothing_stored(world.app, before)


@pytest.mark.parametrize("who", ["member", "author", "board"])
def test_only_leads_and_admins_unmerge(world: World, who: str) -> None:
    source, target = world.pain_point("Registrierung"), world.pain_point()
    world.app.merge(source, target, "duplicate", by=world.lead)
    before = position(world.app)

    with pytest.raises(PermissionDenied):
        world.app.unmerge(source, "not the same", by=getattr(world, who))
    nothing_stored(world.app, before)


def test_unmerging_without_a_reason_is_refused(world: World) -> None:
    source, target = world.pain_point("Registrierung"), world.pain_point()
    world.app.merge(source, target, "duplicate", by=world.lead)
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.unmerge(source, "", by=world.lead)
    assert error.value.field == "reason"
    nothing_stored(world.app, before)


def test_a_merged_pain_point_cannot_change_status(world: World) -> None:
    source = world.pain_point_in(MERGED, "Registrierung")
    before = position(world.app)

    with pytest.raises(Invalid):
        world.app.change_status(source, ACCEPTED, "revive", by=world.admin)
    nothing_stored(world.app, before)


# -- application: support and withdrawal around merges ----------------------------------


def test_a_merged_pain_point_cannot_be_supported(world: World) -> None:
    source = world.pain_point_in(MERGED, "Registrierung")
    before = position(world.app)

    with pytest.raises(Conflict):
        world.app.give_support(source, by=world.member)
    nothing_stored(world.app, before)


def test_support_of_a_merged_pain_point_can_still_be_withdrawn(world: World) -> None:
    app = world.app
    source, target = world.pain_point("Registrierung"), world.pain_point()
    app.give_support(source, by=world.member)
    app.merge(source, target, "duplicate", by=world.lead)
    before = position(app)

    outcome = app.withdraw_support(source, by=world.member)

    (event,) = then(app, before, "Support.Withdrawn")
    assert event.originator_id == outcome.id == support_id(source, world.member)
    assert not app.load(Support, outcome.id, "support").active


def test_the_merge_target_can_still_be_supported(world: World) -> None:
    app = world.app
    source, target = world.pain_point("Registrierung"), world.pain_point()
    app.merge(source, target, "duplicate", by=world.lead)
    before = position(app)

    app.give_support(target, by=world.member)

    then(app, before, "Support.Given")


@pytest.mark.parametrize("who", ["author", "lead", "admin"])
def test_neither_a_merged_pain_point_nor_its_target_can_be_withdrawn(
    world: World, who: str
) -> None:
    app = world.app
    source, target = world.pain_point("Registrierung"), world.pain_point()
    app.merge(source, target, "duplicate", by=world.lead)
    before = position(app)

    for pain_point in (source, target):
        with pytest.raises(Conflict):
            app.withdraw_pain_point(pain_point, "no longer relevant", by=getattr(world, who))
    nothing_stored(app, before)


def test_after_an_unmerge_both_can_be_withdrawn_again(world: World) -> None:
    app = world.app
    source, target = world.pain_point("Registrierung"), world.pain_point()
    app.merge(source, target, "duplicate", by=world.lead)
    app.unmerge(source, "not the same", by=world.lead)
    before = position(app)

    app.withdraw_pain_point(source, "solved", by=world.author)
    app.withdraw_pain_point(target, "solved", by=world.author)

    then(app, before, "PainPoint.Withdrawn", "PainPoint.Withdrawn")


# -- with the aggregate cache that production uses ---------------------------------------


def test_merge_and_unmerge_behave_the_same_with_the_aggregate_cache(
    make_association: Any, clock: Any
) -> None:
    from tests.service.world import build_world

    env = {"PERSISTENCE_MODULE": "eventsourcing.popo", "AGGREGATE_CACHE_MAXSIZE": "1000"}
    cached = build_world(make_association(Sprachrohr(env=env, clock=clock)))
    source = cached.pain_point_in(PRESENTED, "Registrierung")
    target = cached.pain_point()
    with pytest.raises(Conflict):
        cached.app.merge(source, cached.pain_point_in(WITHDRAWN, "weg"), "dup", by=cached.lead)
    cached.app.merge(source, target, "duplicate", by=cached.lead)
    with pytest.raises(Conflict):
        cached.app.give_support(source, by=cached.member)

    cached.app.unmerge(source, "not the same", by=cached.lead)

    assert cached.status(source) == PRESENTED
    assert cached.load(target).merged_from == []


@pytest.mark.parametrize("status", [RESOLVED, CLOSED, DECLINED])
def test_a_duplicate_is_merged_only_into_an_open_pain_point(world: World, status: str) -> None:
    source = world.pain_point("Registrierung dauert")
    target = world.pain_point_in(status, "Registrierung: erledigt")
    before = position(world.app)

    with pytest.raises(Conflict, match="merge only into an open pain point"):
        world.app.merge(source, target, "same issue", by=world.lead)
    nothing_stored(world.app, before)
