"""People, their roles, and the signed-in person (`/me`)."""

from __future__ import annotations

from uuid import UUID

from fastapi import Path

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import FORMER_MEMBER, IdempotencyKey, api_router
from api.schemas.common import GroupMembership, PersonIn, PersonOut, Role, RoleIn, Written
from domain.errors import NotFound
from domain.person import Person
from projections.directory_view import groups_of
from projections.store import Cursor
from service.passwords import check_password
from service.runtime import announce
from service.security import hash_password

router = api_router(tags=["people"])


def person_out(person: Person, cur: Cursor) -> PersonOut:
    groups = [
        GroupMembership(
            id=UUID(g["id"]), name=g["name"], kind=g["kind"], is_lead=bool(g["is_lead"])
        )
        for g in groups_of(cur, person.id.hex)
    ]
    return PersonOut(
        id=person.id,
        email=person.email,
        display_name=FORMER_MEMBER if person.erased else person.display_name,
        erased=person.erased,
        company_id=person.company_id,
        roles=person.roles,
        groups=groups,
    )


@router.get("/me", response_model=PersonOut, summary="Who I am, my roles and my groups")
def me(person: CurrentPerson, cur: ViewCursor) -> PersonOut:
    return person_out(person, cur)


@router.post("/people", status_code=201, response_model=Written, summary="Register a person")
def register(
    body: PersonIn, person: CurrentPerson, runtime: RuntimeDep, key: IdempotencyKey = None
) -> Written:
    runtime.app.require_admin(person.id)
    check_password(body.password)
    outcome = runtime.app.register_person(
        body.email,
        body.display_name,
        body.company_id,
        hash_password(body.password),
        by=person.id,
        key=key,
    )
    announce(runtime, outcome)
    return Written.of(outcome)


@router.get("/people/{person_id}", response_model=PersonOut, summary="A person")
def get_person(person_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor) -> PersonOut:
    other = app.load(Person, person_id, "person", readonly=True)
    if not app.may_see_person(person.id, other):
        raise NotFound("person.not_found")
    return person_out(other, cur)


@router.post("/people/{person_id}/roles", response_model=Written, summary="Grant a role")
def grant(person_id: UUID, body: RoleIn, person: CurrentPerson, runtime: RuntimeDep) -> Written:
    outcome = announce(runtime, runtime.app.grant_role(person_id, body.role, by=person.id))
    return Written.of(outcome)


@router.delete("/people/{person_id}/roles/{role}", response_model=Written, summary="Revoke a role")
def revoke(
    person_id: UUID, person: CurrentPerson, runtime: RuntimeDep, role: Role = Path()
) -> Written:
    outcome = announce(runtime, runtime.app.revoke_role(person_id, role, by=person.id))
    return Written.of(outcome)
