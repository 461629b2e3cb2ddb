"""Administration of member companies: the list, admitting, ending a membership."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RuntimeDep
from api.web.forms import Text, new_key
from api.web.pages.admin.common import (
    ADMIN_ONLY,
    PAGE_SIZE,
    AdminPerson,
    Paging,
    error_of,
    finish,
    flash_text,
    form_key,
    id_or_404,
    link,
    not_found,
    page_number,
    required,
)
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked
from domain.errors import Conflict, Invalid
from domain.person import Person
from projections.directory_view import find_company, list_companies
from projections.view import moment
from service.runtime import Runtime

router = APIRouter(include_in_schema=False, dependencies=ADMIN_ONLY)


@router.get("/admin/companies", response_class=HTMLResponse)
def companies(
    request: Request, person: AdminPerson, runtime: RuntimeDep, page: str = "", done: str = ""
) -> Response:
    return _companies_page(request, person, runtime, page_number(page), done=done)


def _companies_page(
    request: Request,
    person: Person,
    runtime: Runtime,
    page: int,
    *,
    status_code: int = 200,
    done: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    with runtime.store.reading() as cur:
        rows, total = list_companies(cur, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    shown = [
        {**r, "admitted_at": moment(r["admitted_at"]), "ended_at": _moment(r["ended_at"])}
        for r in rows
    ]
    return render(
        request,
        "admin/companies.html",
        person,
        status_code=status_code,
        flash=flash_text(request, person, done),
        rows=shown,
        paging=Paging(page, total),
        page_link=lambda n: link("/admin/companies", page=n),
        values=values or {"name": "", "key": new_key()},
        errors=errors or {},
    )


def _moment(value: int | None) -> Any:
    return None if value is None else moment(value)


@router.post("/admin/companies", dependencies=[CsrfChecked])
def admit(
    request: Request, person: AdminPerson, runtime: RuntimeDep, name: Text = "", key: Text = ""
) -> Response:
    _ = gettext_for(request, person)
    values = {"name": name, "key": key}
    errors = required(values, ("name",), _)
    if not errors:
        try:
            outcome = runtime.app.admit_company(name, by=person.id, key=form_key(key))
        except (Invalid, Conflict) as exc:
            taken = {"Conflict:name": _("A company with this name has already been admitted.")}
            errors = error_of(exc, _, {"name"}, taken)
        else:
            return finish(runtime, outcome, "/admin/companies", "admitted")
    return _companies_page(
        request, person, runtime, 1, status_code=422, values=values, errors=errors
    )


@router.get("/admin/companies/{company_id}/end", response_class=HTMLResponse)
def confirm_end(
    request: Request, company_id: str, person: AdminPerson, runtime: RuntimeDep
) -> Response:
    return _confirm_page(request, person, runtime, company_id)


def _confirm_page(
    request: Request,
    person: Person,
    runtime: Runtime,
    company_id: str,
    *,
    status_code: int = 200,
    reason: str = "",
    errors: dict[str, str] | None = None,
) -> Response:
    with runtime.store.reading() as cur:
        company = find_company(cur, id_or_404(company_id).hex)
    if company is None:
        not_found()
    return render(
        request,
        "admin/company_end.html",
        person,
        status_code=status_code,
        company=company,
        ended=company["ended_at"] is not None,
        reason=reason,
        errors=errors or {},
    )


@router.post("/admin/companies/{company_id}/end", dependencies=[CsrfChecked])
def end_membership(
    request: Request, company_id: str, person: AdminPerson, runtime: RuntimeDep, reason: Text = ""
) -> Response:
    _ = gettext_for(request, person)
    try:
        outcome = runtime.app.end_membership(id_or_404(company_id), reason, by=person.id)
    except (Invalid, Conflict) as exc:
        errors = error_of(exc, _, {"reason"})
        return _confirm_page(
            request, person, runtime, company_id, status_code=422, reason=reason, errors=errors
        )
    return finish(runtime, outcome, "/admin/companies", "ended")
