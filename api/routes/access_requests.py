"""Identity providers of member companies, access requests and group join requests."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import Limit, Offset, when
from api.schemas.common import Page, Written
from api.schemas.signin import (
    AccessRequestOut,
    AccessStatus,
    DeclineIn,
    IdentityProviderIn,
    IdentityProviderOut,
    JoinRequestOut,
    PasswordSignInIn,
)
from domain.company import MemberCompany
from domain.errors import PermissionDenied
from domain.workinggroup import WorkingGroup
from projections.access_view import list_access_requests
from projections.directory_view import person_names
from service.runtime import announce

router = APIRouter(tags=["sign-in"])


@router.put(
    "/companies/{company_id}/identity-provider",
    response_model=Written,
    summary="Register the company's Microsoft Entra tenant (admins)",
)
def register_identity_provider(
    company_id: UUID, body: IdentityProviderIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.register_identity_provider(company_id, body.tenant_id, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.get(
    "/companies/{company_id}/identity-provider",
    response_model=IdentityProviderOut,
    summary="The company's identity provider and whether its people may use passwords (admins)",
)
def identity_provider(company_id: UUID, person: CurrentPerson, app: AppDep) -> IdentityProviderOut:
    app.require_admin(person.id)
    company = app.load(MemberCompany, company_id, "company", readonly=True)
    return IdentityProviderOut(
        company_id=company.id,
        tenant_id=company.tenant_id,
        password_sign_in=company.password_sign_in,
    )


@router.put(
    "/companies/{company_id}/password-sign-in",
    response_model=Written,
    summary="Allow or forbid password sign-in for the company's people (admins)",
)
def password_sign_in(
    company_id: UUID, body: PasswordSignInIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.allow_password_sign_in(company_id, body.allowed, by=person.id)
    return Written.of(announce(runtime, outcome))


def access_request_out(row: dict[str, Any]) -> AccessRequestOut:
    requested = when(row["requested_at"])
    assert requested is not None
    return AccessRequestOut(
        id=UUID(row["id"]),
        company_id=UUID(row["company_id"]),
        email=row["email"],
        display_name=row["display_name"],
        group_ids=[UUID(g) for g in row["group_ids"]],
        status=row["status"],
        requested_at=requested,
        decided_at=when(row["decided_at"]),
        person_id=UUID(row["person_id"]) if row["person_id"] else None,
    )


@router.get(
    "/access-requests",
    response_model=Page[AccessRequestOut],
    summary="Requests for access by people of member companies (admins), oldest first",
)
def access_requests(
    person: CurrentPerson,
    app: AppDep,
    cur: ViewCursor,
    status: AccessStatus | None = Query(None),
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AccessRequestOut]:
    app.require_admin(person.id)
    rows, total = list_access_requests(cur, status, limit, offset)
    items = [access_request_out(r) for r in rows]
    return Page(total=total, limit=limit, offset=offset, items=items)


@router.post(
    "/access-requests/{request_id}/approve",
    response_model=Written,
    summary="Approve: register the person; the chosen groups' leads are asked to agree",
)
def approve(request_id: UUID, person: CurrentPerson, runtime: RuntimeDep) -> Written:
    outcome = runtime.app.approve_access_request(request_id, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.post(
    "/access-requests/{request_id}/decline", response_model=Written, summary="Decline a request"
)
def decline(
    request_id: UUID, body: DeclineIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.decline_access_request(request_id, body.reason, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.get(
    "/working-groups/{group_id}/join-requests",
    response_model=list[JoinRequestOut],
    summary="Pending requests to join the group (its leads and admins)",
)
def join_requests(
    group_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor
) -> list[JoinRequestOut]:
    group = app.load(WorkingGroup, group_id, "working group", readonly=True)
    app.require_visible(person.id, group, "working group")
    if not (group.is_lead(person.id) or app.is_admin(person.id)):
        raise PermissionDenied("group.leads_or_admin_join")
    pending = group.pending_joins()
    known = person_names(cur, {p.hex for p in pending})
    return [JoinRequestOut(person_id=p, display_name=known.get(p.hex, "")) for p in pending]


@router.post(
    "/working-groups/{group_id}/join-requests",
    response_model=Written,
    summary="Ask the group's leads to let me in (people of active member companies)",
)
def ask_to_join(group_id: UUID, person: CurrentPerson, runtime: RuntimeDep) -> Written:
    """A member or a pending request already: nothing changes (`position` null)."""
    outcome = runtime.app.ask_to_join(group_id, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.delete(
    "/working-groups/{group_id}/join-requests/{person_id}",
    response_model=Written,
    summary="Withdraw my pending request to join (the person who asked)",
)
def withdraw_join(
    group_id: UUID, person_id: UUID, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.withdraw_join(group_id, person_id, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.post(
    "/working-groups/{group_id}/join-requests/{person_id}/approve",
    response_model=Written,
    summary="Agree to a join request: the person is enrolled (leads, admins)",
)
def approve_join(
    group_id: UUID, person_id: UUID, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.decide_join(group_id, person_id, True, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.post(
    "/working-groups/{group_id}/join-requests/{person_id}/decline",
    response_model=Written,
    summary="Decline a join request (leads, admins)",
)
def decline_join(
    group_id: UUID, person_id: UUID, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.decide_join(group_id, person_id, False, by=person.id)
    return Written.of(announce(runtime, outcome))
