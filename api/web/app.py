"""Mounts the web app on the FastAPI service: pages, static files, error pages."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from api.routing import DeferredRoutes
from api.web.errors import error_text
from api.web.render import gettext_for, render
from api.web.session import SignInRequired, sign_in_location
from api.web.settle import SettleAfterWebWrites
from domain.errors import DomainError


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


def page_routes() -> list[BaseRoute]:
    """The web's pages and static files (api/web/site.py), imported when first needed."""
    from api.web.site import PAGE_ROUTERS

    return [route for module in PAGE_ROUTERS for route in module.router.routes]


def install_web(app: FastAPI) -> None:
    # The pages are built once the server listens (api/main.py starts it; a request that
    # needs them first waits): they were a third of a restart's imports.
    app.router.routes.append(DeferredRoutes(page_routes))
    app.add_middleware(SettleAfterWebWrites)  # a form's next page shows its change

    @app.exception_handler(SignInRequired)
    def sign_in_first(request: Request, exc: SignInRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(
                status_code=401, headers={"HX-Redirect": sign_in_location(exc.next_path)}
            )
        return RedirectResponse(sign_in_location(exc.next_path), status_code=303)
