"""A working group's voting rules (vote budget, rounds) and its rounds' results."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import Limit, Offset, api_router, when
from api.routes.groups import AsOf, ranked
from api.schemas.board import (
    RoundIn,
    RoundOut,
    RoundResult,
    RulesIn,
    RulesOut,
    VotesOut,
    VotingOut,
)
from api.schemas.common import Written
from api.values import CountPath
from domain.errors import Invalid, NotFound
from domain.workinggroup import WorkingGroup
from projections.ranking_view import live_ranking, ranking_as_of
from projections.rules_view import find_round, rounds, rule_versions, rules_in_force
from projections.view import micros
from service.application import Sprachrohr
from service.runtime import announce

router = api_router("/working-groups", tags=["voting rules"])


def visible_group(app: Sprachrohr, group_id: UUID, by: UUID) -> WorkingGroup:
    group = app.load(WorkingGroup, group_id, "working group", readonly=True)
    app.require_visible(by, group, "working group")
    return group


def rules_out(row: dict[str, Any]) -> RulesOut:
    return RulesOut(
        version=row["version"],
        vote_budget=row["vote_budget"],
        rounds=row["rounds"],
        effective_from=when(row["effective_from"]),
        recorded_at=when(row["recorded_at"]),
        reason=row["reason"],
    )


def round_out(row: dict[str, Any]) -> RoundOut:
    opened = when(row["opened_at"])
    assert opened is not None
    return RoundOut(
        number=row["number"], title=row["title"], opened_at=opened, closed_at=when(row["closed_at"])
    )


@router.get("/{group_id}/voting", response_model=VotingOut, summary="Voting rules and rounds")
def voting(
    group_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor, as_of: AsOf = None
) -> VotingOut:
    """The rules in force (now or `as_of`), every version, the rounds and the caller's votes."""
    group = visible_group(app, group_id, person.id)
    if as_of is not None and as_of.tzinfo is None:
        raise Invalid("datetime.needs_time_zone", field="as_of", example="2025-03-14T12:00:00Z")
    at = micros(as_of or app.clock())
    my_votes = None
    if as_of is None and group.is_member(person.id):
        votes = app.votes(group_id, by=person.id)
        my_votes = VotesOut(
            budget=votes.budget, used=votes.used, left=votes.left, round=votes.round_number
        )
    recorded_by = None if as_of is None else at
    return VotingOut(
        group_id=group_id,
        as_of=as_of,
        in_force=rules_out(rules_in_force(cur, group_id.hex, at)),
        versions=[rules_out(r) for r in rule_versions(cur, group_id.hex, recorded_by)],
        rounds=[round_out(r) for r in rounds(cur, group_id.hex, recorded_by)],
        my_votes=my_votes,
    )


@router.put("/{group_id}/voting", response_model=Written, summary="Change the voting rules")
def change_rules(
    group_id: UUID, body: RulesIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    """Leads only. The rules apply from `effective_from` (now or later) and never to the past."""
    outcome = runtime.app.change_voting_rules(
        group_id,
        body.vote_budget,
        body.rounds,
        body.reason,
        effective_from=body.effective_from,
        by=person.id,
    )
    return Written.of(announce(runtime, outcome))


@router.post("/{group_id}/rounds", response_model=Written, summary="Open a voting round")
def open_round(
    group_id: UUID, body: RoundIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.open_round(group_id, body.title, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.post(
    "/{group_id}/rounds/current/close", response_model=Written, summary="Close the open round"
)
def close_round(group_id: UUID, person: CurrentPerson, runtime: RuntimeDep) -> Written:
    """Freezes the round's result: the ranking at this moment. Later votes count for the next."""
    outcome = runtime.app.close_round(group_id, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.get(
    "/{group_id}/rounds/{number}", response_model=RoundResult, summary="A round and its result"
)
def round_result(
    group_id: UUID,
    number: CountPath,
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    limit: Limit = 50,
    offset: Offset = 0,
) -> RoundResult:
    visible_group(app, group_id, person.id)
    row = find_round(cur, group_id.hex, number)
    if row is None:
        raise NotFound("voting_round.not_found")
    if row["closed_at"] is None:
        items, total = live_ranking(cur, group_id.hex, limit, offset)
    else:
        items, total = ranking_as_of(cur, group_id.hex, row["closed_at"], limit, offset)
    return RoundResult(
        **round_out(row).model_dump(),
        group_id=group_id,
        result=[ranked(item) for item in items],
        total=total,
    )
