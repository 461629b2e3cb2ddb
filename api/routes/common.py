"""Small pieces the routers share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query

from api import problems
from api.problems import PROBLEM
from api.schemas.common import Problem
from projections.view import moment

#: Every API route's prefix.
API_PREFIX = "/api/v1"


def _problem(description: str, *, retry_after: bool = False) -> dict[str, Any]:
    schema = {"schema": {"$ref": "#/components/schemas/Problem"}}
    # No "model": FastAPI would build a validator of Problem for every route and status
    # (about 860, a tenth of start-up) only to name the schema in the OpenAPI document;
    # api/main.py adds Problem's schema to the document's components instead.
    declared: dict[str, Any] = {"description": description, "content": {PROBLEM: schema}}
    if retry_after:
        seconds = {"description": "Seconds to wait", "schema": {"type": "string"}}
        declared["headers"] = {"Retry-After": seconds}
    return declared


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _problem("Not signed in, or the token expired or was revoked"),
    403: _problem("Signed in, but not allowed to do this"),
    404: _problem("Not found, or not visible to you"),
    409: _problem("Conflicts with the current state (or too many concurrent changes)"),
    413: _problem("Request body too large"),
    415: _problem("A body that is not JSON in UTF-8"),
    422: _problem("Invalid input; `errors` names the fields"),
    503: _problem(
        "Storage busy or unreachable, or views not caught up; retry later", retry_after=True
    ),
}
"""The problems every API route may answer: declared by `api_router`, so a new route
declares them without doing anything."""


def api_router(prefix: str = "", *, tags: Sequence[str | Enum] = ()) -> APIRouter:
    """A resource's router: its routes are under /api/v1, declare the problems every API
    route may answer and refuse a body that is not JSON in UTF-8. Built with their final
    path and dependencies, they are added to the app as they are (api/routing.py)."""
    return APIRouter(
        prefix=API_PREFIX + prefix,
        tags=list(tags),
        responses=PROBLEM_RESPONSES,
        dependencies=[Depends(problems.utf8_json)],
    )


Limit = Annotated[int, Query(ge=1, le=100, description="Page size (at most 100).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retrying a create with the same key returns the first result.",
    ),
]


def when(value: int | None) -> datetime | None:
    return None if value is None else moment(value)


#: How the API names an erased person (the web translates it: "ehemaliges Mitglied").
FORMER_MEMBER = "former member"


def person_name(names: dict[str, str], person_id: str) -> str:
    """A display name for histories and lists: the system's actions are Sprachrohr's,
    an erased person (blank name in the views) is a former member."""
    name = names.get(person_id)
    if name is None:
        return "Sprachrohr"
    return name or FORMER_MEMBER


#: A one-time link that was used, revoked or has expired: declared on the routes that take one.
GONE: dict[int | str, dict[str, Any]] = {
    410: {
        "model": Problem,
        "description": "The link was used, revoked or has expired",
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}
