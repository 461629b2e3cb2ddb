"""The promises ledger: every commitment the vendor made, by target date, and the
board's record of whether it was kept."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.routes.reach import is_board_or_admin, promises_reach
from api.web.forms import Text
from api.web.pages.admin.common import error_of, finish, id_or_404, link
from api.web.pages.board.common import (
    BOARD_ONLY,
    BoardPerson,
    flash_text,
    local_today,
    shown_day,
)
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from domain.errors import Conflict, Invalid
from domain.person import Person
from domain.vendor import MET, MISSED, OPEN
from projections.board_queries import promises
from projections.directory_view import group_names
from projections.view import moment
from service.runtime import Runtime

router = APIRouter(include_in_schema=False)
OVERDUE = "overdue"
#: The filters of the ledger; "" is every promise.
STATES = ("", OPEN, OVERDUE, MET, MISSED)
PATH = "/board/promises"


@router.get(PATH, response_class=HTMLResponse)
def promises_page(
    request: Request, person: WebPerson, runtime: RuntimeDep, state: str = "", done: str = ""
) -> Response:
    """The ledger for the board and admins, and for leads their groups' promises (read
    only): the same rule as the API's (api.routes.reach.promises_reach), 404 for others."""
    with runtime.store.reading() as cur:
        promises_reach(person, cur)
    flash = flash_text(request, person, done)
    return _page(request, person, runtime, _state(state), flash=flash)


def _state(raw: str) -> str:
    return raw if raw in STATES else ""


def _page(
    request: Request, person: Person, runtime: Runtime, state: str, **context: Any
) -> Response:
    with runtime.store.reading() as cur:
        rows = promises(cur, local_today(runtime.app), promises_reach(person, cur))
        groups = group_names(cur, {row["group_id"] for row in rows})
    counts = {s: sum(1 for row in rows if _matches(row, s)) for s in STATES}
    shown = [_promise(row, groups) for row in rows if _matches(row, state)]
    context.setdefault("errors", {})
    context.setdefault("values", {})
    return render(
        request,
        "board/promises.html",
        person,
        rows=shown,
        state=state,
        states=STATES,
        counts=counts,
        state_link=lambda s: link(PATH, state=s),
        can_settle=is_board_or_admin(person),
        **context,
    )


def _matches(row: dict[str, Any], state: str) -> bool:
    if state == OVERDUE:
        return bool(row["overdue"])
    return state in ("", row["state"])


def _promise(row: dict[str, Any], groups: dict[str, str]) -> dict[str, Any]:
    return {
        **row,
        "group_name": groups.get(row["group_id"], ""),
        "due_day": shown_day(row["due_on"]),
        "posted_at": moment(row["posted_at"]),
        "settled_at": None if row["settled_at"] is None else moment(row["settled_at"]),
    }


@router.post(PATH + "/{response_id}/settle", dependencies=[*BOARD_ONLY, CsrfChecked])
def settle(
    request: Request,
    response_id: str,
    person: BoardPerson,
    runtime: RuntimeDep,
    outcome: Text = "",
    note: Text = "",
    state: Text = "",
) -> Response:
    _ = gettext_for(request, person)
    target, shown_state = id_or_404(response_id), _state(state)
    errors = {"outcome": _("Choose whether the promise was met or missed.")}
    if outcome in (MET, MISSED):
        try:
            result = runtime.app.settle_commitment(target, outcome == MET, note, by=person.id)
        except (Conflict, Invalid) as exc:
            errors = error_of(exc, _, {"note"})
        else:
            return finish(runtime, result, link(PATH, state=shown_state), outcome)
    return _page(
        request, person, runtime, shown_state, status_code=422, failed=target.hex,
        values={"note": note}, errors=errors,
    )  # fmt: skip
