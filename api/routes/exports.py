"""`?format=csv|xlsx` on list routes: the whole list as a file, headers in the reader's language.

The JSON route decides who may read and what the list holds; this module only turns
its rows into a file (service.exporting) — a file is never paged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response

from api.web.i18n import translations
from api.web.render import language_of
from domain.messages import N_
from domain.person import Person
from service.exporting import CSV, MEDIA_TYPES, XLSX, Cell, table_file

FileFormat = Annotated[
    Literal["json", "csv", "xlsx"],
    Query(
        alias="format",
        description="json (a page), or csv / xlsx: the whole list as a file (never paged),"
        " column headers in the reader's language",
    ),
]
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The list; as a file with format=csv or format=xlsx",
        "content": {
            CSV: {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
#: Every list is read whole for a file, up to this many rows.
ALL_ROWS = 1_000_000

#: Column headers (English; German in the catalogue).
RANK, TITLE, STATUS, SCORE, COMPANIES, SUPPORTERS = (
    N_("Rank"), N_("Title"), N_("Status"), N_("Score"), N_("Companies"), N_("Supporters")
)  # fmt: skip
FIRST_SUPPORT, PAIN_POINT_ID, COMMUNITY_RANK, REASON = (
    N_("First support"), N_("Pain point id"), N_("Community rank"), N_("Reason for the order")
)  # fmt: skip
PINNED, COMMITMENT, DUE_ON, STATE, OVERDUE, POSTED, SETTLED, NOTE = (
    N_("Pinned"), N_("Commitment"), N_("Due on"), N_("State"), N_("Overdue"), N_("Posted"),
    N_("Settled"), N_("Note"),
)  # fmt: skip
SUBMITTED, TAGS, POSITION, RANK_WHEN_PUBLISHED = (
    N_("Submitted"), N_("Tags"), N_("Position"), N_("Community rank when published")
)  # fmt: skip


def reader_language(request: Request, person: Person) -> str:
    """As the web decides it: the person's choice, the language cookie, Accept-Language."""
    return language_of(request, person)


def file_response(
    fmt: str,
    name: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    language: str,
) -> Response:
    gettext = translations(language).gettext
    headers = [gettext(column) for column in columns]
    data = table_file(fmt, name, headers, rows, language=language)
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
