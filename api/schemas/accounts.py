"""Request and response bodies of invitations, password self-service and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Body
from api.values import Email, Required

Language = Literal["de", "en"]
InvitationStatus = Literal["pending", "accepted", "expired", "revoked"]


class InvitationIn(Body):
    email: Email = Field(examples=["anna.schmidt@beispiel-it.example"])
    display_name: Required = Field(max_length=120)
    company_id: UUID | None = Field(description="Null for association staff (admins only).")
    working_group_ids: list[UUID] = Field(default_factory=list, max_length=50)
    language: Language = Field("de", description="The language of the mail and the account.")


class InvitationIssued(BaseModel):
    id: UUID
    expires_at: datetime
    position: int | None = Field(description="Log position of the change.")


class InvitationOut(BaseModel):
    id: UUID
    email: str
    display_name: str
    company_id: UUID | None
    working_group_ids: list[UUID]
    language: Language
    issued_by: UUID
    issued_at: datetime
    expires_at: datetime
    status: InvitationStatus
    accepted_at: datetime | None
    person_id: UUID | None
    revoked_at: datetime | None


class PasswordIn(Body):
    password: str = Field(max_length=256, description="10 to 256 characters, not a common one.")


class Accepted(BaseModel):
    person_id: UUID
    position: int | None


class PasswordResetIn(Body):
    email: str = Field(max_length=254)


class PasswordChangeIn(Body):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256, description="10 to 256 characters, not common.")


class SessionOut(BaseModel):
    id: UUID
    opened_at: datetime
    expires_at: datetime
    current: bool = Field(description="The session this request was made in.")
