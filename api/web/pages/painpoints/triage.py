"""What leads and the board do on a pain point's page (status moves, merges), and the
leads' triage inbox: what waits in every group they lead, with a quick status move."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.errors import error_text
from api.web.forms import Text
from api.web.pages.painpoints.forms import PostedForm, hex_id, settle
from api.web.pages.painpoints.page import attempt
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from domain.errors import Conflict, Invalid, NotFound
from domain.person import Person
from domain.workflow import moves_for
from projections.queries import triage_inbox, triage_waiting
from projections.view import moment
from service.application import Outcome
from service.runtime import Runtime

router = APIRouter(include_in_schema=False)
#: Rows of the triage inbox per page.
INBOX_PAGE = 50


def inbox(
    request: Request,
    person: Person,
    runtime: Runtime,
    page: int,
    *,
    done: str = "",
    failed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The inbox page; 404 for who leads no group. `failed`: the row whose quick move
    was refused, with its input and message."""
    now = runtime.app.clock()
    with runtime.store.reading() as cur:
        if triage_waiting(cur, person.id.hex) is None:
            raise NotFound("page.not_found")
        rows, total = triage_inbox(cur, person.id.hex, INBOX_PAGE, (page - 1) * INBOX_PAGE)
    items: list[dict[str, Any]] = []
    for row in rows:
        submitted = moment(row["submitted_at"])
        items.append({
            **row, "submitted_at": submitted, "age_days": max(0, (now - submitted).days),
            "moves": sorted(moves_for(row["status"], lead=True, board=False)),
        })  # fmt: skip
    return render(
        request, "painpoints/triage_inbox.html", person, status_code=status_code, items=items,
        total=total, page=page, pages=max(1, -(-total // INBOX_PAGE)), done=done,
        failed=failed or {},
    )  # fmt: skip


@router.get("/triage", response_class=HTMLResponse)
def triage_page(
    request: Request,
    person: WebPerson,
    runtime: RuntimeDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    return inbox(request, person, runtime, page, done=done)


@router.post("/triage/{pain_point_id}", dependencies=[CsrfChecked])
def quick_move(
    request: Request,
    pain_point_id: UUID,
    person: WebPerson,
    runtime: RuntimeDep,
    status: Text = "",
    reason: Text = "",
) -> Response:
    """A status move from the inbox: back to the inbox, or the inbox with the message."""
    try:
        outcome = runtime.app.change_status(pain_point_id, status, reason, by=person.id)
    except (Invalid, Conflict) as exc:
        message = error_text(exc, gettext_for(request, person))
        failed = {"id": pain_point_id.hex, "status": status, "reason": reason, "error": message}
        return inbox(request, person, runtime, 1, failed=failed, status_code=422)
    settle(runtime, outcome)
    return RedirectResponse("/triage?done=status", status_code=303)


@router.post("/pain-points/{pain_point_id}/status")
def change_status(at: PostedForm, status: Text = "", reason: Text = "") -> Response:
    def command() -> Outcome:
        return at.runtime.app.change_status(at.pain_point_id, status, reason, by=at.person.id)

    return attempt(at, ("status", {"status": status, "reason": reason}), command, "status")


@router.post("/pain-points/{pain_point_id}/merge")
def merge(at: PostedForm, target: Text = "", reason: Text = "") -> Response:
    def command() -> Outcome:
        target_id = UUID(hex_id(target)) if hex_id(target) else at.pain_point_id
        return at.runtime.app.merge(at.pain_point_id, target_id, reason, by=at.person.id)

    return attempt(at, ("merge", {"target": target, "reason": reason}), command, "merged")


@router.post("/pain-points/{pain_point_id}/unmerge")
def unmerge(at: PostedForm, reason: Text = "") -> Response:
    def command() -> Outcome:
        return at.runtime.app.unmerge(at.pain_point_id, reason, by=at.person.id)

    return attempt(at, ("unmerge", {"reason": reason}), command, "unmerged")
