"""Administration of sign-in and people: access requests, company identity providers,
editing, moving, deactivating people, removing them from groups and revoking leads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.web.errors import error_text
from api.web.forms import Text
from api.web.pages.admin.common import (
    ADMIN_ONLY,
    AdminPerson,
    finish,
    flash_text,
    id_or_404,
    not_found,
    parse_id,
)
from api.web.pages.admin.people import _person_page
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked
from domain.company import MemberCompany
from domain.errors import DomainError
from domain.person import Person
from projections.access_view import list_access_requests
from projections.directory_view import list_companies, list_groups
from projections.view import moment

router = APIRouter(include_in_schema=False, dependencies=ADMIN_ONLY)


@router.get("/admin/access-requests", response_class=HTMLResponse)
def access_requests(
    request: Request, person: AdminPerson, runtime: RuntimeDep, done: str = ""
) -> Response:
    with runtime.store.reading() as cur:
        pending, _total = list_access_requests(cur, "pending", 100, 0)
        decided, _count = list_access_requests(cur, None, 100, 0)
        companies = {r["id"]: r["name"] for r in list_companies(cur, 1000, 0)[0]}
        groups = {r["id"]: r["name"] for r in list_groups(cur, 1000, 0)[0]}
    for row in pending:
        row["requested"] = moment(row["requested_at"])
    return render(
        request,
        "admin/access_requests.html",
        person,
        pending=pending,
        decided=[r for r in decided if r["status"] != "pending"],
        companies=companies,
        groups=groups,
        flash=flash_text(request, person, done),
    )


@router.post("/admin/access-requests/{request_id}/{action}", dependencies=[CsrfChecked])
def decide_access_request(
    request_id: str, action: str, person: AdminPerson, runtime: RuntimeDep, reason: Text = ""
) -> Response:
    target = id_or_404(request_id)
    if action == "approve":
        outcome = runtime.app.approve_access_request(target, by=person.id)
    elif action == "decline":
        outcome = runtime.app.decline_access_request(target, reason, by=person.id)
    else:
        not_found()
    return finish(runtime, outcome, "/admin/access-requests", f"request-{action}d")


@router.get("/admin/companies/{company_id}/sign-in", response_class=HTMLResponse)
def company_sign_in(
    request: Request, company_id: str, person: AdminPerson, runtime: RuntimeDep, done: str = ""
) -> Response:
    company = runtime.app.find(MemberCompany, id_or_404(company_id), readonly=True)
    if company is None:
        not_found()
    return render(
        request,
        "admin/company_sign_in.html",
        person,
        company=company,
        errors={},
        flash=flash_text(request, person, done),
        oidc=request.app.state.oidc is not None,
    )


@router.post("/admin/companies/{company_id}/sign-in/{what}", dependencies=[CsrfChecked])
def change_company_sign_in(
    request: Request,
    company_id: str,
    what: str,
    person: AdminPerson,
    runtime: RuntimeDep,
    tenant_id: Text = "",
    allowed: Text = "",
) -> Response:
    company = id_or_404(company_id)
    try:
        if what == "tenant":
            outcome = runtime.app.register_identity_provider(company, tenant_id, by=person.id)
        elif what == "password":
            outcome = runtime.app.allow_password_sign_in(company, allowed == "yes", by=person.id)
        else:
            not_found()
    except DomainError as exc:
        return _refused(request, person, exc)
    return finish(runtime, outcome, f"/admin/companies/{company.hex}/sign-in", "saved")


@router.post("/admin/people/{person_id}/edit", dependencies=[CsrfChecked])
def edit_person(
    request: Request,
    person_id: str,
    person: AdminPerson,
    runtime: RuntimeDep,
    display_name: Text = "",
    email: Text = "",
    company: Text = "",
) -> Response:
    other = runtime.app.find(Person, id_or_404(person_id), readonly=True)
    if other is None:
        not_found()
    moved_to = parse_id(company)
    try:
        address = runtime.email_changes.check(other.id, email, by=person.id) if email else None
        outcome = runtime.app.change_person(
            other.id,
            display_name=display_name,
            company_id=moved_to if moved_to != other.company_id else None,
            by=person.id,
        )
        if address is not None:
            outcome = runtime.email_changes.request(other.id, address, by=person.id)
    except DomainError as exc:
        _ = gettext_for(request, person)
        return _person_page(
            request, person, runtime, person_id, status_code=422, errors=_errors(exc, _)
        )
    code = "mailed" if address is not None else "saved"
    return finish(runtime, outcome, f"/admin/people/{other.id.hex}", code)


@router.post("/admin/people/{person_id}/active/{state}", dependencies=[CsrfChecked])
def change_active(
    request: Request, person_id: str, state: str, person: AdminPerson, runtime: RuntimeDep
) -> Response:
    target = id_or_404(person_id)
    try:
        if state == "off":
            outcome = runtime.app.deactivate_person(target, by=person.id)
        elif state == "on":
            outcome = runtime.app.reactivate_person(target, by=person.id)
        else:
            not_found()
    except DomainError as exc:
        _ = gettext_for(request, person)
        return _person_page(
            request, person, runtime, person_id, status_code=409, errors=_errors(exc, _)
        )
    return finish(runtime, outcome, f"/admin/people/{target.hex}", "saved")


@router.post("/admin/groups/{group_id}/{role}/{person_id}/remove", dependencies=[CsrfChecked])
def remove_from_group(
    request: Request,
    group_id: str,
    role: str,
    person_id: str,
    person: AdminPerson,
    runtime: RuntimeDep,
) -> Response:
    group, target = id_or_404(group_id), id_or_404(person_id)
    if role == "members":
        outcome = runtime.app.remove_from_group(group, target, by=person.id)
    elif role == "leads":
        outcome = runtime.app.revoke_lead(group, target, by=person.id)
    else:
        not_found()
    return finish(runtime, outcome, f"/admin/groups/{group.hex}", "saved")


def _errors(exc: DomainError, _: Any) -> dict[str, str]:
    text = error_text(exc, _)
    return {"": text[:1].upper() + text[1:]}


def _refused(request: Request, person: Person, exc: DomainError) -> Response:
    _ = gettext_for(request, person)
    status = 409 if exc.__class__.__name__ == "Conflict" else 422
    return render(
        request,
        "error.html",
        person,
        status_code=status,
        title=_("That did not work"),
        detail=_errors(exc, _)[""],
    )
