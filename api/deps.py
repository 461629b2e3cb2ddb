"""Dependencies shared by the routes: the runtime, the signed-in person, reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer

from api.values import MinPosition
from domain.person import Person
from projections.store import Cursor
from service.application import Sprachrohr
from service.runtime import Runtime
from service.security import token_digest
from storage.freshness import open_read_scope

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_runtime(request: Request) -> Runtime:
    """The runtime; also opens the request's read scope (storage.freshness): the
    aggregates the request loads are checked against the event log once, at the
    first load, however many it loads. Async, so it costs no trip to the thread pool."""
    open_read_scope()
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_app(runtime: RuntimeDep) -> Sprachrohr:
    return runtime.app


AppDep = Annotated[Sprachrohr, Depends(get_app)]
MaybeToken = Annotated[str | None, Depends(oauth2)]


def signed_in_person(runtime: Runtime, token: str | None) -> Person:
    """The person the bearer token belongs to, or 401."""
    person = runtime.app.session_person(token_digest(token)) if token else None
    if person is None:
        raise HTTPException(
            401, "sign in first: a valid bearer token is required", {"WWW-Authenticate": "Bearer"}
        )
    return person


def current_person(runtime: RuntimeDep, token: MaybeToken) -> Person:
    return signed_in_person(runtime, token)


CurrentPerson = Annotated[Person, Depends(current_person)]
BearerToken = Annotated[str, Depends(oauth2)]


def view_cursor(
    runtime: RuntimeDep,
    min_position: MinPosition = None,
) -> Iterator[Cursor]:
    """A read snapshot of the views, after they include `min_position` (read-your-writes).

    The views' tracking row is shared, so this holds whichever process (this one, another
    server process, a `sprachrohr project` worker) runs the projector.
    """
    if min_position and min_position > runtime.projector.head():
        # Not written yet (every position a command answered with is in the log):
        # nothing to wait for here, but it may be soon. Retry, like any lagging read.
        raise HTTPException(
            503, "that log position has not been written yet; please retry", {"Retry-After": "1"}
        )
    if min_position and not runtime.projector.wait_for(
        min_position, runtime.settings.read_wait_seconds
    ):
        raise HTTPException(
            503, "the views have not caught up yet; please retry", {"Retry-After": "1"}
        )
    with runtime.store.reading() as cur:
        yield cur


ViewCursor = Annotated[Cursor, Depends(view_cursor)]
