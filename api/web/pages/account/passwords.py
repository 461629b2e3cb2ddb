"""Forgot password, reset through the mailed link, change password, my sessions."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.errors import error_text
from api.web.render import gettext_for, render
from api.web.session import SESSION_COOKIE, CsrfChecked, WebPerson
from domain.errors import DomainError, Gone, NotFound
from domain.ids import session_id
from domain.person import Person
from projections.accounts_view import open_sessions
from projections.directory_view import groups_of
from service.runtime import Runtime, announce
from service.security import token_digest

router = APIRouter(include_in_schema=False)
Secret = Annotated[str, Form(max_length=300)]


@router.get("/password-reset", response_class=HTMLResponse)
def forgot_page(request: Request) -> Response:
    return render(request, "account/forgot.html", None, sent=False)


@router.post("/password-reset", dependencies=[CsrfChecked])
def forgot(
    request: Request,
    runtime: RuntimeDep,
    tasks: BackgroundTasks,
    email: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    # The same page for every address, and the work after it is sent (the API's 202).
    tasks.add_task(runtime.accounts.request_password_reset, email)
    return render(request, "account/forgot.html", None, sent=True)


def _reset_page(
    request: Request, runtime: Runtime, token: str, *, status_code: int = 200, error: str = ""
) -> Response:
    if len(token) > 128:
        raise HTTPException(404, "Not Found")
    _ = gettext_for(request, None)
    try:
        runtime.accounts.usable_reset(token)
    except Gone as gone:
        return render(request, "account/link_gone.html", None, status_code=410,
                      message=error_text(gone, _))  # fmt: skip
    except NotFound:
        raise HTTPException(404, "Not Found") from None
    return render(request, "account/reset.html", None, status_code=status_code, token=token,
                  error=error)  # fmt: skip


@router.get("/password-reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, token: str, runtime: RuntimeDep) -> Response:
    return _reset_page(request, runtime, token)


@router.post("/password-reset/{token}", dependencies=[CsrfChecked])
def reset(request: Request, token: str, runtime: RuntimeDep, password: Secret = "") -> Response:
    if len(token) > 128:
        raise HTTPException(404, "Not Found")
    try:
        outcome = runtime.accounts.reset_password(token, password)
    except (Gone, NotFound):
        return _reset_page(request, runtime, token)
    except DomainError as exc:
        error = error_text(exc, gettext_for(request, None))
        return _reset_page(request, runtime, token, status_code=422, error=error)
    announce(runtime, outcome)
    response = RedirectResponse("/login?done=password-reset", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _current_session(request: Request) -> UUID | None:
    token = request.cookies.get(SESSION_COOKIE)
    return session_id(token_digest(token)) if token else None


def _account_page(request: Request, person: Person, runtime: Runtime, **context: Any) -> Response:
    current = _current_session(request)
    with runtime.store.reading() as cur:
        sessions = open_sessions(cur, person.id.hex, runtime.app.clock())
        leads = any(g["is_lead"] for g in groups_of(cur, person.id.hex))
    context.setdefault("errors", {})
    return render(
        request, "account/account.html", person,
        sessions=sessions, current=current.hex if current else "",
        can_invite=leads or person.has_role("admin"), **context,
    )  # fmt: skip


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, person: WebPerson, runtime: RuntimeDep, done: str = "") -> Response:
    _ = gettext_for(request, person)
    flash = {
        "password-changed": _("Your password has been changed; your other sessions have ended."),
        "session-ended": _("The session has ended."),
    }.get(done)
    return _account_page(request, person, runtime, flash=flash)


@router.post("/account/password", dependencies=[CsrfChecked])
def change_password(
    request: Request,
    person: WebPerson,
    runtime: RuntimeDep,
    current_password: Secret = "",
    new_password: Secret = "",
) -> Response:
    try:
        outcome = runtime.accounts.change_password(
            person.id, current_password, new_password, session_id=_current_session(request)
        )
    except DomainError as exc:
        errors = {exc.field or "": error_text(exc, gettext_for(request, person))}
        return _account_page(request, person, runtime, status_code=422, errors=errors)
    announce(runtime, outcome)
    runtime.projector.wait_for(outcome.position or 0, 5)
    return RedirectResponse("/account?done=password-changed", status_code=303)


@router.post("/account/sessions/{session}/end", dependencies=[CsrfChecked])
def end_session(session: str, person: WebPerson, runtime: RuntimeDep) -> Response:
    try:
        outcome = runtime.accounts.end_session(UUID(session), by=person.id)
    except (ValueError, DomainError):
        raise HTTPException(404, "Not Found") from None
    announce(runtime, outcome)
    runtime.projector.wait_for(outcome.position or 0, 5)
    return RedirectResponse("/account?done=session-ended", status_code=303)
