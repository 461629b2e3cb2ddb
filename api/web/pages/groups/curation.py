"""The lead's curated list: shown on the working-group page, every earlier edition, and
the editor of the group's leads (and admins).

The editor is one full-width row per pain point, in the list's order: its position,
title, community rank, a pinned checkbox, and a reason field where the row departs from
its community rank. Rows are reordered by drag and drop or with move up / move down
buttons (static/reorder.js moves them at once; without JavaScript each button is a round
trip that moves the row here), removed with a button, and added from a select. The
domain checks the rules (at most 15 rows, a reason for every departure, all reported at
once, the edition edited).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import AppDep, RuntimeDep
from api.web.pages.groups.curation_form import (
    Draft,
    EditRow,
    moved,
    parse_move,
    posted_rows,
    row_errors,
)
from api.web.pages.painpoints.forms import READ_WAIT_SECONDS, hex_id, settle
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from domain.curation import DEPARTURE, departs
from domain.errors import Conflict, Invalid, NotFound, PermissionDenied
from domain.limits import MAX_ITEMS
from domain.person import Person
from domain.workflow import OPEN_STATUSES
from domain.workinggroup import WorkingGroup
from projections.board_queries import community_ranks, curated_list, curated_list_as_of
from projections.directory_view import find_group, person_names
from projections.painpoint_view import in_group
from projections.ranking_view import ranking_as_of
from projections.store import Cursor
from projections.view import moment
from service.application import Sprachrohr
from service.runtime import Runtime

router = APIRouter(include_in_schema=False)
#: The editor starts from the community's top this many when nothing is published yet.
START = 10
#: Empty rows offered for additions.
BLANKS = 3
MAX_EDITION = 1_000_000_000
#: Enough of a past ranking to know every listed row's rank then.
EVERY_RANK = 100_000
Rows = Annotated[list[str], Form()]


def visible_group(app: Sprachrohr, person: Person, group_id: str) -> WorkingGroup:
    try:
        uuid = UUID(group_id)
    except ValueError:
        raise NotFound("working_group.not_found") from None
    group = app.load(WorkingGroup, uuid, "working group", readonly=True)
    app.require_visible(person.id, group, "working group")
    return group


def can_curate(app: Sprachrohr, person: Person, group: WorkingGroup) -> bool:
    return group.is_lead(person.id) or app.is_admin(person.id)


def curator_group(app: Sprachrohr, person: Person, group_id: str) -> WorkingGroup:
    group = visible_group(app, person, group_id)
    if not can_curate(app, person, group):
        raise PermissionDenied("group.leads_only_curate")
    return group


def shown(cur: Cursor, listing: dict[str, Any], ranks: dict[str, int] | None) -> dict[str, Any]:
    """An edition for display; with `ranks` (live), each row also shows its rank now."""
    people = person_names(cur, {listing["published_by"]})
    rows = []
    for row in listing["rows"]:
        then = row["community_rank"]
        now = ranks.get(row["pain_point_id"]) if ranks is not None else then
        flagged = departs(row["position"], then)
        closed = bool(row["status"]) and row["status"] not in OPEN_STATUSES
        marks = {"rank_then": then, "rank_now": now, "departs": flagged, "closed": closed}
        rows.append({**row, **marks})
    return {
        **listing,
        "published_at": moment(listing["published_at"]),
        "published_by_name": people.get(listing["published_by"], "Sprachrohr"),
        "rows": rows,
    }


def curated_summary(
    app: Sprachrohr, cur: Cursor, person: Person, group: WorkingGroup, at: int | None = None
) -> dict[str, Any]:
    """What the group page shows of the curated list: the current edition, or with `at`
    (microseconds) the edition that was current then (None if none was published yet),
    with the community ranks of that moment."""
    if at is None:
        listing = curated_list(cur, group.id.hex)
        current = shown(cur, listing, community_ranks(cur, group.id.hex)) if listing else None
        return {"list": current, "can_edit": can_curate(app, person, group), "as_of": False}
    listing = curated_list_as_of(cur, group.id.hex, at)
    if listing is None:
        return {"list": None, "can_edit": False, "as_of": True}
    ranked, _ = ranking_as_of(cur, group.id.hex, at, EVERY_RANK, 0)
    ranks = {item.pain_point_id: item.rank for item in ranked}
    return {"list": shown(cur, listing, ranks), "can_edit": False, "as_of": True}


# -- the editor -------------------------------------------------------------------------


@router.get("/groups/{group_id}/curated/edit", response_class=HTMLResponse)
def edit_form(request: Request, group_id: str, person: WebPerson, runtime: RuntimeDep) -> Response:
    group = curator_group(runtime.app, person, group_id)
    with runtime.store.reading() as cur:
        listing = curated_list(cur, group.id.hex)
        ranks = community_ranks(cur, group.id.hex)
    if listing is not None:
        rows = [EditRow(r["pain_point_id"], r["pinned"], r["rationale"]) for r in listing["rows"]]
        draft = Draft(rows, str(listing["edition"]), "")
    else:
        top = sorted(ranks, key=ranks.__getitem__)[:START]
        draft = Draft([EditRow(pid, False, "") for pid in top], "0", "")
    return editor(request, person, runtime, group, draft)


@router.post("/groups/{group_id}/curated/edit", dependencies=[CsrfChecked])
def publish(
    request: Request,
    group_id: str,
    person: WebPerson,
    runtime: RuntimeDep,
    edition: Annotated[str, Form(max_length=12)] = "",
    note: Annotated[str, Form()] = "",
    action: Annotated[str, Form(max_length=12)] = "",
    move: Annotated[str, Form(max_length=80)] = "",
    remove: Annotated[str, Form(max_length=80)] = "",
    add: Annotated[str, Form(max_length=80)] = "",
    pain_point: Rows = [],  # noqa: B006 - FastAPI copies defaults
    rationale: Rows = [],  # noqa: B006
    pinned: Rows = [],  # noqa: B006
) -> Response:
    """Publish the next edition; without JavaScript the buttons that move, remove or
    add a row (and "check") show the rows again, changed and unpublished."""
    group = curator_group(runtime.app, person, group_id)
    _ = gettext_for(request, person)
    draft = Draft(posted_rows(pain_point, rationale, set(pinned)), edition, note)
    if move:
        return move_row(request, person, runtime, group, draft, move)
    if remove:
        rows = [row for row in draft.rows if row.pain_point != hex_id(remove)]
        gone = len(rows) < len(draft.rows)
        done = _("The row has been removed; publish the list to keep the change.") if gone else ""
        return editor(request, person, runtime, group, replace(draft, rows=rows), done=done)
    if action == "add":
        return add_row(request, person, runtime, group, draft, add)
    if action != "publish":
        return editor(request, person, runtime, group, draft, checked=True)
    return publish_draft(request, person, runtime, group, draft)


def move_row(
    request: Request, person: Person, runtime: Runtime, group: WorkingGroup, draft: Draft, raw: str
) -> Response:
    """One row one place up or down (the move buttons without JavaScript)."""
    _ = gettext_for(request, person)
    parsed = parse_move(raw)
    rows, index = moved(draft.rows, *parsed) if parsed else (draft.rows, None)
    if parsed is None or index is None:
        errors = {"form": _("That row is no longer in the list.")}
        return editor(request, person, runtime, group, draft, errors=errors, status_code=422)
    with runtime.store.reading() as cur:
        found = in_group(cur, group.id.hex, (), {rows[index].pain_point})
    done = _("“%(title)s” is now at position %(position)s of %(count)s.") % {
        "title": found[0]["title"] if found else "",
        "position": index + 1,
        "count": len(rows),
    }
    focus = f"{parsed[0]}:{rows[index].pain_point}"
    changed = replace(draft, rows=rows)
    return editor(request, person, runtime, group, changed, done=done, focus=focus)


def add_row(
    request: Request, person: Person, runtime: Runtime, group: WorkingGroup, draft: Draft, raw: str
) -> Response:
    _ = gettext_for(request, person)
    pid = hex_id(raw)
    with runtime.store.reading() as cur:
        open_ids = {row["id"] for row in in_group(cur, group.id.hex, OPEN_STATUSES, set())}
    if len(draft.rows) >= MAX_ITEMS:
        message = _("The list holds at most %(num)s pain points.") % {"num": MAX_ITEMS}
    elif pid not in open_ids or any(row.pain_point == pid for row in draft.rows):
        message = _("Choose a pain point of the list to add.")
    else:
        rows = [*draft.rows, EditRow(pid, False, "")]
        done = _("The pain point has been added at the end; publish the list to keep it.")
        return editor(request, person, runtime, group, replace(draft, rows=rows), done=done)
    errors = {"add": message}
    return editor(request, person, runtime, group, draft, errors=errors, status_code=422)


def publish_draft(
    request: Request, person: Person, runtime: Runtime, group: WorkingGroup, draft: Draft
) -> Response:
    ranks = live_ranks(runtime, group.id)
    items = [
        {
            "pain_point_id": row.pain_point,
            "pinned": row.pinned,
            "rationale": row.rationale,
            "community_rank": ranks.get(row.pain_point),
        }
        for row in draft.rows
    ]
    edition = int(draft.edition) if draft.edition.isdigit() and len(draft.edition) < 10 else -1
    try:
        outcome = runtime.app.publish_curated_list(
            group.id, items, draft.note, edition=edition, by=person.id
        )
    except (Invalid, Conflict) as exc:
        if exc.field == "edition":
            return editor(request, person, runtime, group, draft, stale=True, status_code=409)
        errors = row_errors(exc, draft.rows, ranks, gettext_for(request, person))
        return editor(request, person, runtime, group, draft, errors=errors, status_code=422)
    settle(runtime, outcome)
    return RedirectResponse(f"/groups/{group.id}?done=curated#curated", status_code=303)


def live_ranks(runtime: Runtime, group_id: UUID) -> dict[str, int]:
    """The community ranks once the views include every event logged so far."""
    runtime.projector.wait_for(runtime.projector.head(), READ_WAIT_SECONDS)
    with runtime.store.reading() as cur:
        return community_ranks(cur, group_id.hex)


def editor(
    request: Request,
    person: Person,
    runtime: Runtime,
    group: WorkingGroup,
    draft: Draft,
    *,
    errors: dict[str, str] | None = None,
    stale: bool = False,
    checked: bool = False,
    done: str = "",
    focus: str = "",
    status_code: int = 200,
) -> Response:
    with runtime.store.reading() as cur:
        ranks = community_ranks(cur, group.id.hex)
        listed = {row.pain_point for row in draft.rows}
        options = candidates(cur, group.id.hex, ranks, listed)
        current = curated_list(cur, group.id.hex)
        context = {"group": find_group(cur, group.id.hex)}
    by_id = {option["id"]: option for option in options}
    rows = []
    for index, row in enumerate(draft.rows, start=1):
        found = by_id.get(row.pain_point, {})
        rank = ranks.get(row.pain_point)
        rows.append(
            {
                **row.__dict__, "id": row.pain_point, "rank": rank,
                "title": found.get("title", ""), "status": found.get("status", ""),
                "closed": found.get("closed", False), "departs": departs(index, rank),
            }
        )  # fmt: skip
    missing = sum(1 for row in rows if row["departs"] and not row["rationale"])
    errors = errors or {}
    flagged = [
        i for i in range(len(rows)) if f"{i}.rationale" in errors or f"{i}.pain_point" in errors
    ]
    addable = [option for option in options if option["id"] not in listed and not option["closed"]]
    return render(
        request, "groups/curated/edit.html", person, status_code=status_code, **context,
        rows=rows, addable=addable, draft=draft, errors=errors, flagged=flagged, stale=stale,
        checked=checked, done=done, focus=focus, missing=missing,
        latest=current["edition"] if current else 0, max_items=MAX_ITEMS, departure=DEPARTURE,
    )  # fmt: skip


def candidates(
    cur: Cursor, group_id: str, ranks: dict[str, int], also: set[str]
) -> list[dict[str, Any]]:
    """The group's open pain points (ranked first, by rank), and those in `also`."""
    rows = in_group(cur, group_id, OPEN_STATUSES, also)
    for row in rows:
        row["rank"] = ranks.get(row["id"])
        row["closed"] = row["status"] not in OPEN_STATUSES
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["title"], r["id"]))


# -- earlier editions -------------------------------------------------------------------


@router.get("/groups/{group_id}/curated/{edition}", response_class=HTMLResponse)
def edition_page(
    request: Request,
    group_id: str,
    edition: str,
    person: WebPerson,
    app: AppDep,
    runtime: RuntimeDep,
) -> Response:
    group = visible_group(app, person, group_id)
    number = int(edition) if edition.isdigit() and len(edition) < 10 else 0
    with runtime.store.reading() as cur:
        listing = curated_list(cur, group.id.hex, number) if number else None
        if listing is None:
            raise NotFound("edition.not_found")
        context: dict[str, Any] = {"group": find_group(cur, group.id.hex)}
        context["listing"] = shown(cur, listing, None)
    return render(request, "groups/curated/edition.html", person, **context)
