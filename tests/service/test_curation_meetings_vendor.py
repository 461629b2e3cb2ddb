"""The lead's curated list, the board's meetings with the vendor, the vendor's answers.

Aggregate tests replay prior events (given), call one command (when) and check the new
events (then); application tests do the same against the in-memory store.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import DomainEvent

from domain.curation import CuratedList, curated_list_id, departs
from domain.errors import Conflict, Invalid, NotFound, PermissionDenied
from domain.ids import SYSTEM
from domain.limits import MAX_ITEMS
from domain.meeting import BoardMeeting
from domain.vendor import MET, MISSED, OPEN, VendorResponse
from domain.workflow import (
    ACCEPTED,
    ANSWERED,
    CLOSED,
    DECLINED,
    ESCALATED,
    MERGED,
    NEEDS_INFO,
    NEW,
    OPEN_STATUSES,
    PRESENTED,
    RESOLVED,
    WITHDRAWN,
)
from service.application import Outcome
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

AT = datetime(2004, 5, 17, 10, 0, tzinfo=UTC)
LATER = AT + timedelta(days=3)
#: A target date that has passed by LATER.
DUE_BEFORE_LATER = (LATER - timedelta(days=1)).date().isoformat()
LEAD = uuid4()
GROUP = uuid4()


def rows(*pain_points: UUID, ranked: bool = True) -> list[dict[str, Any]]:
    """Rows in community order: row N has community rank N (or none)."""
    return [
        {"pain_point_id": p, "community_rank": n if ranked else None}
        for n, p in enumerate(pain_points, start=1)
    ]


# == curated lists ======================================================================

# -- aggregate -----------------------------------------------------------------------


def published(items: list[dict[str, Any]] | None = None) -> list[DomainEvent]:
    items = rows(uuid4(), uuid4()) if items is None else items
    return history(CuratedList.first(GROUP, items, "", by=LEAD, at=AT))


def test_the_first_publication_records_published_as_edition_1() -> None:
    first, second = uuid4(), uuid4()

    curated = CuratedList.first(
        GROUP,
        [
            {"pain_point_id": first, "community_rank": 1, "pinned": 1},
            {"pain_point_id": second, "rationale": " new this week "},
        ],
        " Stand März ",
        by=LEAD,
        at=AT,
    )

    (event,) = new_events(curated, CuratedList.Published)
    assert event.originator_id == curated_list_id(GROUP)
    assert (event.group_id, event.note, event.by, event.timestamp) == (
        GROUP,
        "Stand März",
        LEAD,
        AT,
    )
    assert event.items == [
        {"pain_point_id": str(first), "pinned": True, "rationale": "", "community_rank": 1},
        {
            "pain_point_id": str(second),
            "pinned": False,
            "rationale": "new this week",
            "community_rank": None,
        },
    ]
    assert curated.edition == 1


def test_republishing_the_current_edition_records_the_next_edition() -> None:
    curated = given(*published())
    items = rows(uuid4())

    curated.republish(items, "", expected=1, by=LEAD, at=LATER)

    (event,) = new_events(curated, CuratedList.Republished)
    assert [i["pain_point_id"] for i in event.items] == [str(items[0]["pain_point_id"])]
    assert (event.by, event.timestamp) == (LEAD, LATER)
    assert curated.edition == 2


@pytest.mark.parametrize("stale", [0, 2, -1])
def test_republishing_another_edition_than_the_current_one_is_a_conflict(stale: int) -> None:
    curated = given(*published())

    with pytest.raises(Conflict) as error:
        curated.republish(rows(uuid4()), "", expected=stale, by=LEAD, at=LATER)
    assert error.value.field == "edition"
    new_events(curated)


@pytest.mark.parametrize(
    ("position", "rank", "needs_reason"),
    [
        (1, 1, False),
        (1, 2, False),
        (1, 3, False),
        (1, 4, True),
        (4, 1, True),
        (5, 3, False),
        (2, 5, True),
        (1, None, True),
        (15, None, True),
    ],
)
def test_a_row_three_or_more_places_from_its_community_rank_departs(
    position: int, rank: int | None, needs_reason: bool
) -> None:
    assert departs(position, rank) is needs_reason


def test_every_edition_stays_in_the_log() -> None:
    first, second = uuid4(), uuid4()
    curated = given(*published(rows(first)))
    curated.republish(rows(second), "", expected=1, by=LEAD, at=LATER)
    log = [*published(rows(first)), *history(curated)]

    assert given(*log[:1]).items[0]["pain_point_id"] == str(first)
    assert given(*log).items[0]["pain_point_id"] == str(second)
    assert given(*log).edition == 2


# -- application ----------------------------------------------------------------------


def open_pain_points(world: World, n: int) -> list[UUID]:
    return [world.pain_point(f"Pain point {k}") for k in range(1, n + 1)]


def test_a_lead_publishes_the_first_list_with_edition_0(world: World) -> None:
    app, (a, b) = world.app, open_pain_points(world, 2)
    before = position(app)

    outcome = app.publish_curated_list(
        world.group, rows(a, b), "Erste Liste", edition=0, by=world.lead
    )

    (event,) = then(app, before, "CuratedList.Published")
    assert outcome == Outcome(curated_list_id(world.group), True, before + 1)
    assert [i["pain_point_id"] for i in event.items] == [str(a), str(b)]
    assert (event.note, event.by) == ("Erste Liste", world.lead)
    assert app.load(CuratedList, outcome.id, "curated list").edition == 1


@pytest.mark.parametrize("edition", [1, 2, -1])
def test_the_first_list_must_be_published_as_edition_0(world: World, edition: int) -> None:
    items = rows(world.pain_point())
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, items, "", edition=edition, by=world.lead)
    assert error.value.field == "edition"
    nothing_stored(world.app, before)


def test_publishing_edition_0_again_is_a_conflict(world: World) -> None:
    app, items = world.app, rows(world.pain_point())
    app.publish_curated_list(world.group, items, "", edition=0, by=world.lead)
    before = position(app)

    with pytest.raises(Conflict) as error:
        app.publish_curated_list(world.group, items, "", edition=0, by=world.co_lead)
    assert error.value.field == "edition"
    nothing_stored(app, before)


def test_of_two_leads_editing_edition_1_the_second_to_publish_gets_a_conflict(
    world: World,
) -> None:
    app, (a, b, c) = world.app, open_pain_points(world, 3)
    app.publish_curated_list(world.group, rows(a, b, c), "", edition=0, by=world.lead)
    seen_by_lead = seen_by_co_lead = app.load(CuratedList, curated_list_id(world.group), "").edition
    assert seen_by_lead == 1

    app.publish_curated_list(
        world.group, rows(b, a, c), "b first", edition=seen_by_lead, by=world.lead
    )
    before = position(app)
    with pytest.raises(Conflict) as error:
        app.publish_curated_list(
            world.group, rows(c, b, a), "c first", edition=seen_by_co_lead, by=world.co_lead
        )

    assert error.value.field == "edition"
    assert "edition 2" in error.value.message
    nothing_stored(app, before)
    curated = app.load(CuratedList, curated_list_id(world.group), "curated list")
    assert (curated.edition, curated.items[0]["pain_point_id"]) == (2, str(b))


def test_the_loser_of_a_storage_race_between_two_leads_gets_a_conflict_too(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both leads decide on edition 1; the rival's save lands first; the retry sees
    edition 2 and refuses instead of overwriting the rival's order."""
    app, (a, b, c) = world.app, open_pain_points(world, 3)
    app.publish_curated_list(world.group, rows(a, b, c), "", edition=0, by=world.lead)
    store, raced = app.store, []

    def rival_saves_first(*aggregates: Any) -> int | None:
        if not raced:
            raced.append(True)
            app.publish_curated_list(world.group, rows(b, a, c), "", edition=1, by=world.co_lead)
        return store(*aggregates)

    monkeypatch.setattr(app, "store", rival_saves_first)
    before = position(app)

    with pytest.raises(Conflict) as error:
        app.publish_curated_list(world.group, rows(c, b, a), "", edition=1, by=world.lead)

    assert error.value.field == "edition"
    (event,) = then(app, before, "CuratedList.Republished")
    assert event.by == world.co_lead


