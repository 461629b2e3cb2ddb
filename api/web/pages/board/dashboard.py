"""The board's area (the board and admins; a 404 to everyone else): the vendor board
meetings and scheduling one, and the routers of its parts (a meeting, the promises)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.routing import attach
from api.web.forms import Text, calendar_day, new_key
from api.web.pages.admin.common import Gettext, error_of, finish, form_key, required
from api.web.pages.board.common import (
    BOARD_ONLY,
    FIRST_YEAR,
    BoardPerson,
    flash_text,
    last_year,
    local_today,
    shown_day,
)
from api.web.pages.board.dossiers import router as dossier_pages
from api.web.pages.board.meetings import router as meeting_pages
from api.web.pages.board.promises import router as promise_pages
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked
from domain.errors import Invalid
from domain.meeting import MEETING_KINDS
from domain.person import Person
from projections.board_queries import meetings
from service.runtime import Runtime

router = APIRouter(include_in_schema=False)
listing = APIRouter(include_in_schema=False, dependencies=BOARD_ONLY)
EVERY_MEETING = 10_000
FIELDS = {"name", "kind", "held_on"}


@listing.get("/board", response_class=HTMLResponse)
def board_home(
    request: Request, person: BoardPerson, runtime: RuntimeDep, done: str = ""
) -> Response:
    return _home(request, person, runtime, flash=flash_text(request, person, done))


def _home(request: Request, person: Person, runtime: Runtime, **context: Any) -> Response:
    today = local_today(runtime.app).isoformat()
    with runtime.store.reading() as cur:
        rows, _ = meetings(cur, EVERY_MEETING, 0)
    summaries = [_summary(row) for row in rows]  # latest first
    context.setdefault("values", {"kind": MEETING_KINDS[0], "key": new_key()})
    context.setdefault("errors", {})
    return render(
        request,
        "board/index.html",
        person,
        upcoming=[s for s in reversed(summaries) if s["held_on"] >= today],
        past=[s for s in summaries if s["held_on"] < today],
        kinds=MEETING_KINDS,
        **context,
    )


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "held_on": row["held_on"],
        "day": shown_day(row["held_on"]),
        "agenda": len(row["agenda"]),
        "presented": len(row["presented"]),
    }


@listing.post("/board/meetings", dependencies=[CsrfChecked])
def schedule(
    request: Request,
    person: BoardPerson,
    runtime: RuntimeDep,
    name: Text = "",
    kind: Text = "",
    held_on: Text = "",
    key: Text = "",
) -> Response:
    _ = gettext_for(request, person)
    values = {"name": name, "kind": kind, "held_on": held_on, "key": key}
    errors = _checked(values, last_year(local_today(runtime.app)), _)
    if not errors:
        try:
            outcome = runtime.app.schedule_meeting(
                name, kind, held_on.strip(), by=person.id, key=form_key(key)
            )
        except Invalid as exc:
            errors = error_of(exc, _, FIELDS)
        else:
            return finish(runtime, outcome, f"/board/meetings/{outcome.id.hex}", "scheduled")
    return _home(request, person, runtime, status_code=422, values=values, errors=errors)


def _checked(values: dict[str, str], last: int, _: Gettext) -> dict[str, str]:
    """Errors by field of the scheduling form, before the board's command sees it."""
    errors = required(values, ("name", "held_on"), _)
    if values["kind"] not in MEETING_KINDS:
        errors["kind"] = _("Choose one of the listed kinds of meeting.")
    if "held_on" not in errors:
        day = calendar_day(values["held_on"])
        if day is None:
            errors["held_on"] = _("Enter a date like 2026-03-14.")
        elif not FIRST_YEAR <= day.year <= last:
            message = _("Choose a day in the years %(first)s to %(last)s.")
            errors["held_on"] = message % {"first": FIRST_YEAR, "last": last}
    return errors


for part in (listing, meeting_pages, promise_pages, dossier_pages):
    attach(router, part)
