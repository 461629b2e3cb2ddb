"""People management: rename, move, deactivate, history; group removal and lead revocation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Path, Response

from api.deps import AppDep, CurrentPerson, RuntimeDep
from api.routes.common import api_router
from api.schemas.common import Written
from api.schemas.signin import PersonEventOut, PersonPatch
from domain.errors import Invalid, NotFound
from domain.person import Person
from domain.personal import Personal
from service.core import Outcome
from service.runtime import announce
from storage.quiet import QUIET

router = api_router(tags=["people"])
#: What a person's history never shows.
HIDDEN = frozenset(
    {"originator_id", "originator_version", "timestamp", "by", "password_hash", QUIET}
)


@router.patch(
    "/people/{person_id}",
    response_model=Written,
    summary="Change a person's name, e-mail (confirmed by a mailed link), company or "
    "whether they are active (admins)",
)
def change_person(
    person_id: UUID, body: PersonPatch, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    app = runtime.app
    app.require_admin(person.id)
    given = body.model_fields_set
    if not given:
        raise Invalid("person.patch_empty", field="body")
    if "company_id" in given and body.company_id is None:
        raise Invalid("company.no_such", field="company_id")
    if "email" in given and body.email is None:
        raise Invalid("email.format", field="email")
    if "active" in given and body.active is None:
        raise Invalid("person.active_boolean", field="active")
    # Everything is checked before anything is saved: never a half-written change.
    if body.email is not None:
        runtime.email_changes.check(person_id, body.email, by=person.id)
    changed = app.change_person(
        person_id,
        display_name=body.display_name,
        company_id=body.company_id,
        active=body.active,
        by=person.id,
    )
    mailed = (
        runtime.email_changes.request(person_id, body.email, by=person.id)
        if body.email is not None
        else changed
    )
    positions = [o.position for o in (changed, mailed) if o.position is not None]
    last = Outcome(person_id, bool(positions), max(positions) if positions else None)
    return Written.of(announce(runtime, last))


@router.post(
    "/email-changes/{token}/confirm",
    status_code=204,
    summary="Confirm a new e-mail address with the token of the mailed link (no sign-in)",
    responses={410: {"description": "The link was used already or has expired"}},
)
def confirm_email_change(
    runtime: RuntimeDep, token: str = Path(min_length=10, max_length=100)
) -> Response:
    announce(runtime, runtime.email_changes.confirm(token))
    return Response(status_code=204)


@router.get(
    "/people/{person_id}/history",
    response_model=list[PersonEventOut],
    summary="What happened to a person's account, oldest first (admins, and the person)",
)
def person_history(person_id: UUID, person: CurrentPerson, app: AppDep) -> list[PersonEventOut]:
    if person_id != person.id and not app.is_admin(person.id):
        raise NotFound("person.not_found")
    app.load(Person, person_id, "person", readonly=True)
    return [event_out(e) for e in app.events_of(person_id)]


def shown(value: Any) -> str:
    """A detail as text: personal values as their text ("" once erased)."""
    if isinstance(value, Personal):
        return value.shown
    return "" if value is None else str(value)


def event_out(event: Any) -> PersonEventOut:
    details = {
        name: shown(value) for name, value in sorted(vars(event).items()) if name not in HIDDEN
    }
    return PersonEventOut(
        what=type(event).__name__,
        at=event.timestamp,
        by=getattr(event, "by", None),
        details=details,
    )


@router.delete(
    "/working-groups/{group_id}/members/{person_id}",
    response_model=Written,
    summary="Remove a person from the group (admins; leads for members who are not leads)",
)
def remove_member(
    group_id: UUID, person_id: UUID, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.remove_from_group(group_id, person_id, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.delete(
    "/working-groups/{group_id}/leads/{person_id}",
    response_model=Written,
    summary="Revoke a lead: they stay a member (admins)",
)
def revoke_lead(
    group_id: UUID, person_id: UUID, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.revoke_lead(group_id, person_id, by=person.id)
    return Written.of(announce(runtime, outcome))