def test_of_two_leads_publishing_the_first_list_at_once_the_second_gets_a_conflict(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, (a, b) = world.app, open_pain_points(world, 2)
    store, raced = app.store, []

    def rival_saves_first(*aggregates: Any) -> int | None:
        if not raced:
            raced.append(True)
            app.publish_curated_list(world.group, rows(a, b), "", edition=0, by=world.co_lead)
        return store(*aggregates)

    monkeypatch.setattr(app, "store", rival_saves_first)
    before = position(app)

    with pytest.raises(Conflict) as error:
        app.publish_curated_list(world.group, rows(b, a), "", edition=0, by=world.lead)

    assert error.value.field == "edition"
    (event,) = then(app, before, "CuratedList.Published")
    assert event.by == world.co_lead


def test_after_reloading_the_second_lead_publishes_the_next_edition(world: World) -> None:
    app, (a, b) = world.app, open_pain_points(world, 2)
    app.publish_curated_list(world.group, rows(a, b), "", edition=0, by=world.lead)
    app.publish_curated_list(world.group, rows(b, a), "", edition=1, by=world.lead)
    before = position(app)

    app.publish_curated_list(world.group, rows(a, b), "", edition=2, by=world.co_lead)

    then(app, before, "CuratedList.Republished")
    assert app.load(CuratedList, curated_list_id(world.group), "").edition == 3


def test_an_earlier_edition_can_still_be_shown(world: World) -> None:
    app, (a, b) = world.app, open_pain_points(world, 2)
    app.publish_curated_list(world.group, rows(a, b), "", edition=0, by=world.lead)
    app.publish_curated_list(world.group, rows(b, a), "", edition=1, by=world.lead)

    first = app.repository.get(curated_list_id(world.group), version=1)

    assert (first.edition, first.items[0]["pain_point_id"]) == (1, str(a))


def test_a_list_holds_15_pain_points_but_not_16(world: World) -> None:
    app, pain_points = world.app, open_pain_points(world, MAX_ITEMS + 1)
    app.publish_curated_list(
        world.group, rows(*pain_points[:MAX_ITEMS]), "", edition=0, by=world.lead
    )
    before = position(app)

    with pytest.raises(Invalid) as error:
        app.publish_curated_list(world.group, rows(*pain_points), "", edition=1, by=world.lead)
    assert error.value.field == "items"
    nothing_stored(app, before)


def test_a_pain_point_may_appear_only_once(world: World) -> None:
    a, b = open_pain_points(world, 2)
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, rows(a, b, a), "", edition=0, by=world.lead)
    assert error.value.field == "items.3"
    nothing_stored(world.app, before)


def test_a_pain_point_spelled_twice_in_different_forms_is_still_a_repeat(world: World) -> None:
    pain_point = world.pain_point()
    items = [
        {"pain_point_id": str(pain_point).upper(), "community_rank": 1},
        {"pain_point_id": pain_point, "community_rank": 2},
    ]
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, items, "", edition=0, by=world.lead)
    assert error.value.field == "items.2"
    nothing_stored(world.app, before)


