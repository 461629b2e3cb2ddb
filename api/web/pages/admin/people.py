"""Administration of people: the list, registering, a person's roles and groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.routes.people_admin import event_out
from api.web.errors import error_text
from api.web.forms import Text, new_key
from api.web.pages.admin.common import (
    ADMIN_ONLY,
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
from domain.errors import Conflict, DomainError, Invalid, NotFound
from domain.person import GRANTABLE_ROLES, Person, normalise_email
from projections.directory_queries import STAFF, company_options, find_person, people_page
from projections.directory_view import groups_of
from service import security
from service.passwords import check_password
from service.runtime import Runtime

router = APIRouter(include_in_schema=False, dependencies=ADMIN_ONLY)
FIELDS = ("email", "display_name", "company", "password")
#: The events of a person's history on their page (sign-ins are left out).
SHOWN = frozenset(
    {
        "Registered",
        "RoleGranted",
        "RoleRevoked",
        "Renamed",
        "EmailChanged",
        "MovedToCompany",
        "Deactivated",
        "Reactivated",
        "PasswordChanged",
    }
)


@dataclass(frozen=True)
class PeopleFilter:
    company: str = ""
    q: str = ""
    page: int = 1

    def link(self, page: int) -> str:
        return link("/admin/people", company=self.company, q=self.q, page=page)


@router.get("/admin/people", response_class=HTMLResponse)
def people(
    request: Request,
    person: AdminPerson,
    runtime: RuntimeDep,
    company: str = "",
    q: str = "",
    page: str = "",
    done: str = "",
) -> Response:
    chosen = parse_id(company)
    company = STAFF if company == STAFF else (chosen.hex if chosen else "")
    shown = PeopleFilter(company, clean_query(q), page_number(page))
    return _people_page(request, person, runtime, shown, flash=flash_text(request, person, done))


def _people_page(
    request: Request, person: Person, runtime: Runtime, f: PeopleFilter, **context: Any
) -> Response:
    with runtime.store.reading() as cur:
        companies = company_options(cur)
        paging = Paging(f.page, 0)
        rows, total = people_page(cur, f.company, f.q, paging.size, paging.offset)
    context.setdefault("values", {"key": new_key()})
    context.setdefault("errors", {})
    _ = gettext_for(request, person)
    choices = [(STAFF, _("Association staff (no member company)"))]
    choices += [(c["id"], c["name"]) for c in companies if not c["ended"]]
    return render(
        request,
        "admin/people.html",
        person,
        f=f,
        rows=rows,
        paging=Paging(f.page, total),
        companies=companies,
        company_choices=choices,
        STAFF=STAFF,
        **context,
    )


@router.post("/admin/people", dependencies=[CsrfChecked])
def register(
    request: Request,
    person: AdminPerson,
    runtime: RuntimeDep,
    email: Text = "",
    display_name: Text = "",
    company: Text = "",
    password: Text = "",
    key: Text = "",
) -> Response:
    _ = gettext_for(request, person)
    values = {"email": email, "display_name": display_name, "company": company, "key": key}
    errors = _check_registration(values, password, _)
    if not errors:
        try:
            outcome = runtime.app.register_person(
                email,
                display_name,
                None if company == STAFF else parse_id(company),
                security.hash_password(password),
                by=person.id,
                key=form_key(key),
            )
        except (Invalid, Conflict, NotFound) as exc:
            errors = _registration_error(exc, _)
        else:
            return finish(runtime, outcome, f"/admin/people/{outcome.id.hex}", "registered")
    return _people_page(
        request, person, runtime, PeopleFilter(), status_code=422, values=values, errors=errors
    )


def _check_registration(values: dict[str, str], password: str, _: Gettext) -> dict[str, str]:
    """What is wrong with the form, found before the (costly) password hash. Whether
    the address is taken is left to the command: a resubmitted form (same key) must
    land on the person it registered, not on an error."""
    errors = required(values, ("email", "display_name"), _)
    if "email" not in errors:
        try:
            normalise_email(values["email"])
        except Invalid:
            errors["email"] = _("Please enter a valid e-mail address, like name@company.example.")
    if values["company"] != STAFF and parse_id(values["company"]) is None:
        errors["company"] = _("Choose the person's company, or the association's staff.")
    try:
        check_password(password)
    except Invalid as refused:
        errors["password"] = error_text(refused, _)
    return errors


def _registration_error(exc: DomainError, _: Gettext) -> dict[str, str]:
    if isinstance(exc, NotFound):
        return {"company": _("Choose the person's company, or the association's staff.")}
    if exc.field == "company_id":
        return {"company": _("This company's membership has ended; choose another.")}
    messages = {
        "Conflict:email": _("Someone is already registered with this e-mail address."),
        "Invalid:email": _("Please enter a valid e-mail address, like name@company.example."),
    }
    return error_of(exc, _, set(FIELDS), messages)


@router.get("/admin/people/{person_id}", response_class=HTMLResponse)
def person_page(
    request: Request, person_id: str, person: AdminPerson, runtime: RuntimeDep, done: str = ""
) -> Response:
    return _person_page(
        request, person, runtime, person_id, flash=flash_text(request, person, done)
    )


def _person_page(
    request: Request, person: Person, runtime: Runtime, person_id: str, **context: Any
) -> Response:
    other = runtime.app.find(Person, id_or_404(person_id), readonly=True)
    if other is None:
        not_found()
    with runtime.store.reading() as cur:
        row = find_person(cur, other.id.hex)
        groups = groups_of(cur, other.id.hex)
        companies = company_options(cur)
    context.setdefault("errors", {})
    history = [
        event_out(e) for e in reversed(runtime.app.events_of(other.id)) if type(e).__name__ in SHOWN
    ]
    return render(
        request,
        "admin/person.html",
        person,
        other=other,
        row=row,
        groups=groups,
        roles=GRANTABLE_ROLES,
        companies=companies,
        history=history,
        **context,
    )


@router.post("/admin/people/{person_id}/roles/{action}", dependencies=[CsrfChecked])
def change_role(
    request: Request,
    person_id: str,
    action: str,
    person: AdminPerson,
    runtime: RuntimeDep,
    role: Text = "",
) -> Response:
    if action not in ("grant", "revoke"):
        not_found()
    command = runtime.app.grant_role if action == "grant" else runtime.app.revoke_role
    try:
        outcome = command(id_or_404(person_id), role, by=person.id)
    except (Invalid, Conflict) as exc:
        _ = gettext_for(request, person)
        messages = {
            "Conflict:": _("You cannot revoke your own admin role."),
            "Invalid:": _("Only the admin and the board role can be granted here."),
        }
        errors = error_of(exc, _, set(), messages)
        return _person_page(request, person, runtime, person_id, status_code=422, errors=errors)
    code = {"grant": "granted", "revoke": "revoked"}[action] if outcome.changed else "unchanged"
    return finish(runtime, outcome, f"/admin/people/{outcome.id.hex}", code)


@router.post("/admin/people/{person_id}/erase", dependencies=[CsrfChecked])
def erase(
    request: Request,
    person_id: str,
    person: AdminPerson,
    runtime: RuntimeDep,
    background: BackgroundTasks,
    reason: Text = "",
) -> Response:
    """The admin confirms an erasure (GDPR Art. 17); the views' files are scrubbed next."""
    other = runtime.app.find(Person, id_or_404(person_id), readonly=True)
    if other is None:
        not_found()
    email = other.email  # known until the key is destroyed: the outbox is purged by it
    try:
        outcome = runtime.app.erase_person(other.id, reason, by=person.id)
    except (Invalid, Conflict) as exc:
        _ = gettext_for(request, person)
        errors = error_of(exc, _, set(), {})
        return _person_page(request, person, runtime, person_id, status_code=422, errors=errors)
    if outcome.position is not None:
        background.add_task(runtime.complete_erasure, outcome.position, email)
    return finish(runtime, outcome, f"/admin/people/{outcome.id.hex}", "erased")
