"""The working groups' directory: every group, my status in it, and asking to join.

Every signed-in person but the vendor's representatives sees it (404 for them:
domain.visibility.sees_group_directory). A person of an active member company asks
to join a group (the leads decide on the group's join-requests page) and may take
the request back while it waits. Leads' names appear where the reader sees names
(domain.visibility.sees_names: in their own groups, for the board and admins).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.pages.painpoints.forms import cannot_submit
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from domain import visibility
from domain.errors import NotFound
from projections.directory_view import group_directory, person_names
from service.runtime import announce

router = APIRouter(include_in_schema=False)


@router.get("/groups", response_class=HTMLResponse)
def directory(request: Request, person: WebPerson, runtime: RuntimeDep, done: str = "") -> Response:
    runtime.app.require_directory(person.id)
    with runtime.store.reading() as cur:
        rows = group_directory(cur, person.id.hex)
        names = person_names(cur, {lead for row in rows for lead in row["leads"]})
    admin = visibility.ADMIN in person.roles
    groups = []
    for row in rows:
        member = row["my_status"] in ("lead", "member")
        sees = visibility.sees_names(person.roles, member=member)
        leads = sorted(names.get(lead, "") for lead in row["leads"]) if sees else None
        waiting = row["join_requests"] if admin or row["my_status"] == "lead" else 0
        groups.append({**row, "lead_names": leads, "waiting": waiting})
    _ = gettext_for(request, person)
    flashes = {
        "asked": _("Your request has been sent: the group's leads decide on it."),
        "withdrawn": _("Your request has been withdrawn."),
    }
    return render(
        request,
        "groups/directory.html",
        person,
        groups=groups,
        cannot_ask=cannot_submit(runtime, person),
        flash=flashes.get(done),
    )


def _group_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound("working_group.not_found") from None


@router.post("/groups/{group_id}/join", dependencies=[CsrfChecked])
def ask(group_id: str, person: WebPerson, runtime: RuntimeDep) -> Response:
    uuid = _group_id(group_id)
    announce(runtime, runtime.app.ask_to_join(uuid, by=person.id))
    return RedirectResponse(f"/groups?done=asked#group-{uuid.hex}", status_code=303)


@router.post("/groups/{group_id}/join/withdraw", dependencies=[CsrfChecked])
def withdraw(group_id: str, person: WebPerson, runtime: RuntimeDep) -> Response:
    uuid = _group_id(group_id)
    announce(runtime, runtime.app.withdraw_join(uuid, person.id, by=person.id))
    return RedirectResponse(f"/groups?done=withdrawn#group-{uuid.hex}", status_code=303)
