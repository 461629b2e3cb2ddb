"""One definition of a business day, a moment and a counter (domain/moments.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Invalid
from domain.moments import (
    EARLIEST,
    EARLIEST_DAY,
    LATEST,
    LATEST_DAY,
    check_count,
    check_moment,
    parse_day,
    parse_moment,
)

offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.dates())
def test_a_day_is_accepted_exactly_within_the_business_range(day: date) -> None:
    inside = EARLIEST_DAY <= day <= LATEST_DAY
    if inside:
        assert parse_day(f" {day.isoformat()} ", field="held_on") == day
    else:
        with pytest.raises(Invalid) as refused:
            parse_day(day.isoformat(), field="held_on")
        assert refused.value.code == "date.range"
        assert refused.value.field == "held_on"


@given(st.datetimes(timezones=offsets))
def test_a_moment_is_accepted_exactly_when_its_instant_is_within_the_range(
    moment: datetime,
) -> None:
    try:
        instant = moment.astimezone(UTC)
    except OverflowError:
        instant = None
    if instant is not None and EARLIEST <= instant <= LATEST:
        assert parse_moment(moment.isoformat(), field="as_of") == moment
    else:
        with pytest.raises(Invalid):
            parse_moment(moment.isoformat(), field="as_of")


@pytest.mark.parametrize(
    "text",
    ["0.5", "1700000000", "2026-03-14", "2026-03-14T09:00:00", "9999-12-31T23:59:59-14:00",
     "2100-12-31T23:59:59-14:00", "0001-01-01T00:00:00Z", "", "today"],
)  # fmt: skip
def test_what_is_not_a_moment(text: str) -> None:
    with pytest.raises(Invalid):
        parse_moment(text, field="as_of")


def test_the_edges_of_the_range_are_moments() -> None:
    assert check_moment(EARLIEST, field="x") == EARLIEST
    assert parse_moment("2100-12-31T23:59:59.999999Z", field="x") == LATEST
    assert parse_moment("2000-01-01T01:00:00+01:00", field="x") == EARLIEST


@pytest.mark.parametrize("value", [0, -1, 1_000_001, 2**63, True])
def test_counters_run_from_one_to_a_million(value: int) -> None:
    with pytest.raises(Invalid):
        check_count(value, field="number")
    assert check_count(1_000_000, field="number") == 1_000_000
