"""A vendor cannot promise something for a day that has already passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import calendar
from domain.errors import Invalid
from domain.vendor import VendorResponse

BERLIN = "Europe/Berlin"
moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
offsets = st.integers(min_value=-800, max_value=800)


def post(due: date, at: datetime) -> VendorResponse:
    return VendorResponse.post(
        uuid4(), uuid4(), kind="planned", text="Wir arbeiten daran.", product_group="",
        commitment="Ein Schritt", due_on=due.isoformat(), by=uuid4(), at=at, id=uuid4(),
        today=calendar.today(at, BERLIN),
    )  # fmt: skip


@given(moments, offsets)
def test_a_target_date_is_accepted_exactly_when_it_is_not_before_today(
    at: datetime, offset: int
) -> None:
    today = calendar.today(at, BERLIN)
    due = today + timedelta(days=offset)
    if due < today:
        with pytest.raises(Invalid) as refused:
            post(due, at)
        assert (refused.value.code, refused.value.field) == (
            "commitment.target_date_past",
            "due_on",
        )
    else:
        assert post(due, at).due_on == due.isoformat()


def test_today_is_the_associations_day_not_the_utc_day() -> None:
    # 23:30 UTC on 31 March is already 1 April in Berlin: 31 March has passed there.
    at = datetime(2027, 3, 31, 23, 30, tzinfo=UTC)
    with pytest.raises(Invalid):
        post(date(2027, 3, 31), at)
    assert post(date(2027, 4, 1), at).due_on == "2027-04-01"
