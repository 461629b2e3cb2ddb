"""Member companies: admitted by admins; their membership may end."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.deps import CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import IdempotencyKey, Limit, Offset, api_router, when
from api.schemas.common import CompanyIn, CompanyOut, EndMembershipIn, Page, Written
from domain.errors import NotFound
from projections.directory_view import find_company, list_companies
from service.runtime import announce

router = api_router("/companies", tags=["companies"])


def company_out(row: dict[str, Any]) -> CompanyOut:
    admitted = when(row["admitted_at"])
    assert admitted is not None
    return CompanyOut(
        id=UUID(row["id"]),
        name=row["name"],
        admitted_at=admitted,
        membership_ended_at=when(row["ended_at"]),
        people=row["people"],
    )


@router.post("", status_code=201, response_model=Written, summary="Admit a member company")
def admit(
    body: CompanyIn, person: CurrentPerson, runtime: RuntimeDep, key: IdempotencyKey = None
) -> Written:
    outcome = announce(runtime, runtime.app.admit_company(body.name, by=person.id, key=key))
    return Written.of(outcome)


@router.get("", response_model=Page[CompanyOut], summary="Member companies, by name")
def companies(
    person: CurrentPerson, cur: ViewCursor, limit: Limit = 50, offset: Offset = 0
) -> Page[CompanyOut]:
    rows, total = list_companies(cur, limit, offset)
    return Page(total=total, limit=limit, offset=offset, items=[company_out(r) for r in rows])


@router.get("/{company_id}", response_model=CompanyOut, summary="A member company")
def company(company_id: UUID, person: CurrentPerson, cur: ViewCursor) -> CompanyOut:
    row = find_company(cur, company_id.hex)
    if row is None:
        raise NotFound("company.not_found")
    return company_out(row)


@router.post("/{company_id}/end-membership", response_model=Written, summary="End a membership")
def end_membership(
    company_id: UUID, body: EndMembershipIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.end_membership(company_id, body.reason, by=person.id)
    announce(runtime, outcome)
    return Written.of(outcome)
