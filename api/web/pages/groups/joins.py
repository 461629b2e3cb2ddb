"""A working group's join requests: its leads (and admins) agree or decline."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import AppDep, RuntimeDep
from api.web.render import render
from api.web.session import CsrfChecked, WebPerson
from domain.errors import NotFound, PermissionDenied
from domain.person import Person
from domain.workinggroup import WorkingGroup
from projections.directory_view import person_names
from service.application import Sprachrohr
from service.runtime import announce

router = APIRouter(include_in_schema=False)


def _led_group(app: Sprachrohr, person: Person, group_id: str) -> WorkingGroup:
    try:
        uuid = UUID(group_id)
    except ValueError:
        raise NotFound("working_group.not_found") from None
    group = app.load(WorkingGroup, uuid, "working group", readonly=True)
    app.require_visible(person.id, group, "working group")
    if not (group.is_lead(person.id) or app.is_admin(person.id)):
        raise PermissionDenied("group.leads_or_admin_join")
    return group


@router.get("/groups/{group_id}/join-requests", response_class=HTMLResponse)
def join_requests(
    request: Request, group_id: str, person: WebPerson, app: AppDep, runtime: RuntimeDep
) -> Response:
    group = _led_group(app, person, group_id)
    pending = group.pending_joins()
    with runtime.store.reading() as cur:
        known = person_names(cur, {p.hex for p in pending})
    people = [{"id": p.hex, "name": known.get(p.hex, "")} for p in pending]
    return render(request, "groups/join_requests.html", person, group=group, people=people)


@router.post("/groups/{group_id}/join-requests/{person_id}/{decision}", dependencies=[CsrfChecked])
def decide(
    group_id: str, person_id: str, decision: str, person: WebPerson, runtime: RuntimeDep
) -> Response:
    group = _led_group(runtime.app, person, group_id)
    try:
        asked = UUID(person_id)
    except ValueError:
        raise NotFound("person.not_found") from None
    if decision not in ("agree", "decline"):
        raise NotFound("page.not_found")
    outcome = runtime.app.decide_join(group.id, asked, decision == "agree", by=person.id)
    announce(runtime, outcome)
    return RedirectResponse(f"/groups/{group.id.hex}/join-requests", status_code=303)
