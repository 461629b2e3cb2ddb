"""Invitations: admins (and leads, into their groups) invite; the invited accept."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Query

from api.deps import CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import GONE, Limit, Offset, api_router
from api.schemas.accounts import (
    Accepted,
    InvitationIn,
    InvitationIssued,
    InvitationOut,
    InvitationStatus,
    PasswordIn,
)
from api.schemas.common import Written
from domain.errors import PermissionDenied
from projections.accounts_view import invitations
from projections.directory_view import groups_of
from service.runtime import announce

router = api_router("/invitations", tags=["invitations"])
Token = Annotated[str, Path(min_length=1, max_length=128)]


@router.post(
    "", status_code=201, response_model=InvitationIssued, summary="Invite someone (mails a link)"
)
def invite(body: InvitationIn, person: CurrentPerson, runtime: RuntimeDep) -> InvitationIssued:
    issued = runtime.accounts.invite(
        body.email,
        body.display_name,
        body.company_id,
        body.working_group_ids,
        body.language,
        by=person.id,
    )
    announce(runtime, issued.outcome)
    return InvitationIssued(
        id=issued.outcome.id, expires_at=issued.expires_at, position=issued.outcome.position
    )


@router.get(
    "",
    response_model=list[InvitationOut],
    summary="Invitations, newest first (admins: all; leads: their own)",
)
def list_invitations(
    person: CurrentPerson,
    runtime: RuntimeDep,
    cur: ViewCursor,
    status: Annotated[InvitationStatus | None, Query()] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[InvitationOut]:
    issued_by = None
    if not person.has_role("admin"):
        if not any(g["is_lead"] for g in groups_of(cur, person.id.hex)):
            raise PermissionDenied("invitations.admins_and_leads_only")
        issued_by = person.id.hex
    rows = invitations(cur, runtime.app.clock(), issued_by=issued_by, limit=limit, offset=offset)
    return [invitation_out(row) for row in rows if status in (None, row["status"])]


def invitation_out(row: dict[str, Any]) -> InvitationOut:
    return InvitationOut(
        id=UUID(row["id"]),
        email=row["email"],
        display_name=row["display_name"],
        company_id=UUID(row["company_id"]) if row["company_id"] else None,
        working_group_ids=[UUID(g) for g in row["group_ids"]],
        language=row["language"],
        issued_by=UUID(row["issued_by"]),
        issued_at=row["issued_at"],
        expires_at=row["expires_at"],
        status=row["status"],
        accepted_at=row["accepted_at"],
        person_id=UUID(row["person_id"]) if row["person_id"] else None,
        revoked_at=row["revoked_at"],
    )


@router.delete(
    "/{invitation_id}",
    response_model=Written,
    summary="Revoke an invitation (revoking one that is not pending changes nothing)",
)
def revoke(invitation_id: UUID, person: CurrentPerson, runtime: RuntimeDep) -> Written:
    outcome = announce(runtime, runtime.accounts.revoke_invitation(invitation_id, by=person.id))
    return Written.of(outcome)


@router.post(
    "/{token}/accept",
    status_code=201,
    response_model=Accepted,
    responses=GONE,
    summary="Accept an invitation: choose a password, become a member of Sprachrohr",
)
def accept(token: Token, body: PasswordIn, runtime: RuntimeDep) -> Accepted:
    outcome = announce(runtime, runtime.accounts.accept_invitation(token, body.password))
    return Accepted(person_id=outcome.id, position=outcome.position)
