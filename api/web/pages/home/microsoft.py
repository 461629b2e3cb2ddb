"""Sign in with Microsoft (OpenID Connect): start, callback, and asking for access.

The flow's state, nonce and PKCE verifier wait in a sealed (signed, short-lived,
HttpOnly) cookie between the redirect to the provider and its callback; so does
the verified identity of someone from a member company who has no account yet,
while they fill in the access request.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep, ViewCursor
from api.web.errors import error_text
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, MaybePerson, await_session, safe_next, set_session
from domain.errors import DomainError
from projections.directory_view import list_groups
from service.oidc import OpenIdClient, SealedCookie, SignInRefused
from service.runtime import announce
from service.security import new_token, token_digest

router = APIRouter(include_in_schema=False)
FLOW_COOKIE = "sr_oidc_flow"
IDENTITY_COOKIE = "sr_oidc_identity"
FLOW_SECONDS = 10 * 60
IDENTITY_SECONDS = 30 * 60
CALLBACK = "/auth/oidc/callback"


def _client(request: Request) -> OpenIdClient:
    client: OpenIdClient | None = request.app.state.oidc
    if client is None:
        raise HTTPException(404, "sign-in with Microsoft is not configured")
    return client


def _seal(runtime: RuntimeDep, purpose: str) -> SealedCookie:
    return SealedCookie(runtime.settings.oidc_client_secret or "", purpose)


def _redirect_uri(runtime: RuntimeDep, request: Request) -> str:
    base = runtime.settings.public_url or str(request.base_url)
    return base.rstrip("/") + CALLBACK


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/auth/oidc",
    )


def _refused(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    response = render(request, "error.html", None, status_code=status, title=title, detail=detail)
    response.delete_cookie(FLOW_COOKIE, path="/auth/oidc")
    return response


@router.get("/auth/oidc/start")
def start(request: Request, runtime: RuntimeDep, next: str = "/") -> Response:
    client = _client(request)
    _ = gettext_for(request, None)
    try:
        started = client.start(_redirect_uri(runtime, request))
    except SignInRefused:
        return _refused(
            request,
            503,
            _("Microsoft sign-in is not available"),
            _("The identity provider cannot be reached. Please try again in a moment."),
        )
    flow = {
        "state": started.state,
        "nonce": started.nonce,
        "verifier": started.code_verifier,
        "next": safe_next(next),
    }
    response = RedirectResponse(started.url, status_code=303)
    _cookie(
        response,
        request,
        FLOW_COOKIE,
        _seal(runtime, "flow").seal(flow, FLOW_SECONDS),
        FLOW_SECONDS,
    )
    return response


@router.get(CALLBACK)
def callback(
    request: Request, runtime: RuntimeDep, code: str = "", state: str = "", error: str = ""
) -> Response:
    client = _client(request)
    _ = gettext_for(request, None)
    failed = _("Sign-in with Microsoft failed")
    flow = _seal(runtime, "flow").open(request.cookies.get(FLOW_COOKIE))
    if flow is None or not state or not hmac.compare_digest(str(flow["state"]), state):
        return _refused(
            request,
            400,
            failed,
            _("The sign-in has expired or was not started here. Please start again."),
        )
    if error or not code:
        return _refused(request, 401, failed, _("Microsoft did not confirm the sign-in."))
    try:
        who = client.finish(
            _redirect_uri(runtime, request),
            code,
            nonce=str(flow["nonce"]),
            code_verifier=str(flow["verifier"]),
        )
    except SignInRefused:
        return _refused(
            request, 401, failed, _("The answer of the identity provider could not be verified.")
        )
    match = runtime.app.provider_sign_in(who.tenant_id, who.email)
    if match.company is None:
        return _refused(
            request,
            403,
            _("Your organisation is not a member"),
            _(
                "Your Microsoft account belongs to an organisation that is not a member company"
                " of the association (or has not registered its Microsoft tenant). Please ask"
                " the association's office."
            ),
        )
    if match.person is None:
        identity = {"tid": who.tenant_id, "email": match.email, "name": who.name}
        response = RedirectResponse("/auth/oidc/request-access", status_code=303)
        sealed = _seal(runtime, "identity").seal(identity, IDENTITY_SECONDS)
        _cookie(response, request, IDENTITY_COOKIE, sealed, IDENTITY_SECONDS)
        response.delete_cookie(FLOW_COOKIE, path="/auth/oidc")
        return response
    if not match.person.is_active:
        return _refused(
            request,
            403,
            failed,
            _("This account has been deactivated. Please ask the association's office."),
        )
    token = new_token()
    ttl = timedelta(hours=runtime.settings.token_ttl_hours)
    opened = runtime.app.open_session(
        token_digest(token), match.person.id, runtime.app.clock() + ttl
    )
    await_session(runtime, opened)
    response = RedirectResponse(safe_next(str(flow.get("next", "/"))), status_code=303)
    set_session(response, request, token, int(ttl.total_seconds()))
    response.delete_cookie(FLOW_COOKIE, path="/auth/oidc")
    return response


def _identity(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    identity = _seal(runtime, "identity").open(request.cookies.get(IDENTITY_COOKIE))
    if identity is None:
        raise HTTPException(401, "sign in with Microsoft first")
    return identity


@router.get("/auth/oidc/request-access", response_class=HTMLResponse)
def request_access_form(
    request: Request, runtime: RuntimeDep, cur: ViewCursor, person: MaybePerson
) -> Response:
    _client(request)
    identity = _identity(request, runtime)
    return _request_page(request, runtime, cur, identity, name=str(identity["name"]), errors={})


def _request_page(
    request: Request,
    runtime: RuntimeDep,
    cur: ViewCursor,
    identity: dict[str, Any],
    *,
    name: str,
    errors: dict[str, str],
    chosen: frozenset[str] = frozenset(),
    status_code: int = 200,
) -> HTMLResponse:
    company = runtime.app.company_of_tenant(str(identity["tid"]))
    existing = runtime.app.access_request_of(str(identity["tid"]), str(identity["email"]))
    groups, _total = list_groups(cur, 100, 0)
    return render(
        request,
        "home/request_access.html",
        None,
        status_code=status_code,
        email=identity["email"],
        name=name,
        company=company.name if company else "",
        groups=groups,
        chosen=chosen,
        errors=errors,
        existing=existing.status if existing else None,
    )


@router.post("/auth/oidc/request-access", dependencies=[CsrfChecked])
def request_access(
    request: Request,
    runtime: RuntimeDep,
    cur: ViewCursor,
    display_name: Annotated[str, Form(max_length=200)] = "",
    group_ids: Annotated[list[str], Form(max_length=100)] = [],  # noqa: B006
) -> Response:
    _client(request)
    identity = _identity(request, runtime)
    _ = gettext_for(request, None)
    chosen = frozenset(group_ids)
    try:
        groups = [UUID(g) for g in group_ids]
    except ValueError:
        return _request_page(
            request,
            runtime,
            cur,
            identity,
            name=display_name,
            chosen=chosen,
            errors={"group_ids": _("Please choose working groups from the list.")},
            status_code=422,
        )
    try:
        outcome = runtime.app.request_access(
            str(identity["tid"]), str(identity["email"]), display_name, groups
        )
    except DomainError as exc:
        field = exc.field or "display_name"
        return _request_page(
            request,
            runtime,
            cur,
            identity,
            name=display_name,
            chosen=chosen,
            errors={field: error_text(exc, _)},
            status_code=422 if field != "email" else 409,
        )
    announce(runtime, outcome)
    return _request_page(
        request, runtime, cur, identity, name=display_name, errors={}, chosen=chosen
    )
