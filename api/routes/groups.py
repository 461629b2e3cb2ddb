"""Working groups, their members and leads, their pain points and ranking."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request, Response

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import IdempotencyKey, Limit, Offset, api_router, when
from api.routes.exports import (
    ALL_ROWS,
    COMPANIES,
    FILE_RESPONSES,
    FIRST_SUPPORT,
    PAIN_POINT_ID,
    RANK,
    SCORE,
    STATUS,
    SUBMITTED,
    SUPPORTERS,
    TAGS,
    TITLE,
    FileFormat,
    file_response,
    reader_language,
)
from api.schemas.common import (
    GroupIn,
    GroupOut,
    GroupPainPoint,
    Page,
    PainPointIn,
    PersonRef,
    RankedPainPoint,
    Ranking,
    Written,
)
from api.values import AsOfQuery
from domain.errors import Invalid, NotFound
from domain.ranking import NO_SUPPORT, Tally, exact_score
from domain.workinggroup import WorkingGroup
from projections.directory_view import find_group, list_groups
from projections.painpoint_view import group_pain_points
from projections.ranking_view import RankedItem, find_tally, live_ranking, ranking_as_of
from projections.store import Cursor
from projections.view import micros, moment
from service.runtime import announce

router = api_router("/working-groups", tags=["working groups"])


def group_out(row: dict[str, Any]) -> GroupOut:
    founded = when(row["founded_at"])
    assert founded is not None
    return GroupOut(
        id=UUID(row["id"]),
        name=row["name"],
        kind=row["kind"],
        description=row["description"],
        founded_at=founded,
        members=row["members"],
        leads=[UUID(lead) for lead in row.get("leads", [])],
    )


@router.post("", status_code=201, response_model=Written, summary="Found a working group")
def found(
    body: GroupIn, person: CurrentPerson, runtime: RuntimeDep, key: IdempotencyKey = None
) -> Written:
    outcome = runtime.app.found_group(body.name, body.kind, body.description, by=person.id, key=key)
    announce(runtime, outcome)
    return Written.of(outcome)


@router.get("", response_model=Page[GroupOut], summary="Working groups, by kind and name")
def groups(
    person: CurrentPerson, cur: ViewCursor, limit: Limit = 50, offset: Offset = 0
) -> Page[GroupOut]:
    rows, total = list_groups(cur, limit, offset)
    return Page(total=total, limit=limit, offset=offset, items=[group_out(r) for r in rows])


@router.get("/{group_id}", response_model=GroupOut, summary="A working group")
def group(group_id: UUID, person: CurrentPerson, cur: ViewCursor) -> GroupOut:
    row = find_group(cur, group_id.hex)
    if row is None:
        raise NotFound("working_group.not_found")
    return group_out(row)


@router.post("/{group_id}/members", response_model=Written, summary="Enrol a person")
def enrol(group_id: UUID, body: PersonRef, person: CurrentPerson, runtime: RuntimeDep) -> Written:
    outcome = announce(runtime, runtime.app.enrol(group_id, body.person_id, by=person.id))
    return Written.of(outcome)


@router.post("/{group_id}/leads", response_model=Written, summary="Appoint a lead")
def appoint(group_id: UUID, body: PersonRef, person: CurrentPerson, runtime: RuntimeDep) -> Written:
    outcome = announce(runtime, runtime.app.appoint_lead(group_id, body.person_id, by=person.id))
    return Written.of(outcome)


@router.post("/{group_id}/pain-points", status_code=201, response_model=Written, summary="Submit")
def submit(
    group_id: UUID,
    body: PainPointIn,
    person: CurrentPerson,
    runtime: RuntimeDep,
    key: IdempotencyKey = None,
) -> Written:
    outcome = runtime.app.submit_pain_point(
        group_id, body.title, body.description, body.tags, by=person.id, key=key
    )
    announce(runtime, outcome)
    return Written.of(outcome)


AsOf = AsOfQuery


@router.get(
    "/{group_id}/ranking",
    response_model=Ranking,
    responses=FILE_RESPONSES,
    summary="The community ranking (also as a CSV or XLSX file)",
)
def ranking(
    group_id: UUID,
    request: Request,
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    as_of: AsOf = None,
    limit: Limit = 50,
    offset: Offset = 0,
    fmt: FileFormat = "json",
) -> Ranking | Response:
    working_group = app.load(WorkingGroup, group_id, "working group", readonly=True)
    app.require_visible(person.id, working_group, "working group")
    if fmt != "json":
        limit, offset = ALL_ROWS, 0
    if as_of is None:
        items, total = live_ranking(cur, group_id.hex, limit, offset)
    else:
        if as_of.tzinfo is None:
            raise Invalid("datetime.needs_time_zone", field="as_of", example="2025-03-14T12:00:00Z")
        items, total = ranking_as_of(cur, group_id.hex, micros(as_of), limit, offset)
    if fmt != "json":
        return ranking_file(fmt, [ranked(item) for item in items], reader_language(request, person))
    return Ranking(
        group_id=group_id,
        as_of=as_of,
        total=total,
        limit=limit,
        offset=offset,
        items=[ranked(item) for item in items],
    )


@router.get(
    "/{group_id}/pain-points",
    response_model=Page[GroupPainPoint],
    responses=FILE_RESPONSES,
    summary="The group's pain points with their status, newest first (also as CSV or XLSX)",
)
def pain_points(
    group_id: UUID,
    request: Request,
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    limit: Limit = 50,
    offset: Offset = 0,
    fmt: FileFormat = "json",
) -> Page[GroupPainPoint] | Response:
    working_group = app.load(WorkingGroup, group_id, "working group", readonly=True)
    app.require_visible(person.id, working_group, "working group")
    if fmt != "json":
        limit, offset = ALL_ROWS, 0
    rows, total = group_pain_points(cur, group_id.hex, limit, offset)
    items = [listed(cur, row) for row in rows]
    if fmt == "json":
        return Page(total=total, limit=limit, offset=offset, items=items)
    columns = (TITLE, STATUS, SUBMITTED, TAGS, SCORE, COMPANIES, SUPPORTERS, PAIN_POINT_ID)
    table = [
        (i.title, i.status, i.submitted_at, " | ".join(i.tags), i.score, i.companies,
         i.supporters, str(i.id))
        for i in items
    ]  # fmt: skip
    language = reader_language(request, person)
    return file_response(fmt, "pain-points", columns, table, language=language)


def listed(cur: Cursor, row: dict[str, Any]) -> GroupPainPoint:
    tally = find_tally(cur, row["id"]) or Tally(row["id"])
    merged = row["merged_into"]
    return GroupPainPoint(
        id=UUID(row["id"]),
        title=row["title"],
        status=row["status"],
        tags=row["tags"],
        submitted_at=moment(row["submitted_at"]),
        merged_into=UUID(merged) if merged else None,
        score=exact_score(tally.units),
        score_units=tally.units,
        companies=tally.companies,
        supporters=tally.supporters,
    )


def ranking_file(fmt: str, items: list[RankedPainPoint], language: str) -> Response:
    columns = (RANK, TITLE, STATUS, SCORE, COMPANIES, SUPPORTERS, FIRST_SUPPORT, PAIN_POINT_ID)
    rows = [
        (i.rank, i.title, i.status, i.score, i.companies, i.supporters,
         i.first_support_at, str(i.pain_point_id))
        for i in items
    ]  # fmt: skip
    return file_response(fmt, "ranking", columns, rows, language=language)


def ranked(item: RankedItem) -> RankedPainPoint:
    tally = item.tally
    first = None if tally.first_support_at == NO_SUPPORT else when(tally.first_support_at)
    return RankedPainPoint(
        rank=item.rank,
        pain_point_id=UUID(item.pain_point_id),
        title=item.title,
        status=item.status,
        score=exact_score(tally.units),
        score_units=tally.units,
        companies=tally.companies,
        supporters=tally.supporters,
        first_support_at=first,
    )
