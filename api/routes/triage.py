"""Triage by the group's leads and the board: status moves, merging duplicates."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api.deps import CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import Limit, Offset, when
from api.schemas.board import MergeIn, StatusIn, UnmergeIn
from api.schemas.common import Page, TriageItem, Written
from domain.errors import NotFound
from projections.queries import triage_inbox, triage_waiting
from service.runtime import announce

router = APIRouter(tags=["triage"])


@router.get(
    "/me/triage",
    response_model=Page[TriageItem],
    summary="My triage inbox: new and needs-info pain points of every group I lead, "
    "oldest first (404 for who leads no group)",
)
def my_triage(
    person: CurrentPerson, cur: ViewCursor, limit: Limit = 50, offset: Offset = 0
) -> Page[TriageItem]:
    if triage_waiting(cur, person.id.hex) is None:
        raise NotFound("page.not_found")
    rows, total = triage_inbox(cur, person.id.hex, limit, offset)
    items = [
        TriageItem(
            id=UUID(row["id"]),
            title=row["title"],
            status=row["status"],
            group_id=UUID(row["group_id"]),
            group_name=row["group_name"],
            submitted_at=when(row["submitted_at"]),
            status_since=when(row["changed_at"]),
            companies=row["companies"],
            supporters=row["supporters"],
        )
        for row in rows
    ]
    return Page(total=total, limit=limit, offset=offset, items=items)


@router.post(
    "/pain-points/{pain_point_id}/status",
    response_model=Written,
    summary="Move it through the workflow (leads: triage and escalation; board: the rest)",
)
def change_status(
    pain_point_id: UUID, body: StatusIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.change_status(pain_point_id, body.status, body.reason, by=person.id)
    announce(runtime, outcome)
    return Written.of(outcome)


@router.post(
    "/pain-points/{pain_point_id}/merge",
    response_model=Written,
    summary="Merge this duplicate into another pain point of the group (leads)",
)
def merge(
    pain_point_id: UUID, body: MergeIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.merge(pain_point_id, body.target_id, body.reason, by=person.id)
    announce(runtime, outcome)
    return Written.of(outcome)


@router.post(
    "/pain-points/{pain_point_id}/unmerge",
    response_model=Written,
    summary="Undo a merge: the duplicate returns as it was (leads)",
)
def unmerge(
    pain_point_id: UUID, body: UnmergeIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.unmerge(pain_point_id, body.reason, by=person.id)
    announce(runtime, outcome)
    return Written.of(outcome)
