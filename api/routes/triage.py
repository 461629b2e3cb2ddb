"""Triage by the group's leads and the board: status moves, merging duplicates."""

from __future__ import annotations

from uuid import UUID

from api.deps import CurrentPerson, RuntimeDep
from api.routes.common import api_router
from api.schemas.board import MergeIn, StatusIn, UnmergeIn
from api.schemas.common import Written
from service.runtime import announce

router = api_router("/pain-points", tags=["triage"])


@router.post(
    "/{pain_point_id}/status",
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
    "/{pain_point_id}/merge",
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
    "/{pain_point_id}/unmerge",
    response_model=Written,
    summary="Undo a merge: the duplicate returns as it was (leads)",
)
def unmerge(
    pain_point_id: UUID, body: UnmergeIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.unmerge(pain_point_id, body.reason, by=person.id)
    announce(runtime, outcome)
    return Written.of(outcome)
