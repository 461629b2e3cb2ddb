"""Inviting people (admins; leads into their groups) and accepting an invitation."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.errors import error_text
from api.web.forms import Text
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson, await_session, set_session
from domain.errors import DomainError, Gone, Invalid, NotFound
from domain.person import Person
from projections.accounts_view import invitations
from projections.directory_queries import company_options
from projections.directory_view import groups_of, list_groups
from service.runtime import Runtime, announce
from service.security import new_token, token_digest

router = APIRouter(include_in_schema=False)
STAFF = "staff"
FIELDS = ("email", "display_name", "company_id", "working_group_ids", "language", "password")


def _groups_to_offer(runtime: Runtime, person: Person) -> list[dict[str, Any]]:
    """Admins invite into any group, leads into the groups they lead; others: none."""
    with runtime.store.reading() as cur:
        if person.has_role("admin"):
            return list_groups(cur, 1000, 0)[0]
        return [g for g in groups_of(cur, person.id.hex) if g["is_lead"]]


def _page(request: Request, person: Person, runtime: Runtime, **context: Any) -> Response:
    offered = _groups_to_offer(runtime, person)
    if not (person.has_role("admin") or offered):
        raise HTTPException(404, "Not Found")
    issued_by = None if person.has_role("admin") else person.id.hex
    with runtime.store.reading() as cur:
        rows = invitations(cur, runtime.app.clock(), issued_by=issued_by)
        companies = [c for c in company_options(cur) if not c["ended"]]
    context.setdefault("values", {"language": "de"})
    context.setdefault("errors", {})
    _ = gettext_for(request, person)
    choices = [(c["id"], c["name"]) for c in companies]
    if person.has_role("admin"):
        choices.insert(0, (STAFF, _("Association staff (no member company)")))
    return render(
        request, "account/invitations.html", person,
        rows=rows, groups=offered, company_choices=choices, **context,
    )  # fmt: skip


@router.get("/invitations", response_class=HTMLResponse)
def invitations_page(
    request: Request, person: WebPerson, runtime: RuntimeDep, done: str = ""
) -> Response:
    _ = gettext_for(request, person)
    flash = {"invited": _("The invitation has been sent."), "revoked": _("Revoked.")}.get(done)
    return _page(request, person, runtime, flash=flash)


@router.post("/invitations", dependencies=[CsrfChecked])
def invite(
    request: Request,
    person: WebPerson,
    runtime: RuntimeDep,
    email: Annotated[str, Form(max_length=300)] = "",
    display_name: Annotated[str, Form(max_length=300)] = "",
    company: Text = "",
    language: Text = "de",
    groups: Annotated[list[str] | None, Form(max_length=200)] = None,
) -> Response:
    values = {"email": email, "display_name": display_name, "company_id": company,
              "language": language, "groups": groups or []}  # fmt: skip
    _ = gettext_for(request, person)
    try:
        group_ids = [_uuid(g, "working_group_ids") for g in groups or []]
        company_id = None if company == STAFF else _uuid(company, "company_id")
        issued = runtime.accounts.invite(
            email, display_name, company_id, group_ids, language if language == "en" else "de",
            by=person.id,
        )  # fmt: skip
    except DomainError as exc:
        errors = {exc.field if exc.field in FIELDS else "": error_text(exc, _)}
        return _page(request, person, runtime, status_code=422, values=values, errors=errors)
    announce(runtime, issued.outcome)
    runtime.projector.wait_for(issued.outcome.position or 0, 5)
    return RedirectResponse("/invitations?done=invited", status_code=303)


def _uuid(raw: str, field: str) -> UUID:
    """An id from a form; a malformed one is as unknown as a missing one."""
    try:
        return UUID(raw.strip())
    except ValueError:
        if field == "company_id":
            raise Invalid("invitation.company_not_member", field=field) from None
        raise Invalid("invitation.no_such_group", field=field) from None


@router.post("/invitations/{invitation_id}/revoke", dependencies=[CsrfChecked])
def revoke(invitation_id: str, person: WebPerson, runtime: RuntimeDep) -> Response:
    try:
        outcome = runtime.accounts.revoke_invitation(_uuid(invitation_id, ""), by=person.id)
    except DomainError:
        raise HTTPException(404, "Not Found") from None
    announce(runtime, outcome)
    runtime.projector.wait_for(outcome.position or 0, 5)
    return RedirectResponse("/invitations?done=revoked", status_code=303)


def _accept_page(
    request: Request, runtime: Runtime, token: str, *, status_code: int = 200, error: str = ""
) -> Response:
    _ = gettext_for(request, None)
    try:
        invitation = runtime.accounts.pending_invitation(token)
    except Gone as gone:
        return render(request, "account/link_gone.html", None, status_code=410,
                      message=error_text(gone, _))  # fmt: skip
    except NotFound:
        raise HTTPException(404, "Not Found") from None
    return render(request, "account/accept.html", None, status_code=status_code,
                  invitation=invitation, token=token, error=error)  # fmt: skip


@router.get("/invitations/{token}", response_class=HTMLResponse)
def accept_page(request: Request, token: str, runtime: RuntimeDep) -> Response:
    if len(token) > 128:
        raise HTTPException(404, "Not Found")
    return _accept_page(request, runtime, token)


@router.post("/invitations/{token}", dependencies=[CsrfChecked])
def accept(
    request: Request,
    token: str,
    runtime: RuntimeDep,
    password: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    if len(token) > 128:
        raise HTTPException(404, "Not Found")
    _ = gettext_for(request, None)
    try:
        outcome = runtime.accounts.accept_invitation(token, password)
    except Gone:
        return _accept_page(request, runtime, token)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise HTTPException(404, "Not Found") from None
        return _accept_page(request, runtime, token, status_code=422, error=error_text(exc, _))
    announce(runtime, outcome)
    return signed_in_redirect(request, runtime, outcome.id, "/")


def signed_in_redirect(request: Request, runtime: Runtime, person_id: UUID, to: str) -> Response:
    """Open a session for the person and go on, signed in."""
    token = new_token()
    ttl = timedelta(hours=runtime.settings.token_ttl_hours)
    opened = runtime.app.open_session(token_digest(token), person_id, runtime.app.clock() + ttl)
    await_session(runtime, opened)
    response = RedirectResponse(to, status_code=303)
    set_session(response, request, token, int(ttl.total_seconds()))
    return response
