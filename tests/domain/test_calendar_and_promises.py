"""The association's "today" and the promise states built on it (domain/calendar.py,
domain/promises.py): the ledger's "overdue" and the "mark missed" rule are one rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import calendar
from domain.errors import Conflict
from domain.promises import MET, MISSED, OPEN, OVERDUE, may_mark_missed, promise_state
from domain.vendor import VendorResponse

BERLIN = "Europe/Berlin"
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2026, 6, 30, 21, 59, tzinfo=UTC), date(2026, 6, 30)),  # 23:59 CEST
        (datetime(2026, 6, 30, 22, 0, tzinfo=UTC), date(2026, 7, 1)),  # midnight CEST
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), date(2026, 7, 1)),
        (datetime(2026, 12, 31, 22, 59, tzinfo=UTC), date(2026, 12, 31)),  # 23:59 CET
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 1)),
    ],
)
def test_today_is_the_date_in_berlin_not_in_utc(now: datetime, day: date) -> None:
    assert calendar.today(now, BERLIN) == day


def test_today_needs_a_moment_with_a_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        calendar.today(datetime(2026, 6, 30, 12), BERLIN)


def test_a_day_starts_at_midnight_on_the_associations_calendar() -> None:
    start = calendar.start_of(date(2026, 7, 1), BERLIN)
    assert start.astimezone(UTC) == datetime(2026, 6, 30, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    ("recorded", "due", "today", "state"),
    [
        (None, None, date(2026, 7, 1), None),
        (OPEN, "2026-06-30", date(2026, 6, 30), OPEN),
        (OPEN, "2026-06-30", date(2026, 7, 1), OVERDUE),
        (MET, "2026-06-30", date(2026, 7, 1), MET),
        (MISSED, "2026-06-30", date(2026, 7, 1), MISSED),
    ],
)
def test_promise_states(recorded: str | None, due: str | None, today: date, state: str) -> None:
    assert promise_state(recorded, due, today) == state


@given(moments, days)
def test_overdue_on_the_ledger_exactly_when_it_may_be_marked_missed(
    now: datetime, due: date
) -> None:
    today = calendar.today(now, BERLIN)
    assert (promise_state(OPEN, due, today) == OVERDUE) is may_mark_missed(OPEN, due, today)


@given(moments, days)
def test_the_aggregate_refuses_marking_missed_exactly_while_the_ledger_shows_it_open(
    now: datetime, due: date
) -> None:
    posted = datetime(2019, 12, 31, 9, tzinfo=UTC)  # before every due day drawn
    response = VendorResponse.post(
        uuid4(), uuid4(), kind="planned", text="Wir arbeiten daran.", product_group="",
        commitment="Ein Schritt", due_on=due.isoformat(), by=uuid4(),
        at=posted, id=uuid4(), today=calendar.today(posted, BERLIN),
    )  # fmt: skip
    today = calendar.today(now, BERLIN)
    shown = response.state_on(today)
    if shown == OPEN:
        with pytest.raises(Conflict) as refused:
            response.settle(False, "", by=uuid4(), at=now, today=today)
        assert refused.value.code == "commitment.missed_too_early"
    else:
        assert shown == OVERDUE
        response.settle(False, "", by=uuid4(), at=now, today=today)
        assert response.commitment_state == MISSED