def test_pain_point_ids_are_stored_in_canonical_form(world: World) -> None:
    pain_point = world.pain_point()
    before = position(world.app)

    world.app.publish_curated_list(
        world.group,
        [{"pain_point_id": f"{{{str(pain_point).upper()}}}", "community_rank": 1}],
        "",
        edition=0,
        by=world.lead,
    )

    (event,) = then(world.app, before, "CuratedList.Published")
    assert event.items[0]["pain_point_id"] == str(pain_point)


@pytest.mark.parametrize(
    "row", [{"pain_point_id": "not-a-uuid"}, {"rationale": "no id"}, {"pain_point_id": None}, "x"]
)
def test_a_row_without_a_readable_pain_point_id_is_invalid(world: World, row: Any) -> None:
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, [row], "", edition=0, by=world.lead)
    assert error.value.field == "items.1"
    nothing_stored(world.app, before)


@pytest.mark.parametrize("rank", ["1", 1.0, True, 0, -2])
def test_a_community_rank_is_a_whole_number_from_1(world: World, rank: Any) -> None:
    item = {"pain_point_id": world.pain_point(), "community_rank": rank, "rationale": "why"}
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, [item], "", edition=0, by=world.lead)
    assert error.value.field == "items.1.community_rank"
    nothing_stored(world.app, before)


def test_an_empty_list_may_be_published(world: World) -> None:
    before = position(world.app)

    world.app.publish_curated_list(world.group, [], "nothing yet", edition=0, by=world.lead)

    (event,) = then(world.app, before, "CuratedList.Published")
    assert event.items == []


def test_a_row_moved_three_places_needs_a_rationale_on_its_own_field(world: World) -> None:
    a, b, c, d = open_pain_points(world, 4)
    items = rows(d, b, c, a)  # d (rank 4) and a (rank 1) move three places
    items = [
        {**item, "community_rank": rank} for item, rank in zip(items, [4, 2, 3, 1], strict=True)
    ]
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, items, "", edition=0, by=world.lead)
    assert (error.value.code, error.value.field) == ("curated.reasons_missing", "items")
    assert [d.field for d in error.value.details] == ["items.1.rationale", "items.4.rationale"]

    items[0]["rationale"] = "the vendor's programme changes in April"
    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, items, "", edition=0, by=world.lead)
    assert error.value.field == "items.4.rationale"
    nothing_stored(world.app, before)

    items[3]["rationale"] = "   moved down: the vendor already answered   "
    world.app.publish_curated_list(world.group, items, "", edition=0, by=world.lead)
    (event,) = then(world.app, before, "CuratedList.Published")
    assert [i["rationale"] for i in event.items] == [
        "the vendor's programme changes in April",
        "",
        "",
        "moved down: the vendor already answered",
    ]


def test_a_row_moved_two_places_needs_no_rationale(world: World) -> None:
    a, b, c = open_pain_points(world, 3)
    items = [
        {"pain_point_id": c, "community_rank": 3},
        {"pain_point_id": b, "community_rank": 2},
        {"pain_point_id": a, "community_rank": 1},
    ]
    before = position(world.app)

    world.app.publish_curated_list(world.group, items, "", edition=0, by=world.lead)

    then(world.app, before, "CuratedList.Published")


@pytest.mark.parametrize("rationale", [None, "", "   "])
def test_an_unranked_row_needs_a_rationale(world: World, rationale: str | None) -> None:
    a, b = open_pain_points(world, 2)
    unranked: dict[str, Any] = {"pain_point_id": b}
    if rationale is not None:
        unranked["rationale"] = rationale
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(
            world.group, [*rows(a), unranked], "", edition=0, by=world.lead
        )
    assert error.value.field == "items.2.rationale"
    nothing_stored(world.app, before)


def test_a_rationale_longer_than_2000_characters_is_refused(world: World) -> None:
    item = {"pain_point_id": world.pain_point(), "rationale": "r" * 2001}

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, [item], "", edition=0, by=world.lead)
    assert error.value.field == "items.1.rationale"


@pytest.mark.parametrize("who", ["admin", "lead", "co_lead"])
def test_the_groups_leads_and_admins_curate(world: World, who: str) -> None:
    items = rows(world.pain_point())
    before = position(world.app)

    world.app.publish_curated_list(world.group, items, "", edition=0, by=getattr(world, who))

    then(world.app, before, "CuratedList.Published")


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        # Whoever does not see the group's contents is told nothing (404) ...
        ("other_lead", NotFound),
        ("vendor", NotFound),
        ("outsider", NotFound),
        # ... whoever sees them but is not its lead may not (403).
        ("member", PermissionDenied),
        ("author", PermissionDenied),
        ("board", PermissionDenied),
    ],
)
def test_nobody_else_curates_not_even_the_lead_of_another_group(
    world: World, who: str, refusal: type[Exception]
) -> None:
    items = rows(world.pain_point())
    before = position(world.app)

    with pytest.raises(refusal):
        world.app.publish_curated_list(world.group, items, "", edition=0, by=getattr(world, who))
    nothing_stored(world.app, before)


def test_the_list_of_an_unknown_group_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.app.publish_curated_list(uuid4(), [], "", edition=0, by=world.admin)


def test_a_pain_point_of_another_group_cannot_be_listed(world: World) -> None:
    items = rows(world.pain_point(), world.other_pain_point())
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, items, "", edition=0, by=world.admin)
    assert error.value.field == "items.2"
    nothing_stored(world.app, before)


@pytest.mark.parametrize("other", ["unknown pain point", "group id", "meeting id"])
def test_only_pain_points_can_be_listed(world: World, other: str) -> None:
    not_a_pain_point = {
        "unknown pain point": uuid4(),
        "group id": world.group,
        "meeting id": world.meeting(),
    }[other]
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(
            world.group, rows(not_a_pain_point), "", edition=0, by=world.lead
        )
    assert error.value.field == "items.1"
    nothing_stored(world.app, before)


