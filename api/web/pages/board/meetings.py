"""A vendor board meeting: its agenda (edited, items marked presented) and what
changed in the working groups since the previous meeting."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.web.forms import Text
from api.web.pages.admin.common import clean_query, error_of, finish, id_or_404, not_found, parse_id
from api.web.pages.board.common import (
    BOARD_ONLY,
    BoardPerson,
    flash_text,
    local_today,
    shown_day,
)
from api.web.pages.board.window import choose_window, readable_changes
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked
from domain.errors import Conflict, Invalid
from domain.limits import MAX_AGENDA
from domain.person import Person
from domain.workflow import AGENDA_STATUSES
from projections.board_queries import meeting
from projections.directory_view import group_names
from projections.queries import with_support
from projections.ranking_view import tallies_of
from projections.store import Cursor
from projections.view import moment
from service.runtime import Runtime

router = APIRouter(include_in_schema=False, dependencies=BOARD_ONLY)
Ids = Annotated[list[str] | None, Form()]
AGENDA_LIST = sorted(AGENDA_STATUSES)


@router.get("/board/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(
    request: Request,
    meeting_id: str,
    person: BoardPerson,
    runtime: RuntimeDep,
    since: str = "",
    until: str = "",
    done: str = "",
) -> Response:
    chosen = {"since": clean_query(since, 20), "until": clean_query(until, 20)}
    flash = flash_text(request, person, done)
    return _page(request, person, runtime, meeting_id, chosen, flash=flash)


def _page(
    request: Request,
    person: Person,
    runtime: Runtime,
    meeting_id: str,
    chosen: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    _ = gettext_for(request, person)
    with runtime.store.reading() as cur:
        row = meeting(cur, id_or_404(meeting_id).hex)
        if row is None:
            not_found()
        window, problems = choose_window(
            cur, row, runtime.app.clock(), chosen or {}, _, runtime.app.time_zone
        )
        changes = readable_changes(cur, window)
        agenda = _agenda(cur, row)
        candidates = with_support(cur, AGENDA_LIST)
    checked = context.pop("checked", None)
    order = context.pop("order", None)
    shown = agenda if order is None else _in_order(agenda, order)
    today = local_today(runtime.app).isoformat()
    context["errors"] = {**problems, **context.get("errors", {})}
    context.setdefault("status_code", 422 if problems else 200)
    return render(
        request,
        "board/meeting.html",
        person,
        meeting={**row, "day": shown_day(row["held_on"])},
        upcoming=row["held_on"] >= today,
        presentable=row["held_on"] <= today,
        agenda=agenda,
        order=shown,
        order_changed=order is not None,
        editor=_editor(agenda, candidates, checked),
        max_agenda=MAX_AGENDA,
        window=window,
        changes=changes,
        **context,
    )


def _agenda(cur: Cursor, row: dict[str, Any]) -> list[dict[str, Any]]:
    """The agenda in order: each item with its group, its support and when presented."""
    items = row["agenda"]
    tallies = tallies_of(cur, [item["pain_point_id"] for item in items])
    groups = group_names(cur, {item["group_id"] for item in items})
    return [
        {
            **item,
            "group_name": groups.get(item["group_id"], ""),
            "companies": tallies.get(item["pain_point_id"], (0, 0))[0],
            "supporters": tallies.get(item["pain_point_id"], (0, 0))[1],
            "presented_at": None if item["presented_at"] is None else moment(item["presented_at"]),
        }
        for item in items
    ]


def _in_order(agenda: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """The agenda's items in a draft order (ids), the items the draft misses at the end."""
    by_id = {item["pain_point_id"]: item for item in agenda}
    first = [by_id[pid] for pid in dict.fromkeys(order) if pid in by_id]
    return first + [item for item in agenda if item not in first]


def _editor(
    agenda: list[dict[str, Any]], candidates: list[dict[str, Any]], checked: set[str] | None
) -> dict[str, Any]:
    """The agenda editor's choices: the agenda's items first (in its order), then the
    other candidates; items no longer eligible are listed apart (saving drops them)."""
    on_agenda = [item["pain_point_id"] for item in agenda]
    ticked = set(on_agenda) if checked is None else checked
    by_id = {c["id"]: c for c in candidates}
    first = [by_id[pid] for pid in on_agenda if pid in by_id]
    rest = [c for c in candidates if c["id"] not in set(on_agenda)]
    return {
        "choices": [{**c, "checked": c["id"] in ticked} for c in first + rest],
        "dropped": [item for item in agenda if item["pain_point_id"] not in by_id],
    }


