"""The vendor's side: escalated pain points, official responses, promises, reports."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request, Response

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import IdempotencyKey, Limit, Offset, api_router, when
from api.routes.exports import (
    COMMITMENT,
    DUE_ON,
    FILE_RESPONSES,
    NOTE,
    OVERDUE,
    PAIN_POINT_ID,
    POSTED,
    SETTLED,
    STATE,
    TITLE,
    FileFormat,
    file_response,
    reader_language,
)
from api.routes.reach import (
    promises_reach,
    require_board_or_admin,
    require_vendor_reader,
)
from api.schemas.board import (
    PainPointResponseTime,
    ProductGroupResponseTime,
    Promise,
    ResponseIn,
    ResponseOut,
    ResponseTimes,
    SettleIn,
    VendorPainPoint,
)
from api.schemas.common import Page, Written
from api.values import Day
from domain.errors import NotFound
from domain.ranking import exact_score
from domain.workinggroup import WorkingGroup
from projections.board_queries import promises, response_times, responses_of, vendor_pain_points
from projections.directory_view import person_names
from projections.painpoint_view import find_pain_point
from projections.view import micros, moment
from service.runtime import announce

router = api_router(tags=["vendor"])
SECOND = 1_000_000


def vendor_out(row: dict[str, Any]) -> VendorPainPoint:
    return VendorPainPoint(
        id=UUID(row["id"]),
        group_id=UUID(row["group_id"]),
        group_name=row["group_name"],
        title=row["title"],
        description=row["description"],
        tags=row["tags"],
        status=row["status"],
        score=exact_score(row["units"]),
        score_units=row["units"],
        companies=row["companies"],
        supporters=row["supporters"],
        escalated_at=when(row["escalated_at"]),
        responses=row["responses"],
    )


@router.get(
    "/vendor/pain-points",
    response_model=Page[VendorPainPoint],
    summary="Escalated pain points by weight, with support in numbers (never who)",
)
def escalated(
    person: CurrentPerson, cur: ViewCursor, limit: Limit = 50, offset: Offset = 0
) -> Page[VendorPainPoint]:
    require_vendor_reader(person)
    rows, total = vendor_pain_points(cur, limit, offset)
    return Page(total=total, limit=limit, offset=offset, items=[vendor_out(r) for r in rows])


@router.get(
    "/vendor/pain-points/{pain_point_id}",
    response_model=VendorPainPoint,
    summary="An escalated pain point as the vendor sees it",
)
def escalated_one(pain_point_id: UUID, person: CurrentPerson, cur: ViewCursor) -> VendorPainPoint:
    require_vendor_reader(person)
    rows, _ = vendor_pain_points(cur, 1, 0, pain_point_id.hex)
    if not rows:
        raise NotFound("pain_point.not_found")
    return vendor_out(rows[0])


@router.post(
    "/pain-points/{pain_point_id}/responses",
    status_code=201,
    response_model=Written,
    summary="Respond officially (the vendor's representatives)",
)
def respond(
    pain_point_id: UUID,
    body: ResponseIn,
    person: CurrentPerson,
    runtime: RuntimeDep,
    key: IdempotencyKey = None,
) -> Written:
    outcome = runtime.app.respond(
        pain_point_id,
        kind=body.kind,
        text=body.text,
        product_group=body.product_group,
        commitment=body.commitment,
        due_on=body.due_on.isoformat() if body.due_on else "",
        by=person.id,
        key=key,
    )
    announce(runtime, outcome)
    return Written.of(outcome)


@router.get(
    "/pain-points/{pain_point_id}/responses",
    response_model=list[ResponseOut],
    summary="The vendor's responses to a pain point, oldest first",
)
def responses(
    pain_point_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor
) -> list[ResponseOut]:
    row = find_pain_point(cur, pain_point_id.hex)
    if row is None:
        raise NotFound("pain_point.not_found")
    group = app.load(WorkingGroup, UUID(row["group_id"]), "pain point", readonly=True)
    if not app.can_see_pain_point(person.id, group, row["status"]):
        raise NotFound("pain_point.not_found")
    rows = responses_of(cur, pain_point_id.hex)
    people = person_names(cur, {r["posted_by"] for r in rows})
    return [
        ResponseOut(
            id=UUID(r["id"]),
            pain_point_id=pain_point_id,
            kind=r["kind"],
            text=r["text"],
            product_group=r["product_group"],
            commitment=r["commitment"],
            due_on=r["due_on"],
            state=r["state"],
            settled_at=when(r["settled_at"]),
            settle_note=r["settle_note"],
            posted_at=moment(r["posted_at"]),
            by=people.get(r["posted_by"], "Sprachrohr"),
        )
        for r in rows
    ]


@router.post(
    "/responses/{response_id}/settle",
    response_model=Written,
    summary="Record whether the vendor kept its promise (board)",
)
def settle(
    response_id: UUID, body: SettleIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.settle_commitment(response_id, body.met, body.note, by=person.id)
    announce(runtime, outcome)
    return Written.of(outcome)


Today = Annotated[
    Day | None, Query(description="The day to judge overdue promises by (default: today).")
]


@router.get(
    "/promises",
    response_model=Page[Promise],
    responses=FILE_RESPONSES,
    summary="Every commitment by due date; open ones past due are overdue (board, leads);"
    " also as CSV or XLSX",
)
def list_promises(
    request: Request,
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    today: Today = None,
    limit: Limit = 50,
    offset: Offset = 0,
    fmt: FileFormat = "json",
) -> Page[Promise] | Response:
    led = promises_reach(person, cur)
    rows = promises(cur, today or app.today(), led)
    items = [
        Promise(
            response_id=UUID(r["id"]),
            pain_point_id=UUID(r["pain_point_id"]),
            group_id=UUID(r["group_id"]),
            title=r["title"],
            commitment=r["commitment"],
            due_on=r["due_on"],
            state=r["state"],
            overdue=r["overdue"],
            posted_at=moment(r["posted_at"]),
            settled_at=when(r["settled_at"]),
            settle_note=r["settle_note"],
        )
        for r in (rows if fmt != "json" else rows[offset : offset + limit])
    ]
    if fmt != "json":
        return promises_file(fmt, items, reader_language(request, person))
    return Page(total=len(rows), limit=limit, offset=offset, items=items)


def promises_file(fmt: str, items: list[Promise], language: str) -> Response:
    columns = (TITLE, COMMITMENT, DUE_ON, STATE, OVERDUE, POSTED, SETTLED, NOTE, PAIN_POINT_ID)
    rows = [
        (p.title, p.commitment, p.due_on, p.state, p.overdue, p.posted_at, p.settled_at,
         p.settle_note, str(p.pain_point_id))
        for p in items
    ]  # fmt: skip
    return file_response(fmt, "promises", columns, rows, language=language)


@router.get(
    "/reports/response-times",
    response_model=ResponseTimes,
    summary="Time from escalation to the vendor's first response; time in each status",
)
def report(person: CurrentPerson, app: AppDep, cur: ViewCursor) -> ResponseTimes:
    require_board_or_admin(person, "response times")
    found = response_times(cur, now=micros(app.clock()))
    return ResponseTimes(
        pain_points=[
            PainPointResponseTime(
                pain_point_id=UUID(r["id"]),
                group_id=UUID(r["group_id"]),
                title=r["title"],
                status=r["status"],
                escalated_at=moment(r["escalated_at"]),
                first_response_at=when(r["first_response_at"]),
                product_group=r["product_group"],
                response_seconds=None
                if r["response_time"] is None
                else r["response_time"] // SECOND,
                seconds_in_status={k: v // SECOND for k, v in r["time_in_status"].items()},
            )
            for r in found["pain_points"]
        ],
        product_groups=[
            ProductGroupResponseTime(
                product_group=g["product_group"],
                answered=g["answered"],
                mean_seconds=g["mean"] // SECOND,
                median_seconds=g["median"] // SECOND,
                longest_seconds=g["longest"] // SECOND,
            )
            for g in found["product_groups"]
        ],
    )
