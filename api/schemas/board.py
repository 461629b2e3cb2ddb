"""Request and response bodies of triage, curation, meetings and the vendor's side."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Body, Breadth, RankedPainPoint
from api.values import Day, Moment, Plain, Required
from domain.limits import (
    MAX_AGENDA,
    MAX_BUDGET,
    MAX_CODE,
    MAX_DESCRIPTION,
    MAX_ITEMS,
    MAX_NAME,
    MAX_REASON,
)

MeetingKind = Literal["quality-board", "inner-circle", "other"]
ResponseKind = Literal["acknowledged", "needs-info", "planned", "workaround", "declined", "shipped"]
CommitmentState = Literal["open", "met", "missed"]

# -- triage ---------------------------------------------------------------------


class StatusIn(Body):
    status: str = Field(max_length=MAX_CODE, examples=["accepted"])
    reason: Required = Field(max_length=MAX_REASON, examples=["Mehrere Mitglieder betroffen"])


class MergeIn(Body):
    target_id: UUID = Field(description="The pain point this duplicate is merged into.")
    reason: Required = Field(max_length=MAX_REASON)


class UnmergeIn(Body):
    reason: Required = Field(max_length=MAX_REASON)


# -- curated lists --------------------------------------------------------------


class CuratedItemIn(Body):
    pain_point_id: UUID
    pinned: bool = False
    rationale: Plain = Field(
        "",
        max_length=MAX_REASON,
        description="Required where the row is 3 or more places from its community rank.",
    )


class CuratedListIn(Body):
    items: list[CuratedItemIn] = Field(max_length=MAX_ITEMS)
    note: Plain = Field("", max_length=MAX_REASON)


class CuratedRow(BaseModel):
    position: int
    pain_point_id: UUID
    title: str
    status: str
    pinned: bool
    rationale: str
    community_rank: int | None = Field(description="Rank in the live community ranking.")
    community_rank_when_published: int | None
    departs: bool = Field(description="3 or more places from its live community rank.")


class CuratedListOut(BaseModel):
    group_id: UUID
    edition: int = Field(description="0 while nothing has been published.")
    latest_edition: int
    published_at: datetime | None
    published_by: UUID | None
    note: str
    rows: list[CuratedRow]


class CuratedWritten(BaseModel):
    id: UUID
    edition: int
    position: int | None


# -- meetings -------------------------------------------------------------------


class MeetingIn(Body):
    name: Required = Field(max_length=MAX_NAME, examples=["Quality Board Q2"])
    kind: MeetingKind
    held_on: Day


class AgendaIn(Body):
    items: list[UUID] = Field(max_length=MAX_AGENDA)


class AgendaOrderIn(Body):
    items: list[UUID] = Field(
        max_length=MAX_AGENDA,
        description="Every item of the agenda, each once, in the new order.",
    )


class PresentedIn(Body):
    pain_point_id: UUID


class AgendaItem(BaseModel):
    position: int
    pain_point_id: UUID
    group_id: UUID | None
    title: str
    status: str
    presented_at: datetime | None


class PresentedItem(BaseModel):
    pain_point_id: UUID
    title: str
    presented_at: datetime


class MeetingOut(BaseModel):
    id: UUID
    name: str
    kind: MeetingKind
    held_on: date
    scheduled_at: datetime
    agenda: list[AgendaItem] = Field(description="Only the items you may see.")
    presented: list[PresentedItem]


class MovementCause(BaseModel):
    kind: str = Field(
        description="new, companies-gained, companies-lost, supporters-gained,"
        " supporters-lost, merged-in, merge-undone, merged-away, unmerged, withdrawn,"
        " status or others-moved"
    )
    count: int | None = None
    pain_point_id: UUID | None = None
    status: str | None = None


class RankMove(BaseModel):
    pain_point_id: UUID
    group_id: UUID
    title: str
    rank_before: int | None
    rank_after: int | None
    companies_before: int
    companies_after: int
    supporters_before: int
    supporters_after: int
    causes: list[MovementCause]


class NewPainPoint(BaseModel):
    pain_point_id: UUID
    group_id: UUID
    title: str
    status: str
    submitted_at: datetime


class StatusChange(BaseModel):
    pain_point_id: UUID
    group_id: UUID
    title: str
    from_status: str
    to_status: str
    reason: str
    at: datetime


class AnswerChange(BaseModel):
    response_id: UUID
    pain_point_id: UUID
    group_id: UUID
    title: str
    kind: str
    product_group: str
    commitment: str
    due_on: date | None
    state: CommitmentState | None
    posted_at: datetime
    settled_at: datetime | None


class EditionChange(BaseModel):
    group_id: UUID
    edition: int
    published_at: datetime
    note: str
    items: int


class Changes(BaseModel):
    since: datetime
    until: datetime
    group_ids: list[UUID]
    new_pain_points: list[NewPainPoint]
    rank_moves: list[RankMove]
    status_changes: list[StatusChange]
    vendor_responses: list[AnswerChange]
    settled_commitments: list[AnswerChange]
    curated_editions: list[EditionChange]


# -- the vendor's side ----------------------------------------------------------


class VendorPainPoint(Breadth):
    """An escalated pain point as the vendor sees it: support in numbers only."""

    id: UUID
    group_id: UUID
    group_name: str
    title: str
    description: str
    tags: list[str]
    status: str
    escalated_at: datetime | None
    responses: int


class ResponseIn(Body):
    kind: ResponseKind
    text: Required = Field(max_length=MAX_DESCRIPTION)
    product_group: Plain = Field("", max_length=MAX_NAME, examples=["Partner Center"])
    commitment: Plain = Field("", max_length=MAX_REASON)
    due_on: Day | None = Field(None, description="Required with a commitment.")


class ResponseOut(BaseModel):
    id: UUID
    pain_point_id: UUID
    kind: ResponseKind
    text: str
    product_group: str
    commitment: str
    due_on: date | None
    state: CommitmentState | None
    settled_at: datetime | None
    settle_note: str
    posted_at: datetime
    by: str


class SettleIn(Body):
    met: bool
    note: Plain = Field("", max_length=MAX_REASON)


class Promise(BaseModel):
    response_id: UUID
    pain_point_id: UUID
    group_id: UUID
    title: str
    commitment: str
    due_on: date
    state: CommitmentState
    overdue: bool = Field(description="Open and due before the day asked about.")
    posted_at: datetime
    settled_at: datetime | None
    settle_note: str


class PainPointResponseTime(BaseModel):
    pain_point_id: UUID
    group_id: UUID
    title: str
    status: str
    escalated_at: datetime
    first_response_at: datetime | None
    product_group: str | None
    response_seconds: int | None = Field(description="From first escalation to first answer.")
    seconds_in_status: dict[str, int]


class ProductGroupResponseTime(BaseModel):
    product_group: str
    answered: int
    mean_seconds: int
    median_seconds: int
    longest_seconds: int


class ResponseTimes(BaseModel):
    pain_points: list[PainPointResponseTime]
    product_groups: list[ProductGroupResponseTime]


# -- voting rules and rounds ------------------------------------------------------


class RulesIn(Body):
    vote_budget: int | None = Field(
        None,
        ge=1,
        le=MAX_BUDGET,
        description="Open pain points of the group one person may support at a time "
        "(dot voting); null: no limit.",
    )
    rounds: bool = Field(False, description="Votes are taken in rounds the leads close.")
    reason: Required = Field(
        max_length=MAX_REASON, examples=["Punktabstimmung vor dem Quality Board"]
    )
    effective_from: Moment | None = Field(
        None, description="When the rules take effect (now or later; default now)."
    )


class RulesOut(BaseModel):
    version: int = Field(description="0: the defaults (no budget, no rounds).")
    vote_budget: int | None
    rounds: bool
    effective_from: datetime | None
    recorded_at: datetime | None
    reason: str


class RoundIn(Body):
    title: Plain = Field("", max_length=MAX_NAME, examples=["Vor dem Quality Board im März"])


class RoundOut(BaseModel):
    number: int
    title: str
    opened_at: datetime
    closed_at: datetime | None = Field(description="null while the round is open.")


class VotesOut(BaseModel):
    budget: int | None = Field(description="null: the group sets no budget.")
    used: int
    left: int | None
    round: int | None = Field(description="The round a vote cast now counts for.")


class VotingOut(BaseModel):
    group_id: UUID
    as_of: datetime | None
    in_force: RulesOut
    versions: list[RulesOut] = Field(description="Every version recorded, scheduled ones too.")
    rounds: list[RoundOut] = Field(description="Newest first.")
    my_votes: VotesOut | None = Field(description="The caller's budget now (members only).")


class RoundResult(RoundOut):
    group_id: UUID
    result: list[RankedPainPoint] = Field(
        description="The ranking at the round's close (live while it is open)."
    )
    total: int