@pytest.mark.parametrize("status", [DECLINED, RESOLVED, CLOSED, WITHDRAWN, MERGED])
def test_a_pain_point_that_is_not_open_cannot_be_listed(world: World, status: str) -> None:
    items = rows(world.pain_point(), world.pain_point_in(status))
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.publish_curated_list(world.group, items, "", edition=0, by=world.lead)
    assert error.value.field == "items.2"
    assert status in error.value.message
    nothing_stored(world.app, before)


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES))
def test_every_open_pain_point_can_be_listed(world: World, status: str) -> None:
    items = rows(world.pain_point_in(status))
    before = position(world.app)

    world.app.publish_curated_list(world.group, items, "", edition=0, by=world.lead)

    then(world.app, before, "CuratedList.Published")


# == board meetings =====================================================================

MEETING = uuid4()
BOARD = uuid4()
HELD_ON = date(2026, 3, 14)  # the day of the meeting `scheduled` records
ITEM, OTHER_ITEM = uuid4(), uuid4()


def scheduled(*agenda: UUID) -> list[DomainEvent]:
    meeting = BoardMeeting.schedule(
        "Quality Board Partner Programme",
        "quality-board",
        "2026-03-14",
        by=BOARD,
        at=AT,
        id=MEETING,
    )
    if agenda:
        meeting.set_agenda(list(agenda), by=BOARD, at=AT)
    return history(meeting)


# -- aggregate -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["quality-board", "inner-circle", "other"])
def test_scheduling_records_scheduled_with_the_iso_date(kind: str) -> None:
    meeting = BoardMeeting.schedule(
        "  Inner Circle Q2 ", kind, " 2026-03-14 ", by=BOARD, at=AT, id=MEETING
    )

    (event,) = new_events(meeting, BoardMeeting.Scheduled)
    assert (event.name, event.kind, event.held_on, event.by) == (
        "Inner Circle Q2",
        kind,
        "2026-03-14",
        BOARD,
    )
    assert meeting.agenda == meeting.presented == []


@pytest.mark.parametrize("kind", ["", "Quality-Board", "purchasing", "board"])
def test_a_meeting_of_unknown_kind_is_invalid(kind: str) -> None:
    with pytest.raises(Invalid) as error:
        BoardMeeting.schedule("Q2", kind, "2026-03-14", by=BOARD, at=AT, id=MEETING)
    assert error.value.field == "kind"


@pytest.mark.parametrize("held_on", ["", "  ", "14.03.2026", "2026-02-30", "2026-13-01", "soon"])
def test_a_meeting_with_a_bad_date_is_invalid(held_on: str) -> None:
    with pytest.raises(Invalid) as error:
        BoardMeeting.schedule("Q2", "other", held_on, by=BOARD, at=AT, id=MEETING)
    assert error.value.field == "held_on"


def test_a_meeting_needs_a_name() -> None:
    with pytest.raises(Invalid) as error:
        BoardMeeting.schedule("  ", "other", "2026-03-14", by=BOARD, at=AT, id=MEETING)
    assert error.value.field == "name"


def test_setting_the_agenda_records_agenda_set() -> None:
    meeting = given(*scheduled())

    assert meeting.set_agenda([ITEM, OTHER_ITEM], by=BOARD, at=LATER) is True

    (event,) = new_events(meeting, BoardMeeting.AgendaSet)
    assert (event.items, event.by, event.timestamp) == ([ITEM, OTHER_ITEM], BOARD, LATER)


def test_setting_the_same_agenda_again_is_a_no_op() -> None:
    meeting = given(*scheduled(ITEM, OTHER_ITEM))

    assert meeting.set_agenda([ITEM, OTHER_ITEM], by=BOARD, at=LATER) is False
    new_events(meeting)


def test_reordering_the_agenda_records_a_new_agenda() -> None:
    meeting = given(*scheduled(ITEM, OTHER_ITEM))

    assert meeting.set_agenda([OTHER_ITEM, ITEM], by=BOARD, at=LATER) is True
    new_events(meeting, BoardMeeting.AgendaSet)


def test_an_agenda_item_twice_is_invalid() -> None:
    meeting = given(*scheduled())

    with pytest.raises(Invalid) as error:
        meeting.set_agenda([ITEM, OTHER_ITEM, ITEM], by=BOARD, at=LATER)
    assert error.value.field == "items"
    new_events(meeting)


def test_an_agenda_holds_at_most_40_items() -> None:
    meeting = given(*scheduled())
    meeting.set_agenda([uuid4() for _ in range(40)], by=BOARD, at=LATER)
    with pytest.raises(Invalid) as error:
        meeting.set_agenda([uuid4() for _ in range(41)], by=BOARD, at=LATER)
    assert error.value.field == "items"


def test_presenting_an_agenda_item_records_item_presented_once() -> None:
    meeting = given(*scheduled(ITEM))

    assert meeting.mark_presented(ITEM, by=BOARD, at=LATER, today=HELD_ON) is True
    (event,) = new_events(meeting, BoardMeeting.ItemPresented)
    assert (event.pain_point_id, event.by, event.timestamp) == (ITEM, BOARD, LATER)

    assert meeting.mark_presented(ITEM, by=BOARD, at=LATER, today=HELD_ON) is False
    new_events(meeting)


def test_an_item_not_on_the_agenda_cannot_be_presented() -> None:
    meeting = given(*scheduled(ITEM))

    with pytest.raises(Conflict) as error:
        meeting.mark_presented(OTHER_ITEM, by=BOARD, at=LATER, today=HELD_ON)
    assert error.value.field == "pain_point_id"
    new_events(meeting)


