"""Personal data: a copy for the person (GDPR Art. 15/20), erasure (Art. 17), and who
sees supporters' names in a working group."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import BackgroundTasks

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import FORMER_MEMBER, api_router
from api.routes.painpoints import visible_pain_point
from api.schemas.common import Written
from api.schemas.privacy import ErasureIn, ErasureOut, PersonalData, PrivacyIn, SupporterOut
from domain.errors import DomainError, NotFound
from domain.evidence import plain_facts
from domain.person import Person
from domain.workinggroup import WorkingGroup
from projections.personal_data import contributions_of, person_row, supporters_of
from projections.store import Cursor
from projections.view import moment
from service.application import Sprachrohr
from service.runtime import announce

router = api_router(tags=["personal data"])


@router.get(
    "/people/{person_id}/personal-data",
    response_model=PersonalData,
    summary="A copy of everything about a person (the person themself or an admin)",
)
def personal_data(
    person_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor
) -> PersonalData:
    other = app.require_own_or_admin(person_id, by=person.id)
    return copy_of(app, cur, other)


def copy_of(app: Sprachrohr, cur: Cursor, other: Person) -> PersonalData:
    """The copy: the person's own rows only (no other person's name or text)."""
    rows = contributions_of(cur, other.id.hex)
    profile = person_row(cur, other.id.hex) or {}
    return PersonalData(
        person={
            "id": str(other.id),
            "email": other.email,
            "display_name": other.display_name,
            "company_id": str(other.company_id) if other.company_id else None,
            "company_name": profile.get("company_name"),
            "registered_at": other.created_on,
            "language": other.language,
            "erased": other.erased,
            "erasure_requested_at": other.erasure_requested_at,
        },
        roles=list(other.roles),
        sign_ins=[_at(e) for e in app.events.get(other.id) if _named(e, "SignedIn")],
        memberships=_dated(rows["memberships"]),
        supports=_dated(rows["supports"]),
        ballots=_ballots(app, other, rows["memberships"]),
        pain_points_submitted=_dated(rows["pain_points_submitted"]),
        comments=[
            {**row, "versions": _versions(app, row["id"], lambda e: e.text.shown)}
            for row in _dated(rows["comments"])
        ],
        evidence=[
            {**row, "versions": _versions(app, row["id"], lambda e: plain_facts(e.facts))}
            for row in _dated(rows["evidence"])
        ],
    )


def _versions(app: Sprachrohr, aggregate_id: str, shown: Callable[[Any], Any]) -> list[Any]:
    """Every version the log holds of a text (the views keep only the latest)."""
    return [
        {"at": _at(e), "content": shown(e)}
        for e in app.events.get(UUID(aggregate_id))
        if _named(e, "Posted") or _named(e, "Added") or _named(e, "Edited")
    ]


def _named(event: Any, name: str) -> bool:
    return type(event).__name__ == name


def _at(event: Any) -> datetime:
    moment_: datetime = event.timestamp
    return moment_


def _dated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with their `…_at` microsecond columns as moments."""
    return [
        {k: moment(v) if k.endswith("_at") and isinstance(v, int) else v for k, v in row.items()}
        for row in rows
    ]


def _ballots(
    app: Sprachrohr, other: Person, memberships: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    ballots = []
    for membership in memberships:
        try:
            votes = app.votes(UUID(membership["group_id"]), by=other.id)
        except DomainError:
            continue
        if votes.budget is not None:
            ballots.append(
                {
                    "group_id": membership["group_id"],
                    "budget": votes.budget,
                    "used": votes.used,
                    "round": votes.round_number,
                }
            )
    return ballots


@router.post(
    "/people/{person_id}/erasure-request",
    response_model=Written,
    summary="Ask for my own erasure (an admin confirms it)",
)
def request_erasure(person_id: UUID, person: CurrentPerson, runtime: RuntimeDep) -> Written:
    app = runtime.app
    other = app.load(Person, person_id, "person", readonly=True)
    if not app.may_see_person(person.id, other):
        raise NotFound("person.not_found")
    return Written.of(announce(runtime, app.request_erasure(person_id, by=person.id)))


@router.post(
    "/people/{person_id}/erasure",
    status_code=202,
    response_model=ErasureOut,
    summary="Erase a person (admins): their data goes, their company's support stays",
)
def erase(
    person_id: UUID,
    body: ErasureIn,
    person: CurrentPerson,
    runtime: RuntimeDep,
    background: BackgroundTasks,
) -> ErasureOut:
    """Accepted at once; the views and their files are scrubbed within seconds.
    `GET /people/{id}` answers `"erased": true` once the views include it."""
    app = runtime.app
    other = app.load(Person, person_id, "person", readonly=True)
    if not app.may_see_person(person.id, other):
        raise NotFound("person.not_found")
    email = other.email  # known until the key is destroyed: the outbox is purged by it
    outcome = announce(runtime, app.erase_person(person_id, body.reason, by=person.id))
    if outcome.position is not None:
        background.add_task(runtime.complete_erasure, outcome.position, email)
    return ErasureOut(id=person_id, position=outcome.position, erased=True)


@router.put(
    "/working-groups/{group_id}/privacy",
    response_model=Written,
    summary="Who sees supporters' names (leads or admins)",
)
def set_privacy(
    group_id: UUID, body: PrivacyIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.set_supporter_names(group_id, body.supporter_names, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.get(
    "/pain-points/{pain_point_id}/supporters",
    response_model=list[SupporterOut],
    summary="Who supports it: companies, and names where the group's setting allows",
)
def supporters(
    pain_point_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor
) -> list[SupporterOut]:
    row = visible_pain_point(app, cur, person, pain_point_id)
    group = app.load(WorkingGroup, UUID(row["group_id"]), "pain point", readonly=True)
    named = app.sees_supporter_names(person.id, group)
    return [
        SupporterOut(
            company_id=UUID(s["company_id"]),
            company=s["company_name"],
            name=(s["display_name"] or FORMER_MEMBER) if named else None,
            since=moment(s["given_at"]),
        )
        for s in supporters_of(cur, row["id"])
    ]
