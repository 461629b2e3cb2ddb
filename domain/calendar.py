"""The association's calendar: which day it is, in the association's time zone.

"Today" decides whether a promise is overdue, whether it may be marked missed,
which meetings are upcoming and which day a rule change takes effect. It is
the date on the association's wall calendar (Europe/Berlin unless configured
with SPRACHROHR_TIME_ZONE), never the UTC date: between midnight in Berlin and
midnight UTC the two differ. The domain reads no environment: the time zone is
passed in (the Sprachrohr application carries it).
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

DEFAULT_TIME_ZONE = "Europe/Berlin"


@cache
def zone(name: str) -> tzinfo:
    """The time zone of that IANA name (ZoneInfoNotFoundError if there is none)."""
    return ZoneInfo(name)


def today(now: datetime, time_zone: str = DEFAULT_TIME_ZONE) -> date:
    """The association's date at the moment `now` (which must carry a time zone)."""
    if now.tzinfo is None:
        raise ValueError("now needs a time zone")
    return now.astimezone(zone(time_zone)).date()


def start_of(day: date, time_zone: str = DEFAULT_TIME_ZONE) -> datetime:
    """The first moment of that day on the association's calendar."""
    return datetime.combine(day, time(), zone(time_zone))
