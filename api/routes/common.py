"""Small pieces the routers share."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Header, Query

from api.problems import PROBLEM
from api.schemas.common import Problem
from projections.view import moment

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
