"""What the association accepts as a business day, a moment and a number.

One definition, used by the domain's commands (so the log never holds a value a read
path cannot show) and by every request schema and query parameter of the API
(`api/schemas/values.py` wraps these in pydantic types).

- A **business day** is a calendar date from 2000-01-01 to 2100-12-31, written as an ISO
  8601 date (`2026-03-14`).
- A **moment** is an ISO 8601 date-time *with* a time zone (`2026-03-14T09:00:00Z`,
  `…+01:00`) whose instant lies within those days in UTC. Numbers are never moments
  (no Unix times: `0.5` is not a moment).
- A **log position** is a positive integer that fits SQLite's and PostgreSQL's signed
  64-bit integers; other counters (round numbers, editions, versions) stay below
  `MAX_COUNT`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from domain.errors import Invalid

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2101, 1, 1, tzinfo=UTC) - timedelta(microseconds=1)
#: The largest value of a signed 64-bit integer (SQLite INTEGER, PostgreSQL bigint).
MAX_INT64 = 2**63 - 1
#: Log positions run from 1 to this.
MAX_POSITION = MAX_INT64
#: Round numbers, editions, versions and similar counters run from 1 to this.
MAX_COUNT = 1_000_000

DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
MOMENT_PATTERN = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})$"
_DAY = re.compile(DAY_PATTERN)
_MOMENT = re.compile(MOMENT_PATTERN)

DAY_HINT = f"a date from {EARLIEST_DAY} to {LATEST_DAY}, like 2026-03-14"
MOMENT_HINT = (
    f"an ISO 8601 moment with a time zone from {EARLIEST_DAY} to {LATEST_DAY},"
    " like 2026-03-14T09:00:00Z"
)
_DAY_RANGE = {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}


def _bad_day(field: str) -> Invalid:
    return Invalid("date.range", field=field, example="2026-03-14", **_DAY_RANGE)


def _bad_moment(field: str) -> Invalid:
    return Invalid("moment.range", field=field, example="2026-03-14T09:00:00Z", **_DAY_RANGE)


def check_day(value: date, *, field: str) -> date:
    """The day, if it is a business day; else Invalid."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _bad_day(field)
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise _bad_day(field)
    return value


def parse_day(text: str, *, field: str) -> date:
    """An ISO 8601 date string (surrounding blanks allowed) as a business day."""
    cleaned = text.strip() if isinstance(text, str) else ""
    if not _DAY.match(cleaned):
        raise _bad_day(field)
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise _bad_day(field) from None
    return check_day(day, field=field)


def check_moment(value: datetime, *, field: str) -> datetime:
    """The moment, if it has a time zone and lies within the business days (in UTC)."""
    if not isinstance(value, datetime):
        raise _bad_moment(field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise Invalid("datetime.needs_time_zone", field=field, example="2026-03-14T09:00:00Z")
    try:
        instant = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise _bad_moment(field) from None
    if not EARLIEST <= instant <= LATEST:
        raise _bad_moment(field)
    return value


def parse_moment(text: str, *, field: str) -> datetime:
    """An ISO 8601 date-time string with a time zone as a moment (never a number)."""
    cleaned = text.strip() if isinstance(text, str) else ""
    if not _MOMENT.match(cleaned):
        raise _bad_moment(field)
    try:
        value = datetime.fromisoformat(cleaned.replace("z", "Z"))
    except ValueError:
        raise _bad_moment(field) from None
    return check_moment(value, field=field)


def check_count(value: int, *, field: str, maximum: int = MAX_COUNT) -> int:
    """A counter (round number, edition …) from 1 to `maximum`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise Invalid("count.range", field=field, max=maximum)
    return value