# -- application ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["board", "admin"])
def test_the_board_and_admins_schedule_meetings(world: World, who: str) -> None:
    before = position(world.app)

    outcome = world.app.schedule_meeting(
        "Inner Circle Q2", "inner-circle", "2026-06-02", by=getattr(world, who)
    )

    (event,) = then(world.app, before, "BoardMeeting.Scheduled")
    assert event.originator_id == outcome.id
    assert (event.name, event.kind, event.held_on) == (
        "Inner Circle Q2",
        "inner-circle",
        "2026-06-02",
    )


@pytest.mark.parametrize("who", ["member", "lead", "vendor", "outsider"])
def test_members_leads_and_the_vendor_cannot_schedule_meetings(world: World, who: str) -> None:
    before = position(world.app)

    with pytest.raises(PermissionDenied):
        world.app.schedule_meeting("Q2", "quality-board", "2026-06-02", by=getattr(world, who))
    nothing_stored(world.app, before)


@pytest.mark.parametrize(
    ("kind", "held_on", "field"),
    [
        ("workshop", "2026-06-02", "kind"),
        ("other", "02.06.2026", "held_on"),
        ("other", "", "held_on"),
    ],
)
def test_a_meeting_of_bad_kind_or_date_is_invalid(
    world: World, kind: str, held_on: str, field: str
) -> None:
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.schedule_meeting("Q2", kind, held_on, by=world.board)
    assert error.value.field == field
    nothing_stored(world.app, before)


def test_scheduling_again_with_the_same_idempotency_key_changes_nothing(world: World) -> None:
    first = world.app.schedule_meeting("Q2", "other", "2026-06-02", by=world.board, key="k")
    before = position(world.app)

    again = world.app.schedule_meeting("Q2", "other", "2026-06-02", by=world.board, key="k")

    assert again == Outcome(first.id, False, None)
    nothing_stored(world.app, before)


@pytest.mark.parametrize("status", [ESCALATED, PRESENTED, ANSWERED])
def test_escalated_presented_and_answered_items_go_on_the_agenda(world: World, status: str) -> None:
    meeting, item = world.meeting(), world.pain_point_in(status)
    before = position(world.app)

    outcome = world.app.set_agenda(meeting, [item], by=world.board)

    (event,) = then(world.app, before, "BoardMeeting.AgendaSet")
    assert event.items == [item]
    assert outcome == Outcome(meeting, True, before + 1)


@pytest.mark.parametrize(
    "status", [NEW, ACCEPTED, NEEDS_INFO, DECLINED, RESOLVED, CLOSED, WITHDRAWN, MERGED]
)
def test_other_items_do_not_go_on_the_agenda(world: World, status: str) -> None:
    meeting = world.meeting()
    items = [world.pain_point_in(ESCALATED), world.pain_point_in(status, "Lizenzen")]
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        world.app.set_agenda(meeting, items, by=world.board)
    assert error.value.field == "items.2"
    nothing_stored(world.app, before)


def test_an_unknown_item_does_not_go_on_the_agenda(world: World) -> None:
    with pytest.raises(Invalid) as error:
        world.app.set_agenda(world.meeting(), [uuid4()], by=world.board)
    assert error.value.field == "items.1"


def test_setting_the_same_agenda_again_stores_nothing(world: World) -> None:
    meeting, item = world.meeting(), world.pain_point_in(ESCALATED)
    world.app.set_agenda(meeting, [item], by=world.board)
    before = position(world.app)

    assert world.app.set_agenda(meeting, [item], by=world.board).changed is False
    nothing_stored(world.app, before)


@pytest.mark.parametrize("who", ["member", "lead", "vendor"])
def test_only_the_board_sets_the_agenda_and_marks_items_presented(world: World, who: str) -> None:
    meeting, item = world.meeting(), world.pain_point_in(ESCALATED)
    world.app.set_agenda(meeting, [item], by=world.board)
    before = position(world.app)

    with pytest.raises(PermissionDenied):
        world.app.set_agenda(meeting, [], by=getattr(world, who))
    with pytest.raises(PermissionDenied):
        world.app.mark_presented(meeting, item, by=getattr(world, who))
    nothing_stored(world.app, before)


def test_the_agenda_of_an_unknown_meeting_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.app.set_agenda(uuid4(), [], by=world.board)
    with pytest.raises(NotFound):
        world.app.mark_presented(uuid4(), world.pain_point_in(ESCALATED), by=world.board)


def test_presenting_an_escalated_item_makes_it_presented_naming_the_meeting(world: World) -> None:
    app, meeting, item = world.app, world.meeting(), world.pain_point_in(ESCALATED)
    app.set_agenda(meeting, [item], by=world.board)
    before = position(app)

    outcome = app.mark_presented(meeting, item, by=world.board)

    presented, changed = then(app, before, "BoardMeeting.ItemPresented", "PainPoint.StatusChanged")
    assert (presented.originator_id, presented.pain_point_id) == (meeting, item)
    assert (changed.originator_id, changed.status, changed.by) == (item, PRESENTED, world.board)
    assert "Quality Board Partner Programme" in changed.reason
    assert app.today().isoformat() in changed.reason  # world.meeting() is held today
    assert outcome == Outcome(meeting, True, before + 2)
    assert world.status(item) == PRESENTED


def test_presenting_an_answered_item_again_makes_it_presented_again(world: World) -> None:
    app, meeting, item = world.app, world.meeting(), world.pain_point_in(ANSWERED)
    app.set_agenda(meeting, [item], by=world.board)
    before = position(app)

    app.mark_presented(meeting, item, by=world.admin)

    _, changed = then(app, before, "BoardMeeting.ItemPresented", "PainPoint.StatusChanged")
    assert changed.status == PRESENTED


