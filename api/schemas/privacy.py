"""Bodies of the personal-data, privacy-setting and contribution routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Body
from domain.evidence import REVENUE_BANDS
from domain.limits import MAX_CUSTOMERS, MAX_LINK, MAX_NAME, MAX_NOTE
from domain.mentions import MAX_MENTIONS

RevenueBand = Literal[REVENUE_BANDS]  # type: ignore[valid-type]


class ErasureIn(Body):
    reason: str = Field(min_length=1, max_length=2_000, description="Why (do not name the person).")


class ErasureOut(BaseModel):
    id: UUID
    position: int | None
    erased: bool


class PrivacyIn(Body):
    supporter_names: Literal["members", "leads"] = Field(
        description="`members`: every member of the group sees supporters' names;"
        " `leads`: only leads, the board and admins (members see companies)."
    )


class PersonalData(BaseModel):
    """Everything Sprachrohr holds about one person (GDPR Art. 15 and 20)."""

    person: dict[str, Any]
    roles: list[str]
    sign_ins: list[datetime]
    memberships: list[dict[str, Any]]
    supports: list[dict[str, Any]]
    ballots: list[dict[str, Any]]
    pain_points_submitted: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    evidence: list[dict[str, Any]]


class SupporterOut(BaseModel):
    company_id: UUID
    company: str
    name: str | None = Field(description="Null where the reader may see companies only.")
    since: datetime


class CommentIn(Body):
    text: str = Field(
        min_length=1,
        max_length=5_000,
        description="Mention someone as `@` and their display name (or `<@person-id>`).",
    )
    mentions: list[UUID] = Field(
        default_factory=list,
        max_length=MAX_MENTIONS,
        description="The people the text mentions as `@Name`: members of the group whose"
        " names the writer may see (GET …/mentionable); each is told (422 otherwise).",
    )


class MentionOut(BaseModel):
    id: UUID
    name: str | None = Field(
        description="The display name as the reader may see it; null when the reader may"
        " not see it or the person was erased."
    )


class RemovalIn(Body):
    reason: str = Field("", max_length=2_000)


class CommentOut(BaseModel):
    id: UUID
    author: str
    company: str | None
    text: str = Field(
        description='"" once removed or once its author was erased; mentions read'
        ' "@Name" ("@member" where the reader may not see the name).'
    )
    mentions: list[MentionOut] = Field(default_factory=list)
    erased: bool
    posted_at: datetime
    edited_at: datetime | None
    removed_at: datetime | None
    removal_reason: str | None


class EvidenceIn(Body):
    affected_customers: int = Field(0, ge=0, le=MAX_CUSTOMERS)
    revenue_band: RevenueBand = "unknown"
    product_area: str = Field("", max_length=MAX_NAME)
    link: str = Field("", max_length=MAX_LINK)
    note: str = Field("", max_length=MAX_NOTE)


class EvidenceOut(BaseModel):
    id: UUID
    author: str
    company: str | None
    affected_customers: int
    revenue_band: str
    product_area: str
    link: str
    note: str
    added_at: datetime
    edited_at: datetime | None
