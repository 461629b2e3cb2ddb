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

It sits inside the security-header and body-limit middleware (those apply as to any
route) and outside the router. The command runs in AnyIO's worker threads, like a
sync FastAPI route.
"""

from __future__ import annotations

from uuid import UUID

from anyio import to_thread
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import signed_in_person
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
    for name, _ in scope["headers"]:
        if name == b"content-type":
            return None  # problems.utf8_json has a say: the route answers it
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


class SupportFastLane:
    """ASGI middleware answering plain support requests (see the module's doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pain_point_id = pain_point_of(scope) if scope["type"] == "http" else None
        if pain_point_id is None:
            await self.app(scope, receive, send)
            return
        runtime: Runtime = scope["app"].state.runtime
        give = scope["method"] == "PUT"
        token = bearer_token(scope)
        try:
            status, body = await to_thread.run_sync(
                change_support, runtime, pain_point_id, token, give
            )
        except DomainError as exc:
            await domain_problem(exc)(scope, receive, send)
            return
        except HTTPException as exc:
            await problem(exc.status_code, str(exc.detail), headers=exc.headers)(
                scope, receive, send
            )
            return
        except Exception as exc:
            if not is_storage_fault(exc):
                raise
            await fault_problem(scope["method"], scope["path"], exc)(scope, receive, send)
            return
        headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