def test_presenting_an_item_already_presented_elsewhere_records_only_this_meeting(
    world: World,
) -> None:
    app, meeting, item = world.app, world.meeting(), world.pain_point_in(PRESENTED)
    app.set_agenda(meeting, [item], by=world.board)
    before = position(app)

    app.mark_presented(meeting, item, by=world.board)

    then(app, before, "BoardMeeting.ItemPresented")
    assert world.status(item) == PRESENTED


def test_marking_an_item_presented_twice_changes_nothing_the_second_time(world: World) -> None:
    app, meeting, item = world.app, world.meeting(), world.pain_point_in(ESCALATED)
    app.set_agenda(meeting, [item], by=world.board)
    app.mark_presented(meeting, item, by=world.board)
    before = position(app)

    assert app.mark_presented(meeting, item, by=world.board) == Outcome(meeting, False, None)
    nothing_stored(app, before)


def test_an_item_not_on_the_agenda_cannot_be_marked_presented(world: World) -> None:
    app, meeting = world.app, world.meeting()
    on_agenda, elsewhere = world.pain_point_in(ESCALATED), world.pain_point_in(ESCALATED, "X")
    app.set_agenda(meeting, [on_agenda], by=world.board)
    before = position(app)

    with pytest.raises(Conflict) as error:
        app.mark_presented(meeting, elsewhere, by=world.board)
    assert error.value.field == "pain_point_id"
    nothing_stored(app, before)
    assert world.status(elsewhere) == ESCALATED


def test_an_item_of_a_meeting_still_to_come_is_not_presented_berlins_day_decides(
    world: World, clock: FakeClock
) -> None:
    app, item = world.app, world.pain_point_in(ESCALATED)
    meeting = world.meeting(held_on="2026-07-01")
    app.set_agenda(meeting, [item], by=world.board)
    clock.now = datetime(2026, 6, 30, 21, 58, tzinfo=UTC)  # 23:58 on 30 June in Berlin
    before = position(app)

    with pytest.raises(Conflict) as refused:
        app.mark_presented(meeting, item, by=world.board)
    assert refused.value.code == "meeting.not_held_yet"
    nothing_stored(app, before)

    clock.now = datetime(2026, 6, 30, 22, 0, tzinfo=UTC)  # midnight: 1 July in Berlin
    app.mark_presented(meeting, item, by=world.board)
    then(app, before, "BoardMeeting.ItemPresented", "PainPoint.StatusChanged")


# == vendor responses ===================================================================

PAIN_POINT = uuid4()
VENDOR = uuid4()


def post(**changes: Any) -> VendorResponse:
    fields: dict[str, Any] = {
        "kind": "planned",
        "text": "We will simplify online partner registration.",
        "product_group": "Partner Network",
        "commitment": "",
        "due_on": "",
    }
    fields.update(changes)
    return VendorResponse.post(
        PAIN_POINT, GROUP, by=VENDOR, at=AT, id=uuid4(), today=AT.date(), **fields
    )


# -- aggregate -----------------------------------------------------------------------


def test_posting_a_response_with_a_commitment_records_posted_with_its_target_date() -> None:
    response = post(commitment=" one-page registration ", due_on=" 2026-06-30 ")

    (event,) = new_events(response, VendorResponse.Posted)
    assert (event.pain_point_id, event.group_id, event.kind, event.by) == (
        PAIN_POINT,
        GROUP,
        "planned",
        VENDOR,
    )
    assert (event.commitment, event.due_on) == ("one-page registration", "2026-06-30")
    assert (event.text, event.product_group) == (
        "We will simplify online partner registration.",
        "Partner Network",
    )
    assert response.commitment_state == OPEN


@pytest.mark.parametrize("commitment", ["", "   "])
def test_a_target_date_needs_a_commitment(commitment: str) -> None:
    with pytest.raises(Invalid) as error:
        post(commitment=commitment, due_on="2026-06-30")
    assert (error.value.code, error.value.field) == ("target_date.needs_commitment", "commitment")


def test_a_response_without_a_commitment_has_no_target_date_and_nothing_to_settle() -> None:
    response = post(due_on="")

    (event,) = new_events(response, VendorResponse.Posted)
    assert (event.commitment, event.due_on) == ("", None)
    assert response.commitment_state is None
    with pytest.raises(Conflict):
        response.settle(True, "", by=BOARD, at=LATER, today=LATER.date())
    new_events(response)


@pytest.mark.parametrize("due_on", ["", "   "])
def test_a_commitment_needs_a_target_date(due_on: str) -> None:
    with pytest.raises(Invalid) as error:
        post(commitment="one-page registration", due_on=due_on)
    assert error.value.field == "due_on"


@pytest.mark.parametrize("due_on", ["30.06.2026", "2026-06-31", "Q3"])
def test_a_commitment_with_a_bad_target_date_is_invalid(due_on: str) -> None:
    with pytest.raises(Invalid) as error:
        post(commitment="one-page registration", due_on=due_on)
    assert error.value.field == "due_on"


@pytest.mark.parametrize("kind", ["", "promised", "Planned"])
def test_a_response_of_unknown_kind_is_invalid(kind: str) -> None:
    with pytest.raises(Invalid) as error:
        post(kind=kind)
    assert error.value.field == "kind"


def test_a_response_needs_a_text() -> None:
    with pytest.raises(Invalid) as error:
        post(text="  ")
    assert error.value.field == "text"


