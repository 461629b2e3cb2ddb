"""Errors as RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from api.headers import COMMON, CSP
from domain.errors import Conflict, DomainError, Gone, Invalid, NotFound, PermissionDenied
from storage.faults import FAULT_TYPES, is_fault

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    412: "Precondition failed",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}
STATUS_OF = {NotFound: 404, PermissionDenied: 403, Conflict: 409, Gone: 410, Invalid: 422}


def problem(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    code: str | None = None,
    params: Mapping[str, object] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if code is not None:
        body["code"] = code
        body["params"] = {name: _plain(value) for name, value in (params or {}).items()}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def field_error(error: DomainError) -> dict[str, Any]:
    """One of several errors of a command, as an entry of the problem's `errors`."""
    params = {name: _plain(value) for name, value in error.params.items()}
    return {"field": error.field, "message": error.message, "code": error.code, "params": params}


def allowed_methods(request: Request) -> list[str]:
    """The methods some route of the app answers for the request's path."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, BaseRoute) and route.matches(request.scope)[0] != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def utf8_json(request: Request) -> None:
    """A dependency of every API route: a JSON body is UTF-8 (RFC 8259), so a body
    declared in another charset, or sent as UTF-16/32, is refused with 415."""
    content_type = request.headers.get("content-type")
    if not content_type or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    media, _, parameters = content_type.partition(";")
    media = media.strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        return
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            raise StarletteHTTPException(415, "JSON bodies are UTF-8; no other charset")
    body = await request.body()
    if body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in body:
        raise StarletteHTTPException(415, "JSON bodies are UTF-8 (without a byte order mark)")


def _plain(value: object) -> object:
    """A parameter as JSON: numbers, strings, booleans and null as they are, others as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "field": ".".join(str(part) for part in error["loc"] if part != "body"),
            "message": error["msg"],
        }
        for error in exc.errors()
    ]


#: Renders an error as a web page: (request, status, detail, headers) → response.
PageRenderer = Callable[[Request, int, str, Mapping[str, str] | None], Response]
#: A domain error's message in the language of the request (for web pages).
Describer = Callable[[Request, DomainError], str]


def install(
    app: FastAPI, page: PageRenderer | None = None, describe: Describer | None = None
) -> None:
    """Answer errors as problem+json under /api/, and as web pages elsewhere."""

    def on_page(request: Request) -> bool:
        return page is not None and not request.url.path.startswith("/api/")

    def respond(
        request: Request,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        if page is not None and on_page(request):
            return page(request, status, detail, headers)
        return problem(status, detail, errors=errors, headers=headers)

    @app.exception_handler(DomainError)
    def domain_error(request: Request, exc: DomainError) -> Response:
        status = STATUS_OF.get(type(exc), 422)
        if page is not None and on_page(request):
            return page(request, status, describe(request, exc) if describe else exc.message, None)
        errors = None
        if exc.details:  # every place the command broke a rule, each with its own code
            errors = [field_error(detail) for detail in exc.details]
        elif exc.field:
            errors = [{"field": exc.field, "message": exc.message, "code": exc.code}]
        return problem(status, exc.message, errors=errors, code=exc.code, params=exc.params)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = _validation_errors(exc)
        summary = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors)
        return respond(request, 422, summary, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status, detail, headers = exc.status_code, str(exc.detail), exc.headers
        if status == 400:
            # The only 400 the framework raises: a body that is not UTF-8 JSON.
            status, detail = 422, "the body must be JSON in UTF-8"
        if status == 405:
            # Every method the path answers to (the framework names one route's only).
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
        return respond(request, status, detail, headers=headers)

    def storage_fault(request: Request, exc: Exception) -> Response:
        """A store fault (storage.faults: locked, full, read-only, unreachable) is 503
        with Retry-After on every route, JSON or page; anything else is a 500."""
        if not isinstance(exc, PersistenceError) and not is_fault(exc):
            return unexpected(request, exc)
        log.warning("storage fault on %s %s: %s", request.method, request.url.path, exc)
        detail = "the store is busy or unreachable; please retry shortly"
        return respond(request, 503, detail, headers={"Retry-After": "2"})

    faults: tuple[type[Exception], ...] = (PersistenceError, *FAULT_TYPES)
    for fault in faults:
        app.add_exception_handler(fault, storage_fault)

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> Response:
        if is_fault(exc):  # e.g. an error a driver raised from inside another
            return storage_fault(request, exc)
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        # Answered outside the middleware (Starlette's outermost error handler): the
        # security headers are added here.
        headers = {**COMMON, "content-security-policy": CSP, "cache-control": "no-store"}
        return respond(
            request, 500, "an unexpected error occurred; it has been logged", headers=headers
        )
