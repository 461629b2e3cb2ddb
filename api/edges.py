"""The service's edges: security headers on every response, and the API explorer.

`SecurityHeaders` wraps the whole ASGI app, so every response — JSON, pages, error
pages, static files, routes added later — carries them without a route doing anything:

- `Content-Security-Policy`: scripts and styles only from our origin (no inline
  script, style or event handler: put them in `api/static/`), no framing
  (`frame-ancestors 'none'`), forms post only to us;
- `X-Content-Type-Options: nosniff`, `Referrer-Policy`, `Permissions-Policy`,
  `X-Frame-Options` (for browsers without CSP level 2);
- `Cache-Control: no-store` on everything but the static assets (pages and API answers
  are personal; a shared cache or the back button must not keep them), unless a route
  set its own;
- `Strict-Transport-Security` when the request came over TLS (the scheme uvicorn
  reports: https itself, or `X-Forwarded-Proto: https` from a proxy it trusts — see
  `--forwarded-allow-ips`).

The explorer (`/api/docs`) is Swagger UI served from the `swagger-ui-bundle` package:
no CDN, works offline. `SPRACHROHR_API_DOCS` says who sees it: `public`, `signed-in`
(default: a web session cookie or a bearer token) or `off`.
"""

from __future__ import annotations

from typing import Literal

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from api.headers import COMMON, CSP, DOCS_CSP, HSTS
from api.problems import problem
from service.security import token_digest

ApiDocs = Literal["public", "signed-in", "off"]
DOCS_ASSETS = "/api/docs/assets"
CACHEABLE = ("/static/", f"{DOCS_ASSETS}/")


def secure(start: Message, path: str, tls: bool) -> None:
    """Add the headers above that a response's start message does not set itself."""
    headers = MutableHeaders(scope=start)
    for name, value in COMMON.items():
        headers.setdefault(name, value)
    headers.setdefault("content-security-policy", DOCS_CSP if path == "/api/docs" else CSP)
    if not path.startswith(CACHEABLE):
        headers.setdefault("cache-control", "no-store")
    if tls:
        headers.setdefault("strict-transport-security", HSTS)


#: What `secure` adds to an API answer that sets none of them itself, as raw headers.
API_HEADERS = [
    *((name.encode(), value.encode()) for name, value in COMMON.items()),
    (b"content-security-policy", CSP.encode()),
    (b"cache-control", b"no-store"),
]
TLS_HEADERS = (b"strict-transport-security", HSTS.encode())


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        tls = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure(message, path, tls)
            await send(message)

        await self.app(scope, receive, send_with_headers)


DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Sprachrohr API</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi}"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


def _signed_in(request: Request) -> bool:
    from api.web.session import SESSION_COOKIE

    runtime = request.app.state.runtime
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
        token = bearer if scheme.lower() == "bearer" else ""
    return bool(token) and runtime.app.session_person(token_digest(token)) is not None


def install_api_docs(app: FastAPI, who: ApiDocs, openapi_url: str) -> None:
    """`/api/docs`: Swagger UI from the package, for whom `who` allows."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="api-docs-assets")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        if who == "off":
            return problem(404, "the API explorer is not offered here")
        if who == "signed-in" and not _signed_in(request):
            from api.web.session import sign_in_location

            return RedirectResponse(sign_in_location("/api/docs"), status_code=303)
        return HTMLResponse(DOCS_PAGE.format(assets=DOCS_ASSETS, openapi=openapi_url))
