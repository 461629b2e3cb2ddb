"""The API's value types: business days, moments, positions and counters.

Every request body field and query or path parameter that is a date, a date-time, a
log position or a counter uses one of these, so the API accepts exactly what the domain
accepts (`domain/moments.py`: 2000-01-01 … 2100-12-31, date-times with a time zone, ISO
8601 strings only — never a number — and integers within signed 64 bits) and the OpenAPI
document says so. A value outside them is a 422 problem naming the field, never a 500
and never an event a page cannot show.

    from api.values import Day, Moment, Position, Count, AsOfQuery, MomentQuery
    class MeetingIn(Body):
        held_on: Day
    def changes(..., until: MomentQuery = None): ...
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, Field, WithJsonSchema

from domain.errors import Invalid
from domain.moments import (
    DAY_HINT,
    MAX_COUNT,
    MAX_POSITION,
    MOMENT_HINT,
    parse_day,
    parse_moment,
)


def _day(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, str):
        text = value
    else:
        raise ValueError(f"must be {DAY_HINT} (a string, not a number)")
    try:
        return parse_day(text, field="date")
    except Invalid:
        raise ValueError(f"must be {DAY_HINT}") from None


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, str):
        text = value
    else:
        raise ValueError(f"must be {MOMENT_HINT} (a string, not a number)")
    try:
        return parse_moment(text, field="moment")
    except Invalid as error:
        raise ValueError(error.message.removeprefix("moment ")) from None


_DAY_SCHEMA = {
    "type": "string",
    "format": "date",
    "description": f"ISO 8601 date, {DAY_HINT}.",
}
_MOMENT_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "description": f"ISO 8601 date-time with a time zone, {MOMENT_HINT}.",
}

#: A business day in a request (2000-01-01 … 2100-12-31, `YYYY-MM-DD` only).
Day = Annotated[date, BeforeValidator(_day), WithJsonSchema(_DAY_SCHEMA, mode="validation")]
#: A moment in a request (ISO 8601 with a time zone, within the business days).
Moment = Annotated[
    datetime, BeforeValidator(_moment), WithJsonSchema(_MOMENT_SCHEMA, mode="validation")
]
#: A log position (1 … 2⁶³−1).
Position = Annotated[int, Field(ge=1, le=MAX_POSITION, strict=True)]
#: A counter such as a round number or an edition (1 … 1,000,000).
Count = Annotated[int, Field(ge=1, le=MAX_COUNT)]

#: Query parameters.
MomentQuery = Annotated[
    Moment | None,
    Query(description=f"ISO 8601 date-time with a time zone, {MOMENT_HINT}."),
]
AsOfQuery = Annotated[
    Moment | None,
    Query(description=f"The state as it stood then: {MOMENT_HINT}."),
]
DayQuery = Annotated[Day | None, Query(description=f"ISO 8601 date, {DAY_HINT}.")]
MinPosition = Annotated[
    int | None,
    Query(
        ge=0,
        le=MAX_POSITION,
        description="Wait until the views include this log position (read-your-writes);"
        " 503 with Retry-After when they do not within the read wait.",
    ),
]
#: A counter in a path, e.g. `/rounds/{number}`.
CountPath = Annotated[int, Path(ge=1, le=MAX_COUNT)]

# -- texts -------------------------------------------------------------------------
# The domain strips surrounding blanks, refuses control characters (but tab and line
# breaks) and, where a text is required, refuses one that is blank (domain.rules
# clean_text). The patterns say the same in the schema.

_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
REQUIRED_TEXT = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"
PLAIN_TEXT = rf"^[^{_CONTROL}]*$"
EMAIL = rf"^[^\s@{_CONTROL}]+@[^\s@.{_CONTROL}]+(\.[^\s@.{_CONTROL}]+)+$"

#: A text the domain requires: not blank, no control characters. Add max_length.
Required = Annotated[str, Field(pattern=REQUIRED_TEXT)]
#: A text that may be empty: no control characters. Add max_length.
Plain = Annotated[str, Field(pattern=PLAIN_TEXT)]
#: An e-mail address as the domain accepts it (domain.person.normalise_email).
Email = Annotated[str, Field(pattern=EMAIL, max_length=254)]
