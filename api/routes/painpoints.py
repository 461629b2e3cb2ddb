"""A pain point: details, history, support, withdrawal."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api.deps import (
    AppDep,
    CurrentPerson,
    MaybeToken,
    RuntimeDep,
    ViewCursor,
    signed_in_person,
)
from api.routes.common import Limit, Offset, person_name, when
from api.schemas.common import (
    HistoryEntry,
    PainPointOut,
    PainPointPatch,
    SupportOut,
    WithdrawIn,
    Written,
)
from domain.errors import NotFound
from domain.ids import support_id
from domain.person import Person
from domain.ranking import Tally, exact_score
from domain.support import Support
from domain.workinggroup import WorkingGroup
from projections.directory_view import company_names, person_names
from projections.painpoint_view import SUPPORT_KINDS, find_pain_point, history
from projections.ranking_view import find_tally
from projections.store import Cursor
from service.application import Sprachrohr
from service.runtime import announce

router = APIRouter(prefix="/pain-points", tags=["pain points"])


def visible_pain_point(
    app: Sprachrohr, cur: Cursor, person: Person, pain_point_id: UUID
) -> dict[str, Any]:
    row = find_pain_point(cur, pain_point_id.hex)
    if row is None:
        raise NotFound("pain_point.not_found")
    group = app.load(WorkingGroup, UUID(row["group_id"]), "pain point", readonly=True)
    app.require_visible(person.id, group, "pain point")
    return row


@router.get("/{pain_point_id}", response_model=PainPointOut, summary="A pain point")
def pain_point(
    pain_point_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor
) -> PainPointOut:
    row = visible_pain_point(app, cur, person, pain_point_id)
    tally = find_tally(cur, row["id"]) or Tally(row["id"])
    support = app.find(Support, support_id(pain_point_id, person.id), readonly=True)
    submitted = when(row["submitted_at"])
    assert submitted is not None
    return PainPointOut(
        id=pain_point_id,
        group_id=UUID(row["group_id"]),
        title=row["title"],
        description=row["description"],
        tags=row["tags"],
        status=row["status"],
        submitted_at=submitted,
        submitted_for_company=UUID(row["for_company"]),
        score=exact_score(tally.units),
        score_units=tally.units,
        companies=tally.companies,
        supporters=tally.supporters,
        supported_by_me=bool(support and support.active),
    )


@router.patch(
    "/{pain_point_id}",
    response_model=Written,
    summary="Edit its title, description or tags (its author until the leads triage it; "
    "the group's leads and admins until it is withdrawn or merged)",
)
def edit(
    pain_point_id: UUID, body: PainPointPatch, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.edit_pain_point(
        pain_point_id,
        title=body.title,
        description=body.description,
        tags=body.tags,
        by=person.id,
    )
    announce(runtime, outcome)
    return Written.of(outcome)


@router.get("/{pain_point_id}/history", response_model=list[HistoryEntry], summary="What happened")
def pain_point_history(
    pain_point_id: UUID,
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[HistoryEntry]:
    row = visible_pain_point(app, cur, person, pain_point_id)
    group = app.load(WorkingGroup, UUID(row["group_id"]), "pain point", readonly=True)
    names_shown = app.sees_supporter_names(person.id, group)
    entries = history(cur, pain_point_id.hex, limit, offset)
    people = person_names(cur, {e["actor_id"] for e in entries})
    companies = company_names(cur, {e["company_id"] for e in entries if e["company_id"]})
    return [
        HistoryEntry(
            position=e["position"],
            at=when(e["at"]),
            kind=e["kind"],
            by=person_name(people, e["actor_id"])
            if names_shown or e["kind"] not in SUPPORT_KINDS
            else companies.get(e["company_id"], ""),
            company=companies.get(e["company_id"]) if e["company_id"] else None,
            detail=e["detail"],
        )
        for e in entries
    ]


@router.put(
    "/{pain_point_id}/support",
    response_model=SupportOut,
    summary="Support it (idempotent: 201 when new, 200 when already supported)",
    responses={201: {"model": SupportOut, "description": "Support given now"}},
)
def support(pain_point_id: UUID, token: MaybeToken, runtime: RuntimeDep) -> Response:
    # The busiest write route: the bearer token is resolved here rather than by
    # CurrentPerson (one trip to the thread pool per request instead of two), and the
    # answer is encoded here (FastAPI would validate the model it was just built from).
    person = signed_in_person(runtime, token)
    outcome = announce(runtime, runtime.app.give_support(pain_point_id, by=person.id))
    body = SupportOut(pain_point_id=pain_point_id, supported=True, position=outcome.position)
    return Response(
        body.model_dump_json(),
        status_code=201 if outcome.changed else 200,
        media_type="application/json",
    )


@router.delete("/{pain_point_id}/support", response_model=SupportOut, summary="Withdraw support")
def withdraw_support(pain_point_id: UUID, token: MaybeToken, runtime: RuntimeDep) -> SupportOut:
    person = signed_in_person(runtime, token)
    outcome = announce(runtime, runtime.app.withdraw_support(pain_point_id, by=person.id))
    return SupportOut(pain_point_id=pain_point_id, supported=False, position=outcome.position)


@router.post("/{pain_point_id}/withdraw", response_model=Written, summary="Withdraw it")
def withdraw(
    pain_point_id: UUID, body: WithdrawIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.withdraw_pain_point(pain_point_id, body.reason, by=person.id)
    announce(runtime, outcome)
    return Written.of(outcome)
