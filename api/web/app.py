"""Mounts the web app on the FastAPI service: pages, static files, error pages."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from api.web import assets
from api.web.errors import error_text
from api.web.pages import downloads
from api.web.pages.account import invitations, passwords
from api.web.pages.admin import accounts as admin_accounts
from api.web.pages.admin import dashboard as admin
from api.web.pages.board import dashboard as board
from api.web.pages.groups import curation, directory, roadmap, voting
from api.web.pages.groups import group as groups
from api.web.pages.groups import joins as group_joins
from api.web.pages.home import auth, email_change, overview, profile, unsubscribe
from api.web.pages.home import microsoft as oidc
from api.web.pages.home import notifications as notification_pages
from api.web.pages.painpoints import page as painpoints
from api.web.pages.painpoints import search, triage
from api.web.pages.vendor import portal as vendor
from api.web.render import gettext_for, render
from api.web.session import SignInRequired, sign_in_location
from domain.errors import DomainError

PAGE_ROUTERS = (
    assets,
    downloads,
    auth,
    oidc,
    email_change,
    group_joins,
    directory,
    roadmap,
    overview,
    profile,
    notification_pages,
    unsubscribe,
    groups,
    curation,
    triage,
    painpoints,
    search,
    admin,
    admin_accounts,
    board,
    vendor,
    voting,
    invitations,
    passwords,
)


def error_page(
    request: Request, status: int, detail: str, headers: Mapping[str, str] | None
) -> Response:
    _ = gettext_for(request, None)
    titles = {
        401: _("Please sign in"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("That did not work"),
        413: _("Too much data"),
        422: _("Please check your input"),
        429: _("Too many attempts"),
        503: _("Please try again in a moment"),
    }
    title = titles.get(status, _("Something went wrong"))
    response = render(request, "error.html", None, status_code=status, title=title, detail=detail)
    response.headers.update(headers or {})
    return response


def describe_error(request: Request, exc: DomainError) -> str:
    """A domain error's message in the reader's language."""
    return error_text(exc, gettext_for(request, None))


def install_web(app: FastAPI) -> None:
    for module in PAGE_ROUTERS:
        app.include_router(module.router)

    @app.exception_handler(SignInRequired)
    def sign_in_first(request: Request, exc: SignInRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(
                status_code=401, headers={"HX-Redirect": sign_in_location(exc.next_path)}
            )
        return RedirectResponse(sign_in_location(exc.next_path), status_code=303)