def _chosen_ids(raw: list[str]) -> list[UUID] | None:
    """The ticked pain points in form order, each once; None if one is no id."""
    ids = [parse_id(value) for value in dict.fromkeys(raw)]
    return None if None in ids else [i for i in ids if i is not None]


@router.post("/board/meetings/{meeting_id}/agenda", dependencies=[CsrfChecked])
def save_agenda(
    request: Request, meeting_id: str, person: BoardPerson, runtime: RuntimeDep, items: Ids = None
) -> Response:
    _ = gettext_for(request, person)
    target = id_or_404(meeting_id)
    chosen = _chosen_ids(items or [])
    if chosen is None:
        message = _("Choose pain points from the list.")
    else:
        try:
            outcome = runtime.app.set_agenda(target, chosen, by=person.id)
        except Invalid as exc:
            message = error_of(exc, _, set())[""]
        else:
            code = "agenda" if outcome.changed else "unchanged"
            return finish(runtime, outcome, f"/board/meetings/{target.hex}", code)
    checked = {found.hex for found in map(parse_id, items or []) if found is not None}
    return _page(
        request, person, runtime, meeting_id, status_code=422, errors={"items": message},
        checked=checked,
    )  # fmt: skip


@router.post("/board/meetings/{meeting_id}/agenda/order", dependencies=[CsrfChecked])
def save_order(
    request: Request,
    meeting_id: str,
    person: BoardPerson,
    runtime: RuntimeDep,
    items: Ids = None,
    move: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """Save the agenda's new order; without JavaScript, a move button moves one item one
    place up or down and shows the order again, not yet saved."""
    _ = gettext_for(request, person)
    target = id_or_404(meeting_id)
    order = [found.hex for found in map(parse_id, (items or [])[: MAX_AGENDA * 2]) if found]
    if move:
        return _move(request, person, runtime, meeting_id, order, move)
    try:
        outcome = runtime.app.reorder_agenda(target, [UUID(pid) for pid in order], by=person.id)
    except (Conflict, Invalid) as exc:
        errors = {"order": error_of(exc, _, set())[""]}
        return _page(
            request, person, runtime, meeting_id, status_code=409, errors=errors, order=order
        )
    code = "order" if outcome.changed else "unchanged"
    return finish(runtime, outcome, f"/board/meetings/{target.hex}", code)


def _move(
    request: Request, person: Person, runtime: Runtime, meeting_id: str, order: list[str], raw: str
) -> Response:
    _ = gettext_for(request, person)
    direction, _sep, pid = raw.partition(":")
    found = parse_id(pid)
    index = order.index(found.hex) if found is not None and found.hex in order else -1
    if direction not in ("up", "down") or index < 0:
        errors = {"order": _("That item is no longer on the agenda.")}
        return _page(
            request, person, runtime, meeting_id, status_code=422, errors=errors, order=order
        )
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
        index = other
    return _page(
        request, person, runtime, meeting_id, order=order, focus=f"{direction}:{order[index]}",
        moved_position=index + 1,
    )  # fmt: skip


@router.post("/board/meetings/{meeting_id}/presented", dependencies=[CsrfChecked])
def mark_presented(
    request: Request,
    meeting_id: str,
    person: BoardPerson,
    runtime: RuntimeDep,
    pain_point: Text = "",
) -> Response:
    _ = gettext_for(request, person)
    target, item = id_or_404(meeting_id), parse_id(pain_point)
    message = _("Choose an item of the agenda.")
    if item is not None:
        try:
            outcome = runtime.app.mark_presented(target, item, by=person.id)
        except (Conflict, Invalid) as exc:
            message = error_of(exc, _, set())[""]
        else:
            code = "presented" if outcome.changed else "unchanged"
            return finish(runtime, outcome, f"/board/meetings/{target.hex}", code)
    errors = {"presented": message}
    return _page(request, person, runtime, meeting_id, status_code=422, errors=errors)
