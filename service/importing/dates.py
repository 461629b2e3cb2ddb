"""The spreadsheet's dates: YYYY-MM-DD or DD.MM.YYYY; a day alone is 12:00 in Berlin."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
NOON = time(12, 0)
FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
TIMED_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M")


def parse_moment(text: str) -> datetime | None:
    """The moment a cell names (UTC), or None when it is no date."""
    value = text.strip()
    for fmt in FORMATS:
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return on_day(day)
    for fmt in TIMED_FORMATS:
        try:
            local = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return local.replace(tzinfo=BERLIN).astimezone(UTC)
    return None


def on_day(day: date) -> datetime:
    return datetime.combine(day, NOON, tzinfo=BERLIN).astimezone(UTC)
