"""Request and response bodies of the JSON API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.values import Email, Plain, Required
from domain.limits import (
    MAX_DESCRIPTION,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PASSWORD,
    MAX_REASON,
    MAX_TAGS,
    MAX_TITLE,
    MIN_PASSWORD,
    accepted,
)
from service.core import Outcome

Role = Literal["admin", "board", "vendor"]
Kind = Literal["regional", "thematic"]
T = TypeVar("T")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=accepted(MAX_DESCRIPTION))


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the OAuth2 token type)
    expires_at: datetime


class Written(BaseModel):
    """What a command did; pass `position` as `min_position` to read your write."""

    id: UUID
    position: int | None = Field(description="Log position of the change; null if no change.")

    @classmethod
    def of(cls, outcome: Outcome) -> Written:
        return cls(id=outcome.id, position=outcome.position)


class GroupMembership(BaseModel):
    id: UUID
    name: str
    kind: Kind
    is_lead: bool


class PersonOut(BaseModel):
    id: UUID
    email: str = Field(description='"" once the person is erased.')
    display_name: str
    erased: bool = Field(False, description="Erased (GDPR Art. 17): a former member.")
    company_id: UUID | None
    roles: list[str]
    groups: list[GroupMembership]


class PersonIn(Body):
    email: Email = Field(max_length=MAX_EMAIL, examples=["anna.schmidt@beispiel-it.example"])
    display_name: Required = Field(max_length=MAX_NAME)
    company_id: UUID | None = Field(description="Null for association staff.")
    password: str = Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)


class RoleIn(Body):
    role: Role


class CompanyIn(Body):
    name: Required = Field(max_length=MAX_NAME)


class EndMembershipIn(Body):
    reason: Plain = Field("", max_length=MAX_REASON)


class CompanyOut(BaseModel):
    id: UUID
    name: str
    admitted_at: datetime
    membership_ended_at: datetime | None
    people: int


class GroupIn(Body):
    name: Required = Field(max_length=MAX_NAME)
    kind: Kind
    description: Plain = Field("", max_length=MAX_DESCRIPTION)


class GroupOut(BaseModel):
    id: UUID
    name: str
    kind: Kind
    description: str
    founded_at: datetime
    members: int
    leads: list[UUID]
    lead_names: list[str] | None = Field(
        None, description="The leads' names; null unless you see names in the group."
    )
    my_status: Literal["lead", "member", "pending", "none"] = Field(
        "none", description="You lead the group, are a member, asked to join, or none of these."
    )
    join_requests: int | None = Field(
        None, description="How many people wait to join: for the group's leads and admins."
    )


PromiseState = Literal["open", "met", "missed", "overdue"]


class RoadmapCommitment(BaseModel):
    response_id: UUID
    commitment: str
    due_on: date | None
    state: PromiseState


class RoadmapCard(BaseModel):
    pain_point_id: UUID
    title: str
    status: str
    since: datetime | None = Field(description="When it entered its status (its column).")
    score: float
    score_units: int
    companies: int
    supporters: int
    commitments: list[RoadmapCommitment]


class RoadmapColumn(BaseModel):
    status: Literal["escalated", "presented", "answered", "resolved"]
    items: list[RoadmapCard]


class Roadmap(BaseModel):
    group_id: UUID
    today: date = Field(description="The association's date the promise states are judged on.")
    columns: list[RoadmapColumn]


class PersonRef(Body):
    person_id: UUID


class PainPointIn(Body):
    title: Required = Field(max_length=accepted(MAX_TITLE))
    description: Plain = Field("", max_length=accepted(MAX_DESCRIPTION))
    tags: list[str] = Field(default_factory=list, max_length=5 * MAX_TAGS)


class PainPointPatch(Body):
    """Only the fields given change (null or absent: unchanged); one `Edited` event."""

    title: Required | None = Field(None, max_length=accepted(MAX_TITLE))
    description: Plain | None = Field(None, max_length=accepted(MAX_DESCRIPTION))
    tags: list[str] | None = Field(None, max_length=5 * MAX_TAGS)


class WithdrawIn(Body):
    reason: Plain = Field("", max_length=MAX_REASON)


class Breadth(BaseModel):
    score: float = Field(
        description="Σ over companies of (1 − 2^−people), at full precision (not rounded)."
    )
    score_units: int = Field(
        description="The exact score in units of 2^−40 (score = score_units / 2^40): "
        "compare these, not the floats, to tell close scores apart."
    )
    companies: int
    supporters: int


class PainPointOut(Breadth):
    id: UUID
    group_id: UUID
    title: str
    description: str
    tags: list[str]
    status: str
    submitted_at: datetime
    submitted_for_company: UUID
    supported_by_me: bool


class GroupPainPoint(Breadth):
    id: UUID
    title: str
    status: str
    tags: list[str]
    submitted_at: datetime
    merged_into: UUID | None


class TriageItem(BaseModel):
    """A pain point waiting for its group's leads (new or needs-info)."""

    id: UUID
    title: str
    status: Literal["new", "needs-info"]
    group_id: UUID
    group_name: str
    submitted_at: datetime
    status_since: datetime = Field(description="When it entered its status.")
    companies: int
    supporters: int


class HistoryEntry(BaseModel):
    position: int
    at: datetime
    kind: str
    by: str
    company: str | None
    detail: dict[str, object]


class SupportOut(BaseModel):
    pain_point_id: UUID
    supported: bool
    position: int | None


class RankedPainPoint(Breadth):
    rank: int
    pain_point_id: UUID
    title: str
    status: str
    first_support_at: datetime | None


class Ranking(BaseModel):
    group_id: UUID
    as_of: datetime | None
    total: int
    limit: int
    offset: int
    items: list[RankedPainPoint]


class Page(BaseModel, Generic[T]):
    total: int
    limit: int
    offset: int
    items: list[T]


class FieldError(BaseModel):
    field: str
    message: str
    code: str | None = Field(
        None, description="The rule's stable code when the domain refused the field."
    )
    params: dict[str, Any] | None = Field(
        None,
        description=(
            "The field's code's parameters when a command broke a rule in several places"
            ' (e.g. `{"position": 4, "rank": 9}` for each row of `curated.reasons_missing`).'
        ),
    )


class Problem(BaseModel):
    """RFC 9457 problem details, as `application/problem+json`."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = Field(description="A readable English sentence (rendered from `code`).")
    code: str | None = Field(
        None,
        description=(
            "The stable code of a rule the domain enforced, e.g. `text.empty`,"
            " `membership.ended`, `commitment.needs_target_date`; match on this, not on"
            " `detail`. Absent for errors of the HTTP layer (validation, sign-in, limits)."
        ),
        examples=["commitment.needs_target_date"],
    )
    params: dict[str, Any] | None = Field(
        None,
        description='The code\'s parameters, e.g. `{"max": 200, "got": 201}` for `text.too_long`.',
    )
    errors: list[FieldError] | None = None


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    log_position: int | None = None
    view_position: int | None = None
    detail: str | None = None