def test_a_promise_is_missed_only_after_its_target_date_but_met_any_time() -> None:
    promised = history(post(commitment="one-page registration", due_on=LATER.date().isoformat()))
    response = given(*promised)

    with pytest.raises(Conflict, match="only after its target date"):
        response.settle(False, "", by=BOARD, at=LATER, today=LATER.date())
    new_events(response)
    response.settle(True, "early", by=BOARD, at=LATER, today=LATER.date())
    new_events(response, VendorResponse.CommitmentMet)


@pytest.mark.parametrize(
    ("met", "event_type", "state"),
    [(True, "CommitmentMet", MET), (False, "CommitmentMissed", MISSED)],
)
def test_settling_a_commitment_records_met_or_missed(
    met: bool, event_type: str, state: str
) -> None:
    response = given(*history(post(commitment="one-page registration", due_on=DUE_BEFORE_LATER)))

    response.settle(met, " checked in July ", by=BOARD, at=LATER, today=LATER.date())

    (event,) = new_events(response, getattr(VendorResponse, event_type))
    assert (event.note, event.by, event.timestamp) == ("checked in July", BOARD, LATER)
    assert response.commitment_state == state


@pytest.mark.parametrize("first", [True, False])
@pytest.mark.parametrize("second", [True, False])
def test_a_commitment_is_settled_only_once(first: bool, second: bool) -> None:
    promised = history(post(commitment="one-page registration", due_on=DUE_BEFORE_LATER))
    response = given(*promised)
    response.settle(first, "", by=BOARD, at=LATER, today=LATER.date())
    response = given(*promised, *history(response))

    with pytest.raises(Conflict):
        response.settle(second, "", by=BOARD, at=LATER, today=LATER.date())
    new_events(response)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(date(2026, 6, 29), False), (date(2026, 6, 30), False), (date(2026, 7, 1), True)],
)
def test_an_open_commitment_is_overdue_the_day_after_its_target_date(
    today: date, overdue: bool
) -> None:
    response = given(*history(post(commitment="one-page registration", due_on="2026-06-30")))

    assert response.is_overdue(today) is overdue


@pytest.mark.parametrize("met", [True, False])
def test_a_settled_commitment_is_never_overdue(met: bool) -> None:
    response = given(*history(post(commitment="one-page registration", due_on=DUE_BEFORE_LATER)))
    response.settle(met, "", by=BOARD, at=LATER, today=LATER.date())

    assert not response.is_overdue(date(2030, 1, 1))


def test_a_response_without_a_commitment_is_never_overdue() -> None:
    assert not given(*history(post())).is_overdue(date(2030, 1, 1))


# -- application ----------------------------------------------------------------------


def respond(world: World, pain_point: UUID, by: UUID | None = None, **changes: Any) -> Outcome:
    fields: dict[str, Any] = {
        "kind": "planned",
        "text": "We will simplify online partner registration.",
        "product_group": "Partner Network",
    }
    fields.update(changes)
    return world.app.respond(pain_point, by=by or world.vendor, **fields)


@pytest.mark.parametrize("status", [ESCALATED, PRESENTED])
def test_a_vendor_response_to_an_escalated_or_presented_item_answers_it(
    world: World, status: str
) -> None:
    item = world.pain_point_in(status)
    before = position(world.app)

    outcome = respond(world, item, commitment="one-page registration", due_on="2026-06-30")

    posted, changed = then(world.app, before, "VendorResponse.Posted", "PainPoint.StatusChanged")
    assert (posted.originator_id, posted.pain_point_id, posted.group_id, posted.by) == (
        outcome.id,
        item,
        world.group,
        world.vendor,
    )
    assert (changed.originator_id, changed.status, changed.by) == (item, ANSWERED, world.vendor)
    assert changed.reason
    assert world.status(item) == ANSWERED
    response = world.app.load(VendorResponse, outcome.id, "vendor response")
    assert (response.commitment_state, response.due_on) == (OPEN, "2026-06-30")


def test_a_promise_for_a_day_that_has_passed_in_berlin_is_refused(
    world: World, clock: FakeClock
) -> None:
    item = world.pain_point_in(ESCALATED)
    clock.now = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 July in Berlin
    before = position(world.app)

    with pytest.raises(Invalid) as refused:
        respond(world, item, commitment="one-page registration", due_on="2026-06-30")
    assert (refused.value.code, refused.value.field) == ("commitment.target_date_past", "due_on")
    nothing_stored(world.app, before)

    respond(world, item, commitment="one-page registration", due_on="2026-07-01")
    then(world.app, before, "VendorResponse.Posted", "PainPoint.StatusChanged")


@pytest.mark.parametrize("status", [ANSWERED, RESOLVED, CLOSED])
def test_a_further_response_leaves_the_status_as_it_is(world: World, status: str) -> None:
    item = world.pain_point_in(status)
    before = position(world.app)

    respond(world, item, kind="shipped")

    then(world.app, before, "VendorResponse.Posted")
    assert world.status(item) == status


@pytest.mark.parametrize("status", [NEW, ACCEPTED, NEEDS_INFO, DECLINED, WITHDRAWN, MERGED])
def test_items_not_escalated_are_hidden_from_the_vendor(world: World, status: str) -> None:
    item = world.pain_point_in(status)
    before = position(world.app)

    with pytest.raises(NotFound) as hidden:
        respond(world, item)
    with pytest.raises(NotFound) as unknown:
        respond(world, uuid4())
    assert hidden.value.message == unknown.value.message
    nothing_stored(world.app, before)
    assert world.status(item) == status


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("member", PermissionDenied),
        ("lead", PermissionDenied),
        ("board", PermissionDenied),
        ("admin", PermissionDenied),
        # Not a member of the group: the pain point is not visible to them at all.
        ("outsider", NotFound),
    ],
)
def test_only_people_with_the_vendor_role_respond(
    world: World, who: str, refusal: type[Exception]
) -> None:
    item = world.pain_point_in(ESCALATED)
    before = position(world.app)

    with pytest.raises(refusal):
        respond(world, item, by=getattr(world, who))
    nothing_stored(world.app, before)


