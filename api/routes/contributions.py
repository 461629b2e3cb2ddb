"""Comments and evidence on a pain point: the same commands and rules as the web pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import IdempotencyKey, api_router, person_name, when
from api.routes.painpoints import visible_pain_point
from api.schemas.common import Written
from api.schemas.privacy import CommentIn, CommentOut, EvidenceIn, EvidenceOut, RemovalIn
from projections.contribution_view import comments_of, evidence_of
from projections.directory_view import company_names, person_names
from projections.store import Cursor
from service.runtime import announce

router = api_router(tags=["comments and evidence"])
ON = "/pain-points/{pain_point_id}"


def _names(cur: Cursor, rows: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    people = person_names(cur, {r["author_id"] for r in rows})
    companies = company_names(cur, {r["company_id"] for r in rows if r["company_id"]})
    return people, companies


@router.get(ON + "/comments", response_model=list[CommentOut], summary="The comments")
def list_comments(
    pain_point_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor
) -> list[CommentOut]:
    row = visible_pain_point(app, cur, person, pain_point_id)
    rows = comments_of(cur, row["id"])
    people, companies = _names(cur, rows)
    return [
        CommentOut(
            id=UUID(r["id"]),
            author=person_name(people, r["author_id"]),
            company=companies.get(r["company_id"] or ""),
            text="" if r["removed_at"] is not None else r["text"],
            erased=r["text"] == "",
            posted_at=when(r["posted_at"]),
            edited_at=when(r["edited_at"]),
            removed_at=when(r["removed_at"]),
            removal_reason=r["removal_reason"],
        )
        for r in rows
    ]


@router.post(ON + "/comments", status_code=201, response_model=Written, summary="Comment")
def post_comment(
    pain_point_id: UUID,
    body: CommentIn,
    person: CurrentPerson,
    runtime: RuntimeDep,
    key: IdempotencyKey = None,
) -> Written:
    outcome = runtime.app.post_comment(pain_point_id, body.text, by=person.id, key=key)
    return Written.of(announce(runtime, outcome))


@router.patch(
    "/comments/{comment_id}", response_model=Written, summary="Edit my comment (30 minutes)"
)
def edit_comment(
    comment_id: UUID, body: CommentIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.edit_comment(comment_id, body.text, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.post(
    "/comments/{comment_id}/remove", response_model=Written, summary="Remove a comment (leads)"
)
def remove_comment(
    comment_id: UUID, body: RemovalIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.remove_comment(comment_id, body.reason, by=person.id)
    return Written.of(announce(runtime, outcome))


@router.get(ON + "/evidence", response_model=list[EvidenceOut], summary="The current evidence")
def list_evidence(
    pain_point_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor
) -> list[EvidenceOut]:
    row = visible_pain_point(app, cur, person, pain_point_id)
    rows = evidence_of(cur, row["id"])
    people, companies = _names(cur, rows)
    return [
        EvidenceOut(
            id=UUID(r["id"]),
            author=person_name(people, r["author_id"]),
            company=companies.get(r["company_id"] or ""),
            affected_customers=r["affected_customers"],
            revenue_band=r["revenue_band"],
            product_area=r["product_area"],
            link=r["link"],
            note=r["note"],
            added_at=when(r["added_at"]),
            edited_at=when(r["edited_at"]),
        )
        for r in rows
    ]


@router.post(ON + "/evidence", status_code=201, response_model=Written, summary="Add evidence")
def add_evidence(
    pain_point_id: UUID,
    body: EvidenceIn,
    person: CurrentPerson,
    runtime: RuntimeDep,
    key: IdempotencyKey = None,
) -> Written:
    outcome = runtime.app.add_evidence(pain_point_id, **body.model_dump(), by=person.id, key=key)
    return Written.of(announce(runtime, outcome))


@router.patch(
    "/evidence/{evidence_id}", response_model=Written, summary="Edit my evidence (30 minutes)"
)
def edit_evidence(
    evidence_id: UUID, body: EvidenceIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.edit_evidence(evidence_id, **body.model_dump(), by=person.id)
    return Written.of(announce(runtime, outcome))


@router.post(
    "/evidence/{evidence_id}/remove", response_model=Written, summary="Remove evidence (leads)"
)
def remove_evidence(
    evidence_id: UUID, body: RemovalIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    outcome = runtime.app.remove_evidence(evidence_id, body.reason, by=person.id)
    return Written.of(announce(runtime, outcome))
