"""Comments and evidence on a pain point: the same commands and rules as the web pages."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import FORMER_MEMBER, IdempotencyKey, api_router, person_name, when
from api.routes.painpoints import visible_pain_point
from api.schemas.common import Written
from api.schemas.privacy import (
    CommentIn,
    CommentOut,
    EvidenceIn,
    EvidenceOut,
    MentionOut,
    RemovalIn,
)
from domain.mentions import mentioned, render, tokenize
from domain.person import Person
from domain.workinggroup import WorkingGroup
from projections.contribution_view import comments_of, evidence_of
from projections.directory_view import company_names, named_people, person_names
from projections.store import Cursor
from service.application import Sprachrohr
from service.runtime import Runtime, announce

router = api_router(tags=["comments and evidence"])
ON = "/pain-points/{pain_point_id}"


def _names(cur: Cursor, rows: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    people = person_names(cur, {r["author_id"] for r in rows})
    companies = company_names(cur, {r["company_id"] for r in rows if r["company_id"]})
    return people, companies


#: How a mention reads where the reader may not see the name.
MEMBER = "member"
#: At most this many names answer one autocomplete request.
MENTIONABLE_LIMIT = 10
MentionQuery = Annotated[
    str, Query(max_length=100, description="Letters of the name (any part, any case).")
]


def mention_names(
    app: Sprachrohr, cur: Cursor, person: Person, row: dict[str, Any], texts: list[str]
) -> dict[UUID, str | None]:
    """Each person the texts mention → their name as `person` may see it: None when
    hidden from this reader, "" once erased."""
    ids = {m for text in texts for m in mentioned(text)}
    if not ids:
        return {}
    group = app.load(WorkingGroup, UUID(row["group_id"]), "pain point", readonly=True)
    sees = app.sees_name_of(person.id, group, UUID(row["submitted_by"]))
    names = named_people(cur, {m.hex for m in ids})
    return {m: "" if m.hex not in names else names[m.hex] if sees(m) else None for m in ids}


def shown_text(text: str, names: dict[UUID, str | None], hidden: str, erased: str) -> str:
    """The text with its mentions as "@Name", "@" + `hidden` (a name this reader may
    not see) or "@" + `erased` (an erased person)."""

    def name_of(person_id: UUID) -> str:
        name = names.get(person_id, "")
        return name if name else hidden if name is None else erased

    return render(text, name_of)


def mention_candidates(
    app: Sprachrohr, cur: Cursor, person: Person, row: dict[str, Any]
) -> dict[UUID, str]:
    """Everyone `person` may @mention on the pain point `row`, with their name
    (PermissionDenied for the vendor's representatives)."""
    app.require_may_mention(person.id)
    group = app.load(WorkingGroup, UUID(row["group_id"]), "pain point", readonly=True)
    may = app.mentionable(person.id, group, UUID(row["submitted_by"]))
    names = named_people(cur, {m.hex for m in group.members if may(m)})
    return {UUID(pid): name for pid, name in names.items()}


def mentionable(
    app: Sprachrohr, cur: Cursor, person: Person, pain_point_id: UUID, q: str
) -> list[MentionOut]:
    """Whom `person` may @mention on the pain point, whose name contains `q` (names
    starting with it first): 404 when it is not visible, 403 for the vendor's
    representatives. The API's and the web form's autocomplete."""
    row = visible_pain_point(app, cur, person, pain_point_id)
    needle = q.strip().removeprefix("@").casefold()
    found = sorted(
        (
            (name, pid)
            for pid, name in mention_candidates(app, cur, person, row).items()
            if needle in name.casefold()
        ),
        key=lambda item: (not item[0].casefold().startswith(needle), item[0].casefold()),
    )
    out: list[MentionOut] = []
    for name, pid in found:
        candidate = app.find(Person, pid, readonly=True)
        if candidate is not None and candidate.is_active and not candidate.erased:
            out.append(MentionOut(id=pid, name=name))
        if len(out) == MENTIONABLE_LIMIT:
            break
    return out


def with_tokens(runtime: Runtime, text: str, mentions: list[UUID]) -> str:
    """The text with `@Name` of each of `mentions` as their token (domain.mentions)."""
    if not mentions:
        return text
    with runtime.store.reading() as cur:
        names = named_people(cur, {m.hex for m in mentions})
    return tokenize(text, {UUID(pid): name for pid, name in names.items()})


@router.get(
    ON + "/mentionable",
    response_model=list[MentionOut],
    summary="Whom I may @mention in a comment here (name autocomplete)",
)
def list_mentionable(
    pain_point_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor, q: MentionQuery = ""
) -> list[MentionOut]:
    return mentionable(app, cur, person, pain_point_id, q)


@router.get(ON + "/comments", response_model=list[CommentOut], summary="The comments")
def list_comments(
    pain_point_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor
) -> list[CommentOut]:
    row = visible_pain_point(app, cur, person, pain_point_id)
    rows = comments_of(cur, row["id"])
    people, companies = _names(cur, rows)
    names = mention_names(app, cur, person, row, [r["text"] for r in rows])

    def text(r: dict[str, Any]) -> str:
        removed = r["removed_at"] is not None
        return "" if removed else shown_text(r["text"], names, MEMBER, FORMER_MEMBER)

    return [
        CommentOut(
            id=UUID(r["id"]),
            author=person_name(people, r["author_id"]),
            company=companies.get(r["company_id"] or ""),
            text=text(r),
            mentions=[]
            if r["removed_at"] is not None
            else [MentionOut(id=m, name=names.get(m) or None) for m in mentioned(r["text"])],
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
    text = with_tokens(runtime, body.text, body.mentions)
    outcome = runtime.app.post_comment(
        pain_point_id, text, by=person.id, key=key, mentions=body.mentions
    )
    return Written.of(announce(runtime, outcome))


@router.patch(
    "/comments/{comment_id}", response_model=Written, summary="Edit my comment (30 minutes)"
)
def edit_comment(
    comment_id: UUID, body: CommentIn, person: CurrentPerson, runtime: RuntimeDep
) -> Written:
    text = with_tokens(runtime, body.text, body.mentions)
    outcome = runtime.app.edit_comment(comment_id, text, by=person.id, mentions=body.mentions)
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
