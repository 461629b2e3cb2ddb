"""Working groups, their members and leads, their pain points and ranking."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import IdempotencyKey, Limit, Offset, when
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
    Roadmap,
    RoadmapCard,
    RoadmapColumn,
    RoadmapCommitment,
    Written,
)
from api.values import AsOfQuery
from domain import visibility
from domain.errors import Invalid, NotFound
from domain.person import Person
from domain.ranking import NO_SUPPORT, Tally, exact_score
from domain.workinggroup import WorkingGroup
from projections.board_queries import roadmap as roadmap_columns
from projections.directory_view import group_directory, person_names
from projections.painpoint_view import group_pain_points
from projections.ranking_view import RankedItem, find_tally, live_ranking, ranking_as_of
from projections.store import Cursor
from projections.view import micros, moment
from service.runtime import announce

router = APIRouter(prefix="/working-groups", tags=["working groups"])


def group_out(row: dict[str, Any], names: dict[str, str] | None = None) -> GroupOut:
    """A directory entry; `names` (lead id → name) only for a viewer who sees names."""
    founded = when(row["founded_at"])
    assert founded is not None
    leads = row.get("leads", [])
    return GroupOut(
        id=UUID(row["id"]),
        name=row["name"],
        kind=row["kind"],
        description=row["description"],
        founded_at=founded,
        members=row["members"],
        leads=[UUID(lead) for lead in leads],
        lead_names=None if names is None else sorted(names.get(lead, "") for lead in leads),
        my_status=row.get("my_status", "none"),
        join_requests=row.get("join_requests"),
    )


def directory(cur: Cursor, person: Person) -> list[GroupOut]:
    """Every group as `person` sees it in the directory (domain.visibility): leads' names
    where they see names, join requests waiting where they lead (or administer)."""
    rows = group_directory(cur, person.id.hex)
    admin = visibility.ADMIN in person.roles
    names = person_names(cur, {lead for row in rows for lead in row["leads"]})
    shown = []
    for row in rows:
        member = row["my_status"] in ("lead", "member")
        sees = visibility.sees_names(person.roles, member=member)
        waiting = row["join_requests"] if admin or row["my_status"] == "lead" else None
        shown.append(group_out({**row, "join_requests": waiting}, names if sees else None))
    return shown


@router.post("", status_code=201, response_model=Written, summary="Found a working group")
def found(
    body: GroupIn, person: CurrentPerson, runtime: RuntimeDep, key: IdempotencyKey = None
) -> Written:
    outcome = runtime.app.found_group(body.name, body.kind, body.description, by=person.id, key=key)
    announce(runtime, outcome)
    return Written.of(outcome)


@router.get(
    "",
    response_model=Page[GroupOut],
    summary="Working groups, by kind and name, with my status (not for the vendor: 404)",
)
def groups(
    person: CurrentPerson, app: AppDep, cur: ViewCursor, limit: Limit = 50, offset: Offset = 0
) -> Page[GroupOut]:
    app.require_directory(person.id)
    items = directory(cur, person)
    return Page(total=len(items), limit=limit, offset=offset, items=items[offset : offset + limit])


@router.get("/{group_id}", response_model=GroupOut, summary="A working group")
def group(group_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor) -> GroupOut:
    app.require_directory(person.id)
    for entry in directory(cur, person):
        if entry.id == group_id:
            return entry
    raise NotFound("working_group.not_found")


@router.get(
    "/{group_id}/roadmap",
    response_model=Roadmap,
    summary="The group's roadmap: escalated → presented → answered → resolved, with promises",
)
def roadmap(group_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor) -> Roadmap:
    working_group = app.load(WorkingGroup, group_id, "working group", readonly=True)
    app.require_visible(person.id, working_group, "working group")
    today = app.today()
    columns = roadmap_columns(cur, group_id.hex, today)
    return Roadmap(
        group_id=group_id,
        today=today,
        columns=[
            RoadmapColumn(status=status, items=[roadmap_card(card) for card in cards])
            for status, cards in columns.items()
        ],
    )


def roadmap_card(card: dict[str, Any]) -> RoadmapCard:
    return RoadmapCard(
        pain_point_id=UUID(card["id"]),
        title=card["title"],
        status=card["status"],
        since=when(card["since"]),
        score=exact_score(card["units"]),
        score_units=card["units"],
        companies=card["companies"],
        supporters=card["supporters"],
        commitments=[
            RoadmapCommitment(
                response_id=UUID(c["id"]),
                commitment=c["commitment"],
                due_on=c["due_on"] or None,
                state=c["promise"],
            )
            for c in card["commitments"]
        ],
    )


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
