"""The lead's curated list of a working group: every edition, edited with If-Match."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from fastapi import Header, HTTPException, Path, Request, Response
from fastapi.responses import JSONResponse

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.problems import PROBLEM, problem
from api.routes.common import api_router, when
from api.routes.exports import (
    COMMUNITY_RANK,
    FILE_RESPONSES,
    PAIN_POINT_ID,
    PINNED,
    POSITION,
    RANK_WHEN_PUBLISHED,
    REASON,
    STATUS,
    TITLE,
    FileFormat,
    file_response,
    reader_language,
)
from api.routes.groups import AsOf
from api.schemas.board import CuratedListIn, CuratedListOut, CuratedRow, CuratedWritten
from api.schemas.common import Problem
from domain.curation import CuratedList, curated_list_id, departs
from domain.errors import Conflict, Invalid, NotFound
from domain.person import Person
from domain.workinggroup import WorkingGroup
from projections.board_queries import community_ranks, curated_list, curated_list_as_of
from projections.ranking_view import ranking_as_of
from projections.view import micros
from service.application import Sprachrohr
from service.runtime import Runtime, announce

router = api_router("/working-groups", tags=["curated lists"])
ETAG = re.compile(r'^(?:"(\d{1,9})"|(\d{1,9}))$')
PRECONDITIONS: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": description,
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, description in (
        (412, "If-Match names an edition that is no longer the current one"),
        (428, 'If-Match is missing: send the ETag you read, e.g. "3" ("0" for the first)'),
    )
}
WITH_ETAG: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            "ETag": {
                "description": 'The edition, e.g. "3": send it as If-Match to publish the next',
                "schema": {"type": "string"},
            }
        }
    }
}
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=100,
        description='The ETag of the edition you edited, e.g. "3"; "0" for the first edition.',
    ),
]
Edition = Annotated[int, Path(ge=1, le=1_000_000_000)]


def etag(edition: int) -> str:
    return f'"{edition}"'


def require_reader(app: Sprachrohr, person: Person, group_id: UUID) -> None:
    group = app.load(WorkingGroup, group_id, "working group", readonly=True)
    app.require_visible(person.id, group, "working group")


def listing(group_id: UUID, row: dict[str, Any] | None, ranks: dict[str, int]) -> CuratedListOut:
    if row is None:
        return CuratedListOut(
            group_id=group_id,
            edition=0,
            latest_edition=0,
            published_at=None,
            published_by=None,
            note="",
            rows=[],
        )
    rows = [
        CuratedRow(
            position=r["position"],
            pain_point_id=UUID(r["pain_point_id"]),
            title=r["title"],
            status=r["status"],
            pinned=r["pinned"],
            rationale=r["rationale"],
            community_rank=ranks.get(r["pain_point_id"]),
            community_rank_when_published=r["community_rank"],
            departs=departs(r["position"], ranks.get(r["pain_point_id"])),
        )
        for r in row["rows"]
    ]
    return CuratedListOut(
        group_id=group_id,
        edition=row["edition"],
        latest_edition=row["latest_edition"],
        published_at=when(row["published_at"]),
        published_by=UUID(row["published_by"]),
        note=row["note"],
        rows=rows,
    )


@router.get(
    "/{group_id}/curated-list",
    response_model=CuratedListOut,
    responses=WITH_ETAG,
    summary="The current curated list; its ETag is the edition to send as If-Match",
)
def current_list(
    group_id: UUID,
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    response: Response,
    as_of: AsOf = None,
) -> CuratedListOut:
    require_reader(app, person, group_id)
    if as_of is None:
        out = listing(group_id, curated_list(cur, group_id.hex), community_ranks(cur, group_id.hex))
        response.headers["ETag"] = etag(out.edition)
        return out
    if as_of.tzinfo is None:
        raise Invalid("datetime.needs_time_zone", field="as_of", example="2026-03-14T12:00:00Z")
    at = micros(as_of)
    ranked, _ = ranking_as_of(cur, group_id.hex, at, 1000, 0)
    ranks = {item.pain_point_id: item.rank for item in ranked}
    return listing(group_id, curated_list_as_of(cur, group_id.hex, at), ranks)


@router.get(
    "/{group_id}/curated-list/editions/{edition}",
    response_model=CuratedListOut,
    responses=FILE_RESPONSES,
    summary="An edition of the curated list as it was published (also as CSV or XLSX)",
)
def past_edition(
    group_id: UUID,
    edition: Edition,
    request: Request,
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    fmt: FileFormat = "json",
) -> CuratedListOut | Response:
    require_reader(app, person, group_id)
    row = curated_list(cur, group_id.hex, edition)
    if row is None:
        raise NotFound("edition.not_found")
    out = listing(group_id, row, community_ranks(cur, group_id.hex))
    if fmt == "json":
        return out
    return curated_file(fmt, out, reader_language(request, person))


def curated_file(fmt: str, out: CuratedListOut, language: str) -> Response:
    columns = (POSITION, TITLE, STATUS, PINNED, REASON, COMMUNITY_RANK, RANK_WHEN_PUBLISHED,
               PAIN_POINT_ID)  # fmt: skip
    rows = [
        (r.position, r.title, r.status, r.pinned, r.rationale, r.community_rank,
         r.community_rank_when_published, str(r.pain_point_id))
        for r in out.rows
    ]  # fmt: skip
    return file_response(fmt, f"curated-list-{out.edition}", columns, rows, language=language)


def expected_edition(app: Sprachrohr, group_id: UUID, if_match: str | None) -> int:
    """The edition the caller edited, from If-Match ("*": whatever is current)."""
    value = (if_match or "").strip()
    if not value:
        raise HTTPException(
            428, 'publishing needs If-Match with the ETag you read, e.g. "3" ("0" for the first)'
        )
    if value == "*":
        curated = app.find(CuratedList, curated_list_id(group_id), readonly=True)
        if curated is None:
            raise HTTPException(412, 'nothing has been published yet: send If-Match: "0"')
        return int(curated.edition)
    match = ETAG.match(value)
    if match is None:
        raise HTTPException(412, 'If-Match must be the ETag of the current edition, e.g. "3"')
    return int(match.group(1) or match.group(2))


def live_ranks(runtime: Runtime, group_id: UUID) -> dict[str, int]:
    """The community ranks once the views include every event logged so far."""
    caught_up = runtime.projector.wait_for(
        runtime.projector.head(), runtime.settings.read_wait_seconds
    )
    if not caught_up:
        raise HTTPException(
            503, "the ranking has not caught up yet; please retry", {"Retry-After": "1"}
        )
    with runtime.store.reading() as cur:
        return community_ranks(cur, group_id.hex)


@router.put(
    "/{group_id}/curated-list",
    response_model=CuratedWritten,
    responses={**WITH_ETAG, **PRECONDITIONS},
    summary="Publish the next edition (the group's leads); community ranks are taken live",
)
def publish(
    group_id: UUID,
    body: CuratedListIn,
    person: CurrentPerson,
    runtime: RuntimeDep,
    response: Response,
    if_match: IfMatch = None,
) -> CuratedWritten | JSONResponse:
    expected = expected_edition(runtime.app, group_id, if_match)
    ranks = live_ranks(runtime, group_id)
    items = [
        {
            "pain_point_id": str(item.pain_point_id),
            "pinned": item.pinned,
            "rationale": item.rationale,
            "community_rank": ranks.get(item.pain_point_id.hex),
        }
        for item in body.items
    ]
    try:
        outcome = runtime.app.publish_curated_list(
            group_id, items, body.note, edition=expected, by=person.id
        )
    except (Conflict, Invalid) as error:
        if error.field != "edition":
            raise
        # A stale edition is a failed precondition (412), still with the rule's code.
        return problem(412, error.message, code=error.code, params=error.params)
    announce(runtime, outcome)
    response.headers["ETag"] = etag(expected + 1)
    return CuratedWritten(id=outcome.id, edition=expected + 1, position=outcome.position)
