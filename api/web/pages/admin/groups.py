"""Administration of working groups: the list, founding, enrolling, appointing leads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.web.forms import Text, new_key
from api.web.pages.admin.common import (
    ADMIN_ONLY,
    PAGE_SIZE,
    AdminPerson,
    Gettext,
    Paging,
    clean_query,
    error_of,
    finish,
    flash_text,
    form_key,
    id_or_404,
    link,
    not_found,
    page_number,
    parse_id,
    required,
)
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked
from domain.errors import Conflict, Invalid, NotFound
from domain.person import Person
from domain.workinggroup import KINDS, WorkingGroup
from projections.directory_queries import enrol_candidates, group_members
from projections.directory_view import find_group, list_groups
from projections.view import moment
from service.runtime import Runtime

router = APIRouter(include_in_schema=False, dependencies=ADMIN_ONLY)
CANDIDATES = 200


@router.get("/admin/groups", response_class=HTMLResponse)
def groups(
    request: Request, person: AdminPerson, runtime: RuntimeDep, page: str = "", done: str = ""
) -> Response:
    flash = flash_text(request, person, done)
    return _groups_page(request, person, runtime, page_number(page), flash=flash)


def _groups_page(
    request: Request, person: Person, runtime: Runtime, page: int, **context: Any
) -> Response:
    with runtime.store.reading() as cur:
        rows, total = list_groups(cur, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    rows = [{**row, "founded_at": moment(row["founded_at"])} for row in rows]
    context.setdefault("values", {"kind": "", "key": new_key()})
    context.setdefault("errors", {})
    return render(
        request,
        "admin/groups.html",
        person,
        rows=rows,
        paging=Paging(page, total),
        page_link=lambda n: link("/admin/groups", page=n),
        kinds=KINDS,
        **context,
    )


@router.post("/admin/groups", dependencies=[CsrfChecked])
def found(
    request: Request,
    person: AdminPerson,
    runtime: RuntimeDep,
    name: Text = "",
    kind: Text = "",
    description: Text = "",
    key: Text = "",
) -> Response:
    _ = gettext_for(request, person)
    values = {"name": name, "kind": kind, "description": description, "key": key}
    errors = required(values, ("name",), _)
    if kind not in KINDS:
        errors["kind"] = _("Choose regional or thematic.")
    if not errors:
        try:
            outcome = runtime.app.found_group(
                name, kind, description, by=person.id, key=form_key(key)
            )
        except (Invalid, Conflict) as exc:
            taken = {"Conflict:name": _("A working group with this name already exists.")}
            errors = error_of(exc, _, {"name", "kind", "description"}, taken)
        else:
            return finish(runtime, outcome, f"/admin/groups/{outcome.id.hex}", "founded")
    return _groups_page(request, person, runtime, 1, status_code=422, values=values, errors=errors)


@router.get("/admin/groups/{group_id}", response_class=HTMLResponse)
def group_page(
    request: Request,
    group_id: str,
    person: AdminPerson,
    runtime: RuntimeDep,
    q: str = "",
    done: str = "",
) -> Response:
    flash = flash_text(request, person, done)
    return _group_page(request, person, runtime, group_id, q=clean_query(q), flash=flash)


def _group_page(
    request: Request, person: Person, runtime: Runtime, group_id: str, **context: Any
) -> Response:
    with runtime.store.reading() as cur:
        group = find_group(cur, id_or_404(group_id).hex)
        if group is None:
            not_found()
        members = group_members(cur, group["id"])
        q = context.setdefault("q", "")
        candidates, total = enrol_candidates(cur, group["id"], q, CANDIDATES)
    context.setdefault("values", {})
    context.setdefault("errors", {})
    staff = gettext_for(request, person)("Association staff")
    return render(
        request,
        "admin/group.html",
        person,
        group=group,
        members=members,
        candidate_choices=[
            (c["id"], f"{c['display_name']} — {c['company_name'] or staff}") for c in candidates
        ],
        more_candidates=total - len(candidates),
        lead_choices=[(m["person_id"], m["display_name"]) for m in members if not m["is_lead"]],
        **context,
    )


def _group_id(runtime: Runtime, raw: str) -> UUID:
    """The id of an existing working group, else the 404 page."""
    group_id = id_or_404(raw)
    if runtime.app.find(WorkingGroup, group_id, readonly=True) is None:
        not_found()
    return group_id


@router.post("/admin/groups/{group_id}/members", dependencies=[CsrfChecked])
def enrol(
    request: Request,
    group_id: str,
    person: AdminPerson,
    runtime: RuntimeDep,
    member: Text = "",
    email: Text = "",
) -> Response:
    _ = gettext_for(request, person)
    target = _group_id(runtime, group_id)
    values = {"member": member, "email": email}
    chosen, errors = _whom(runtime, member, email, _)
    if chosen is not None:
        try:
            outcome = runtime.app.enrol(target, chosen, by=person.id)
        except NotFound:
            errors = {"member": _("Choose one of the listed people.")}
        else:
            code = "enrolled" if outcome.changed else "unchanged"
            return finish(runtime, outcome, f"/admin/groups/{target.hex}", code)
    return _group_page(
        request, person, runtime, group_id, status_code=422, values=values, errors=errors
    )


def _whom(
    runtime: Runtime, member: str, email: str, _: Gettext
) -> tuple[UUID | None, dict[str, str]]:
    """The person to enrol: found by e-mail address if one is given, else the chosen one."""
    if email.strip():
        found = runtime.app.find_person_by_email(email)
        if found is None:
            return None, {"email": _("No one is registered with this e-mail address.")}
        return found.id, {}
    chosen = parse_id(member)
    if chosen is None:
        return None, {"member": _("Choose a person, or enter their e-mail address.")}
    return chosen, {}


@router.post("/admin/groups/{group_id}/leads", dependencies=[CsrfChecked])
def appoint_lead(
    request: Request, group_id: str, person: AdminPerson, runtime: RuntimeDep, lead: Text = ""
) -> Response:
    _ = gettext_for(request, person)
    target = _group_id(runtime, group_id)
    chosen = parse_id(lead)
    errors = {"lead": _("Choose one of the group's members.")}
    if chosen is not None:
        try:
            outcome = runtime.app.appoint_lead(target, chosen, by=person.id)
        except NotFound:
            pass
        else:
            code = "appointed" if outcome.changed else "unchanged"
            return finish(runtime, outcome, f"/admin/groups/{target.hex}", code)
    values = {"lead": lead}
    return _group_page(
        request, person, runtime, group_id, status_code=422, values=values, errors=errors
    )
