"""Bodies of sign-in with identity providers, access requests and people management."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Body

AccessStatus = Literal["pending", "approved", "declined"]


class IdentityProviderIn(Body):
    tenant_id: str = Field(
        max_length=64,
        description="The company's Microsoft Entra tenant id (a GUID).",
        examples=["72f988bf-86f1-41af-91ab-2d7cd011db47"],
    )


class PasswordSignInIn(Body):
    allowed: bool = Field(
        description="False: the company's people sign in with Microsoft only "
        "(needs a registered identity provider)."
    )


class IdentityProviderOut(BaseModel):
    company_id: UUID
    tenant_id: str | None
    password_sign_in: bool


class AccessRequestOut(BaseModel):
    id: UUID
    company_id: UUID
    email: str
    display_name: str
    group_ids: list[UUID]
    status: AccessStatus
    requested_at: datetime
    decided_at: datetime | None
    person_id: UUID | None


class DeclineIn(Body):
    reason: str = Field("", max_length=2000)


class JoinRequestOut(BaseModel):
    person_id: UUID
    display_name: str


class PersonPatch(Body):
    """Only the fields given change; each change is its own event."""

    display_name: str | None = Field(None, max_length=120)
    email: str | None = Field(
        None,
        max_length=254,
        description="The new address gets a confirmation link; the address changes "
        "when it is opened (24 hours).",
    )
    company_id: UUID | None = Field(None, description="Move the person to this member company.")
    active: bool | None = Field(None, description="False deactivates, true reactivates.")


class PersonEventOut(BaseModel):
    what: str
    at: datetime
    by: UUID | None
    details: dict[str, str]
