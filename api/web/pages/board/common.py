"""What the board's pages share: the gate (the board and admins; a 404 to everyone
else), days in Berlin, and the confirmations their forms redirect with."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

from api.web.forms import form_day
from api.web.i18n import TIMEZONE
from api.web.pages.admin.common import not_found
from api.web.render import gettext_for
from api.web.session import WebPerson
from domain import calendar
from domain.calendar import DEFAULT_TIME_ZONE
from domain.person import Person
from service.application import Sprachrohr

BERLIN = ZoneInfo(TIMEZONE)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST_YEAR = 2000
YEARS_AHEAD = 10


def board_person(person: WebPerson) -> Person:
    """The signed-in board member or admin; to everyone else the area does not exist."""
    if not (person.has_role("board") or person.has_role("admin")):
        not_found()
    return person


BoardPerson = Annotated[Person, Depends(board_person)]
BOARD_ONLY = [Depends(board_person)]


def parse_day(raw: str) -> date | None:
    """A business day written like 2026-03-14, or None."""
    return form_day(raw)


def last_year(today: date) -> int:
    """The last year a meeting can be scheduled in (the first is FIRST_YEAR)."""
    return today.year + YEARS_AHEAD


def local_today(app: Sprachrohr) -> date:
    """The association's date (domain.calendar.today in its time zone)."""
    return app.today()


def start_of(day: date, time_zone: str = DEFAULT_TIME_ZONE) -> datetime:
    """Midnight at the start of a day on the association's calendar."""
    return calendar.start_of(day, time_zone)


def end_of(day: date, time_zone: str = DEFAULT_TIME_ZONE) -> datetime:
    """Midnight at the end of a day on the association's calendar."""
    return start_of(day + timedelta(days=1), time_zone)


def shown_day(iso_day: str | None) -> datetime | None:
    """A stored day (2026-03-14) as a moment `fmt.date` shows as that day."""
    if not iso_day:
        return None
    return datetime.combine(date.fromisoformat(iso_day), time(12), tzinfo=BERLIN)


def flash_text(request: Request, person: Person, done: str) -> str | None:
    """The confirmation a `?done=…` redirect asks for, translated; None for others."""
    _ = gettext_for(request, person)
    messages = {
        "scheduled": _("The meeting has been scheduled."),
        "agenda": _("The agenda has been saved."),
        "order": _("The agenda's new order has been saved."),
        "presented": _("The item has been recorded as presented."),
        "met": _("The promise has been marked as met."),
        "missed": _("The promise has been marked as missed."),
        "unchanged": _("Nothing to change: it was already so."),
    }
    return messages.get(done)