def test_a_vendor_role_granted_to_a_member_lets_them_respond(world: World) -> None:
    item = world.pain_point_in(ESCALATED)
    world.app.grant_role(world.member, "vendor", by=SYSTEM)
    before = position(world.app)

    respond(world, item, by=world.member)

    then(world.app, before, "VendorResponse.Posted", "PainPoint.StatusChanged")


def test_a_revoked_vendor_role_no_longer_responds(world: World) -> None:
    item = world.pain_point_in(ESCALATED)
    world.app.revoke_role(world.vendor, "vendor", by=SYSTEM)

    # Without the role they are no longer in the vendor's reach: the item is not visible.
    with pytest.raises(NotFound):
        respond(world, item)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"commitment": "one-page registration"}, "due_on"),
        ({"commitment": "one-page registration", "due_on": "Ende Juni"}, "due_on"),
        ({"kind": "promise"}, "kind"),
        ({"text": ""}, "text"),
    ],
)
def test_an_invalid_response_stores_nothing_and_leaves_the_status(
    world: World, changes: dict[str, str], field: str
) -> None:
    item = world.pain_point_in(ESCALATED)
    before = position(world.app)

    with pytest.raises(Invalid) as error:
        respond(world, item, **changes)
    assert error.value.field == field
    nothing_stored(world.app, before)
    assert world.status(item) == ESCALATED


def test_responding_again_with_the_same_idempotency_key_changes_nothing(world: World) -> None:
    item = world.pain_point_in(ESCALATED)
    first = respond(world, item, key="k")
    before = position(world.app)

    assert respond(world, item, key="k") == Outcome(first.id, False, None)
    nothing_stored(world.app, before)


@pytest.mark.parametrize("who", ["board", "admin"])
@pytest.mark.parametrize(
    ("met", "event_type"), [(True, "CommitmentMet"), (False, "CommitmentMissed")]
)
def test_the_board_settles_a_commitment_once(
    world: World, clock: FakeClock, who: str, met: bool, event_type: str
) -> None:
    item = world.pain_point_in(ESCALATED)
    due_on = world.app.today().isoformat()
    response = respond(world, item, commitment="one-page registration", due_on=due_on).id
    clock.advance(timedelta(days=2))  # the target date has passed: met or missed may be told
    before = position(world.app)

    world.app.settle_commitment(response, met, "checked in July", by=getattr(world, who))

    (event,) = then(world.app, before, f"VendorResponse.{event_type}")
    assert (event.originator_id, event.note) == (response, "checked in July")
    before = position(world.app)
    for again in (True, False):
        with pytest.raises(Conflict):
            world.app.settle_commitment(response, again, "", by=world.admin)
    nothing_stored(world.app, before)


@pytest.mark.parametrize("who", ["vendor", "lead", "member"])
def test_only_the_board_and_admins_settle_commitments(world: World, who: str) -> None:
    item = world.pain_point_in(ESCALATED)
    response = respond(world, item, commitment="one-page registration", due_on="2026-06-30").id
    before = position(world.app)

    with pytest.raises(PermissionDenied):
        world.app.settle_commitment(response, True, "", by=getattr(world, who))
    nothing_stored(world.app, before)


def test_a_response_without_a_commitment_cannot_be_settled(world: World) -> None:
    response = respond(world, world.pain_point_in(ESCALATED)).id

    with pytest.raises(Conflict):
        world.app.settle_commitment(response, True, "", by=world.board)


def test_settling_an_unknown_response_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.app.settle_commitment(uuid4(), True, "", by=world.board)


def test_a_stored_commitment_turns_overdue_after_its_date_until_it_is_settled(
    world: World, clock: FakeClock
) -> None:
    app = world.app
    response_id = respond(
        world, world.pain_point_in(ESCALATED), commitment="fix", due_on="2026-06-30"
    ).id

    response = app.load(VendorResponse, response_id, "vendor response")
    assert not response.is_overdue(date(2026, 6, 30))
    assert response.is_overdue(date(2026, 7, 1))
    with pytest.raises(Conflict, match="only after its target date"):
        app.settle_commitment(response_id, False, "not shipped", by=world.board)
    clock.now = datetime(2026, 7, 1, 8, tzinfo=UTC)

    app.settle_commitment(response_id, False, "not shipped", by=world.board)
    response = app.load(VendorResponse, response_id, "vendor response")
    assert response.commitment_state == MISSED
    assert not response.is_overdue(date(2026, 7, 1))


# == the whole way, from escalation to the vendor's kept promise ==========================


def test_an_escalated_item_goes_on_the_agenda_is_presented_answered_and_resolved(
    world: World,
) -> None:
    app = world.app
    item = world.pain_point_in(ACCEPTED)
    app.change_status(item, ESCALATED, "elf Firmen betroffen", by=world.lead)
    meeting = world.meeting()
    app.set_agenda(meeting, [item], by=world.board)
    app.mark_presented(meeting, item, by=world.board)
    response = respond(world, item, commitment="one-page registration", due_on="2026-06-30").id
    app.settle_commitment(response, True, "registration now takes a day", by=world.board)
    before = position(app)

    app.change_status(item, RESOLVED, "the vendor kept its promise", by=world.board)

    then(app, before, "PainPoint.StatusChanged")
    statuses = [e.status for e in app.events.get(item) if hasattr(e, "status")]
    assert statuses == [ACCEPTED, ESCALATED, PRESENTED, ANSWERED, RESOLVED]
