"""The fast lane: `PUT` and `DELETE /api/v1/pain-points/{id}/support` without the framework.

The support routes are the busiest writes. Routed through FastAPI, a support spent
about as much CPU in route matching (the app has a few hundred routes, matched one
after another), dependency resolution and response validation as in the command
itself. This pure ASGI middleware answers the plain case of those two routes itself:
the path with a canonical UUID, no request body declared (no `Content-Type`), a
bearer token or none. It does what the routes in api/routes/painpoints.py do, in the
same order, and answers with the same status codes, bodies and headers:

- the token is resolved as `signed_in_person` does (the session and person come from
  the aggregate cache, which the request's read scope checks against the log's tail
  once: a token signed out, reset or deactivated by any process is refused on the
  next request, storage.freshness);
- domain errors are problem+json as `api.problems` answers them, storage faults 503
  with Retry-After; anything else propagates to the server-error handler (500);
- the body is the route's `SupportOut`, formatted directly (tests compare the two).

Everything else (another method, a malformed id, a trailing slash, a body with a
content type, which `problems.utf8_json` checks) falls through to the FastAPI routes,
which stay declared: they are what OpenAPI documents, and the fast lane answers
exactly as they do.

It sits just inside the gzip middleware (its answers are far below gzip's minimum
size) and outside the others: it adds the security headers itself (api.edges.secure,
as `SecurityHeaders` would) and leaves requests that declare a body to the body limit.
The command runs in a thread pool of its own (as many threads as AnyIO lends sync
routes), entered with `loop.run_in_executor`: AnyIO's `to_thread.run_sync` (capacity
limiter, cancel scope) cost as much of the event loop's time as the rest of the
request's handling there.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import signed_in_person
from api.edges import API_HEADERS, TLS_HEADERS, secure
from api.problems import domain_problem, fault_problem, is_storage_fault, problem
from domain.errors import DomainError
from service.runtime import Runtime, announce
from storage.freshness import fresh_reads

PREFIX = "/api/v1/pain-points/"
SUFFIX = "/support"
#: len(PREFIX) + a canonical UUID (36 characters) + len(SUFFIX)
LENGTH = len(PREFIX) + 36 + len(SUFFIX)
METHODS = ("PUT", "DELETE")


def support_body(pain_point_id: UUID, supported: bool, position: int | None) -> bytes:
    """`SupportOut(...).model_dump_json()`, formatted directly."""
    return (
        f'{{"pain_point_id":"{pain_point_id}","supported":{"true" if supported else "false"},'
        f'"position":{"null" if position is None else position}}}'
    ).encode()


def pain_point_of(scope: Scope) -> UUID | None:
    """The pain point of a plain support request the fast lane answers, else None."""
    path: str = scope["path"]
    if (
        len(path) != LENGTH
        or scope["method"] not in METHODS
        or not path.startswith(PREFIX)
        or not path.endswith(SUFFIX)
        or scope.get("root_path")
    ):
        return None
    for name, value in scope["headers"]:
        if name == b"content-type":
            return None  # problems.utf8_json has a say: the route answers it
        if (name == b"content-length" and value != b"0") or name == b"transfer-encoding":
            return None  # a body: the body limit has a say
    text = path[len(PREFIX) : len(PREFIX) + 36]
    if text[8] != "-" or text[13] != "-" or text[18] != "-" or text[23] != "-":
        return None
    try:
        return UUID(text)
    except ValueError:
        return None


def bearer_token(scope: Scope) -> str | None:
    """What `OAuth2PasswordBearer(auto_error=False)` makes of the first Authorization
    header: the credentials of a `Bearer` one, else None."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization: str = value.decode("latin-1")
            scheme, _, param = authorization.partition(" ")
            if not authorization or scheme.lower() != "bearer":
                return None
            return param.strip()
    return None


def change_support(
    runtime: Runtime, pain_point_id: UUID, token: str | None, give: bool
) -> tuple[int, bytes]:
    """The route's work in one read scope (one tail check for the token and the
    command's loads): the status and body of the answer."""
    with fresh_reads():
        person = signed_in_person(runtime, token)
        app = runtime.app
        if give:
            outcome = announce(runtime, app.give_support(pain_point_id, by=person.id))
            status = 201 if outcome.changed else 200
        else:
            outcome = announce(runtime, app.withdraw_support(pain_point_id, by=person.id))
            status = 200
    return status, support_body(pain_point_id, give, outcome.position)


#: Threads for the commands: AnyIO's default for sync routes.
THREADS = 40


class SupportFastLane:
    """ASGI middleware answering plain support requests (see the module's doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._pool: ThreadPoolExecutor | None = None

    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="fast-lane")
        return self._pool

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pain_point_id = pain_point_of(scope) if scope["type"] == "http" else None
        if pain_point_id is None:
            await self.app(scope, receive, send)
            return
        runtime: Runtime = scope["app"].state.runtime
        give = scope["method"] == "PUT"
        token = bearer_token(scope)
        tls = scope.get("scheme") == "https"
        try:
            status, body = await asyncio.get_running_loop().run_in_executor(
                self.pool(), change_support, runtime, pain_point_id, token, give
            )
        except DomainError as exc:
            await domain_problem(exc)(scope, receive, secured(send, scope["path"], tls))
            return
        except HTTPException as exc:
            answer = problem(exc.status_code, str(exc.detail), headers=exc.headers)
            await answer(scope, receive, secured(send, scope["path"], tls))
            return
        except Exception as exc:
            if not is_storage_fault(exc):
                raise
            answer = fault_problem(scope["method"], scope["path"], exc)
            await answer(scope, receive, secured(send, scope["path"], tls))
            return
        headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
            *API_HEADERS,
        ]
        if tls:
            headers.append(TLS_HEADERS)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def secured(send: Send, path: str, tls: bool) -> Send:
    """`send` with the security headers added, as `SecurityHeaders` adds them."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            secure(message, path, tls)
        await send(message)

    return sending
