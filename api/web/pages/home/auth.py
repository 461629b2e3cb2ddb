"""Sign in and out, and the language switch."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.signin import IdentityProviderOnly, TooManyAttempts, WrongCredentials, authenticate
from api.web.i18n import LANGUAGES
from api.web.render import gettext_for, render
from api.web.session import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    CsrfChecked,
    MaybePerson,
    await_session,
    safe_next,
    set_session,
)
from domain.limits import MAX_EMAIL, MAX_PASSWORD
from service.security import new_token, token_digest

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, person: MaybePerson, next: str = "/", done: str = "") -> Response:
    if person is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next=safe_next(next), email="", error=None, done=done)


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    runtime: RuntimeDep,
    email: Annotated[str, Form(max_length=MAX_EMAIL)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    _ = gettext_for(request, None)
    try:
        person = authenticate(request, runtime, email, password)
    except TooManyAttempts as refused:
        error = _("Too many failed sign-ins. Please try again in %(seconds)s seconds.") % {
            "seconds": refused.retry_after
        }
        page = _login_page(request, status_code=429, next=next, email=email, error=error)
        page.headers["Retry-After"] = str(refused.retry_after)
        return page
    except IdentityProviderOnly:
        error = _("Your company signs in with Microsoft: please use “Sign in with Microsoft”.")
        return _login_page(request, status_code=401, next=next, email=email, error=error)
    except WrongCredentials:
        error = _("The e-mail address or the password is wrong.")
        return _login_page(request, status_code=401, next=next, email=email, error=error)
    token = new_token()
    ttl = timedelta(hours=runtime.settings.token_ttl_hours)
    opened = runtime.app.open_session(token_digest(token), person.id, runtime.app.clock() + ttl)
    await_session(runtime, opened)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session(response, request, token, int(ttl.total_seconds()))
    return response


def _login_page(request: Request, *, status_code: int = 200, **context: object) -> Response:
    oidc = getattr(request.app.state, "oidc", None) is not None
    return render(request, "home/login.html", None, status_code=status_code, oidc=oidc, **context)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, runtime: RuntimeDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        runtime.app.close_session(token_digest(token))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language", dependencies=[CsrfChecked])
def choose_language(
    request: Request,
    runtime: RuntimeDep,
    person: MaybePerson,
    language: Annotated[str, Form()] = "de",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    language = language if language in LANGUAGES else "de"
    if person is not None:
        runtime.app.choose_language(language, by=person.id)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax", path="/"
    )
    return response
