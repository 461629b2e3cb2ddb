"""Dates that cannot be true are refused where they are recorded (domain/meeting.py,
domain/workinggroup.py): an item is presented at a meeting only from the meeting's day
on, on the association's calendar; a voting round never closes before it opened.

Given / when / then, each with an explicit clock: `today` is what domain.calendar says
at the command's moment in Europe/Berlin.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain import calendar
from domain.errors import Conflict
from domain.meeting import BoardMeeting
from domain.workinggroup import WorkingGroup

BERLIN = "Europe/Berlin"
BOARD, ITEM = uuid4(), uuid4()
HELD_ON = date(2027, 3, 15)


def meeting_with_item(held_on: date = HELD_ON) -> BoardMeeting:
    """Given: a meeting on `held_on` (scheduled weeks before) with ITEM on its agenda."""
    scheduled = datetime(2027, 1, 4, 9, tzinfo=UTC)
    meeting = BoardMeeting.schedule(
        "Quality Board", "quality-board", held_on.isoformat(), by=BOARD, at=scheduled, id=uuid4()
    )
    meeting.set_agenda([ITEM], by=BOARD, at=scheduled)
    meeting.collect_events()
    return meeting


def present(meeting: BoardMeeting, at: datetime) -> bool:
    """When: the board marks ITEM presented at `at` (its day in Berlin is `today`)."""
    return meeting.mark_presented(ITEM, by=BOARD, at=at, today=calendar.today(at, BERLIN))


@pytest.mark.parametrize("days", [0, 1, 30])
def test_an_item_is_presented_on_the_meetings_day_or_later(days: int) -> None:
    meeting = meeting_with_item()
    at = datetime.combine(HELD_ON + timedelta(days=days), datetime.min.time(), UTC)

    assert present(meeting, at + timedelta(hours=9)) is True

    (event,) = meeting.collect_events()
    assert isinstance(event, BoardMeeting.ItemPresented)
    assert meeting.presented == [ITEM]


@pytest.mark.parametrize("days", [1, 60])
def test_an_item_is_not_presented_before_the_meetings_day(days: int) -> None:
    meeting = meeting_with_item()
    at = datetime.combine(HELD_ON - timedelta(days=days), datetime.min.time(), UTC)

    with pytest.raises(Conflict) as refused:
        present(meeting, at + timedelta(hours=9))

    assert (refused.value.code, refused.value.params) == (
        "meeting.not_held_yet",
        {"held_on": "2027-03-15"},
    )
    assert meeting.collect_events() == []
    assert meeting.presented == []


def test_the_meetings_day_begins_at_midnight_in_berlin_not_in_utc() -> None:
    # 14 March 2027, 23:30 UTC is 00:30 on 15 March in Berlin (CET, UTC+1).
    assert present(meeting_with_item(), datetime(2027, 3, 14, 23, 30, tzinfo=UTC)) is True
    # 22:30 UTC is 23:30 on the 14th in Berlin: the meeting is still to come.
    with pytest.raises(Conflict):
        present(meeting_with_item(), datetime(2027, 3, 14, 22, 30, tzinfo=UTC))


@given(
    st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    ),
    st.integers(min_value=-2, max_value=2),
)
@example(datetime(2027, 6, 30, 22, 0, tzinfo=UTC), 0)  # midnight CEST: 1 July in Berlin
@example(datetime(2027, 6, 30, 21, 59, tzinfo=UTC), 1)  # 23:59 CEST: still 30 June
def test_presenting_is_refused_exactly_while_the_berlin_day_is_before_the_meeting(
    at: datetime, offset: int
) -> None:
    """The meeting is held within a day or two of the UTC date of `at`: whether it may be
    marked depends on the date in Berlin alone, whichever side of midnight UTC it is."""
    held_on = at.date() + timedelta(days=offset)
    meeting = meeting_with_item(held_on)
    if calendar.today(at, BERLIN) < held_on:
        with pytest.raises(Conflict):
            present(meeting, at)
    else:
        assert present(meeting, at) is True


# -- voting rounds ----------------------------------------------------------------------

OPENED = datetime(2027, 3, 1, 9, tzinfo=UTC)


def group_with_open_round() -> WorkingGroup:
    """Given: a group voting in rounds whose round 1 opened at OPENED."""
    group = WorkingGroup.found("Lizenzen", "thematic", "", by=BOARD, at=OPENED, id=uuid4())
    group.change_rules(None, True, "Runden", effective_from=OPENED, by=BOARD, at=OPENED)
    group.open_round("Frühjahr", by=BOARD, at=OPENED)
    group.collect_events()
    return group


def test_a_voting_round_closes_at_or_after_its_opening() -> None:
    group = group_with_open_round()

    group.close_round(by=BOARD, at=OPENED)

    (event,) = group.collect_events()
    assert isinstance(event, WorkingGroup.RoundClosed)


def test_a_voting_round_never_closes_before_it_opened() -> None:
    group = group_with_open_round()

    with pytest.raises(Conflict) as refused:
        group.close_round(by=BOARD, at=OPENED - timedelta(seconds=1))

    assert refused.value.code == "voting.round_closes_before_open"
    assert group.collect_events() == []
    assert group.current_round() is not None
