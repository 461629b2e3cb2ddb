"""Languages: Babel catalogues compiled at start-up, localised dates and numbers."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from domain.calendar import DEFAULT_TIME_ZONE

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("de", "en")
DEFAULT = "de"
TIMEZONE = DEFAULT_TIME_ZONE  # shown times; "today" is domain.calendar with the setting


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of a language; English is the source language of every message."""
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def negotiate(preference: str | None, cookie: str | None, accept_language: str) -> str:
    """The person's preference, else the language cookie, else Accept-Language, else German."""
    for choice in (preference, cookie):
        if choice in LANGUAGES:
            return choice
    ranked = []
    for part in accept_language.split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        ranked.append((weight, tag.split("-")[0].lower()))
    for _, tag in sorted(ranked, key=lambda pair: -pair[0]):
        if tag in LANGUAGES:
            return tag
    return DEFAULT


def _local(value: dt.datetime) -> dt.datetime:
    """The moment in the association's time zone; one at the edge of what a datetime
    holds (a value an older log may carry) stays in its own zone instead of failing."""
    try:
        return value.astimezone(ZoneInfo(TIMEZONE))
    except OverflowError:
        return value


class Formats:
    """Locale-aware formatting for templates."""

    def __init__(self, language: str) -> None:
        self.language = language

    def datetime(self, value: dt.datetime | None) -> str:
        if value is None:
            return "—"
        return format_datetime(_local(value), "medium", locale=self.language)

    def date(self, value: dt.datetime | dt.date | str | None) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, str):  # a day as the views keep it: 2027-02-28
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                return value
            return format_date(day, "medium", locale=self.language)
        if not isinstance(value, dt.datetime):  # a calendar day (a target date)
            return format_date(value, "medium", locale=self.language)
        return format_date(_local(value), "medium", locale=self.language)

    def day(self, value: dt.date) -> str:
        """A calendar day in full ("Freitag, 4. Dezember 2026")."""
        return format_date(value, "full", locale=self.language)

    def number(self, value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.language)
