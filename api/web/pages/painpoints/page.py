"""The pain-point page: details, breadth of support, evidence, comments, history,
the lead's and the board's section, and what is posted from the page (support,
withdrawal, comments, evidence; status moves and merges are in `triage`).

The submit form lives in `forms`; its router is included here first, so
`/pain-points/new` wins over `/pain-points/{id}` and `PAGE_ROUTERS` needs only this
module and `triage`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.routes.contributions import (
    MentionQuery,
    mention_candidates,
    mention_names,
    mentionable,
    shown_text,
)
from api.routing import attach
from api.web.errors import error_text
from api.web.forms import Text, new_key
from api.web.pages.painpoints import forms as painpoint_forms
from api.web.pages.painpoints.forms import (
    Key,
    Posted,
    PostedForm,
    settle,
    similar,
    split_tags,
)
from api.web.pages.vendor.portal import vendor_section
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from domain import calendar
from domain.comment import EDIT_WINDOW
from domain.errors import Conflict, Invalid, NotFound, PermissionDenied
from domain.evidence import REVENUE_BANDS
from domain.ids import support_id
from domain.mentions import mentioned, named_in, tokenize
from domain.person import Person
from domain.ranking import Tally
from domain.support import Support
from domain.workflow import MERGED, OPEN_STATUSES, WITHDRAWN, may_edit, moves_for
from domain.workinggroup import WorkingGroup
from projections.contribution_view import comments_of, evidence_of
from projections.directory_view import company_names, find_group, person_names
from projections.painpoint_view import (
    SUPPORT_KINDS,
    find_pain_point,
    history,
    merge_targets,
    merged_from,
    pain_point_titles,
)
from projections.personal_data import supporters_of
from projections.queries import supporting_companies
from projections.ranking_view import find_tally
from projections.store import Cursor
from projections.view import micros, moment
from service.application import Outcome, Sprachrohr
from service.runtime import Runtime

router = APIRouter(include_in_schema=False)
attach(router, painpoint_forms.router)  # first: /pain-points/new before /{id}
HISTORY_LIMIT = 1000
Row = dict[str, Any]


def visible(
    app: Sprachrohr, cur: Cursor, person: Person, pain_point_id: str
) -> tuple[Row, WorkingGroup]:
    """The pain point's row and its group, or NotFound when the person may not see it."""
    row = find_pain_point(cur, pain_point_id)
    if row is None:
        raise NotFound("pain_point.not_found")
    group = app.load(WorkingGroup, UUID(row["group_id"]), "pain point", readonly=True)
    app.require_visible(person.id, group, "pain point")
    return row, group


def named(cur: Cursor, rows: list[Row], who: str, company: str) -> list[Row]:
    """The rows with `who_name` (a person's display name) and `company_name` added."""
    people = person_names(cur, {row[who] for row in rows})
    companies = company_names(cur, {row[company] for row in rows if row[company]})
    return [
        {
            **row,
            "who_name": people.get(row[who], "Sprachrohr"),
            "company_name": companies.get(row[company] or ""),
        }
        for row in rows
    ]


def blocker(app: Sprachrohr, person: Person, group: WorkingGroup, row: Row) -> str | None:
    """Why the person cannot support it (a code the template explains), or None."""
    if row["status"] == WITHDRAWN:
        return "withdrawn"
    try:
        app.acting_company(person.id, group)
    except PermissionDenied:
        if not group.is_member(person.id):
            return "not-member"
        return "no-company" if person.company_id is None else "ended"
    return None


def support_box(app: Sprachrohr, cur: Cursor, person: Person, row: Row, group: WorkingGroup) -> Row:
    support = app.find(Support, support_id(UUID(row["id"]), person.id), readonly=True)
    supported = bool(support and support.active)
    votes = app.votes(group.id, by=person.id) if group.is_member(person.id) else None
    no_votes = votes is not None and votes.left == 0 and not supported
    return {
        "pain_point_id": row["id"],
        "group_id": group.id.hex,
        "tally": find_tally(cur, row["id"]) or Tally(row["id"]),
        "companies": supporting_companies(cur, row["id"]),
        # Names only where the group's privacy setting lets this reader see them.
        "supporters": supporters_of(cur, row["id"])
        if app.sees_supporter_names(person.id, group)
        else None,
        "supported": supported,
        "votes": votes if votes is not None and votes.budget is not None else None,
        "blocker": blocker(app, person, group, row) or ("no-votes" if no_votes else None),
    }


def comments(
    app: Sprachrohr, cur: Cursor, person: Person, pp: Row, _: Callable[[str], str]
) -> list[Row]:
    """The comments, each with whether the person may still edit it, and its mentions
    as the person may see them (domain.mentions)."""
    now, window = micros(app.clock()), EDIT_WINDOW // timedelta(microseconds=1)
    rows = named(cur, comments_of(cur, pp["id"]), "author_id", "company_id")
    names = mention_names(app, cur, person, pp, [row["text"] for row in rows])
    hidden, erased = _("member"), _("former member")
    for row in rows:
        row["text"] = shown_text(row["text"], names, hidden, erased)
        row["can_edit"] = (
            row["author_id"] == person.id.hex
            and row["removed_at"] is None
            and now - row["posted_at"] <= window
        )
        row["posted_at"] = moment(row["posted_at"])
    return rows


def evidence(cur: Cursor, pain_point_id: str) -> list[Row]:
    """Current evidence; `href` only for http(s) links (the domain allows no others)."""
    rows = named(cur, evidence_of(cur, pain_point_id), "author_id", "company_id")
    for row in rows:
        web = row["link"].lower().startswith(("http://", "https://"))
        row["href"] = row["link"] if web else None
    return rows


def timeline(cur: Cursor, pain_point_id: str, names_shown: bool) -> list[Row]:
    """The history; supports by company alone unless the reader may see names."""
    rows = named(cur, history(cur, pain_point_id, HISTORY_LIMIT, 0), "actor_id", "company_id")
    for row in rows:
        if row["kind"] in SUPPORT_KINDS and not names_shown:
            row["who_name"], row["company_name"] = row["company_name"] or "—", None
    return [{**row, "at": moment(row["at"])} for row in rows]


def by_day(events: list[Row], time_zone: str) -> list[Row]:
    """The history as the page lists it: each entry on its own, except that supports
    given or withdrawn on the same day (the association's calendar) make one entry
    `{"kind": "supports", "day", "given", "withdrawn", "events"}` whose detail the page
    shows on demand, so a popular item's history stays short."""
    entries: list[Row] = []
    for event in events:
        if event["kind"] not in SUPPORT_KINDS:
            entries.append(event)
            continue
        day = calendar.today(event["at"], time_zone)
        last = entries[-1] if entries else None
        if last is None or last["kind"] != "supports" or last["day"] != day:
            last = {"kind": "supports", "day": day, "at": event["at"], "given": 0,
                    "withdrawn": 0, "events": []}  # fmt: skip
            entries.append(last)
        last["events"].append(event)
        last["given" if event["kind"] == "support-given" else "withdrawn"] += 1
    return entries


def page_context(
    runtime: Runtime, person: Person, pain_point_id: UUID, _: Callable[[str], str]
) -> Row:
    app = runtime.app
    with runtime.store.reading() as cur:
        row, group = visible(app, cur, person, pain_point_id.hex)
        moderator = group.is_lead(person.id) or app.is_admin(person.id)
        author = row["submitted_by"] == person.id.hex
        pain_point = {**row, "submitted_at": moment(row["submitted_at"])}
        return {
            "pp": named(cur, [pain_point], "submitted_by", "for_company")[0],
            "group": find_group(cur, row["group_id"]),
            "box": support_box(app, cur, person, row, group),
            "history": by_day(
                timeline(cur, row["id"], app.sees_supporter_names(person.id, group)),
                app.time_zone,
            ),
            "comments": comments(app, cur, person, row, _),
            "mentions": not person.has_role("vendor"),
            "evidence": evidence(cur, row["id"]),
            "similar": similar(
                cur, runtime.store.dialect, [row["title"]], [row["group_id"]], row["id"]
            ),
            "triage": triage_context(app, cur, person, row, group),
            "vendor": vendor_section(runtime, cur, row),
            "can_moderate": moderator,
            "can_edit": may_edit(row["status"], author=author, moderator=moderator),
            # Their author edits until triage; a lead or admin longer (the hint says which).
            "edits_as_author": author and not moderator,
            "can_withdraw": (author or moderator) and row["status"] != WITHDRAWN,
        }


def show(
    request: Request,
    person: Person,
    runtime: Runtime,
    pain_point_id: UUID,
    *,
    status_code: int = 200,
    form: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    edit: str = "",
    done: str = "",
) -> HTMLResponse:
    """The page; after a rejected form, with that form's input and messages."""
    return render(
        request,
        "painpoints/pain_point.html",
        person,
        status_code=status_code,
        form=form,
        values=values or {},
        errors=errors or {},
        edit=edit,
        done=done,
        keys={"comment": new_key(), "evidence": new_key()},
        revenue_bands=REVENUE_BANDS,
        edit_minutes=EDIT_WINDOW // timedelta(minutes=1),
        **page_context(runtime, person, pain_point_id, gettext_for(request, person)),
    )


@router.get("/pain-points/{pain_point_id}", response_class=HTMLResponse)
def pain_point_page(
    request: Request,
    pain_point_id: UUID,
    person: WebPerson,
    runtime: RuntimeDep,
    edit: str = "",
    done: str = "",
) -> Response:
    return show(request, person, runtime, pain_point_id, edit=edit, done=done[:40])


@router.post("/pain-points/{pain_point_id}/support", dependencies=[CsrfChecked])
def support(
    request: Request,
    pain_point_id: UUID,
    person: WebPerson,
    runtime: RuntimeDep,
    action: Annotated[Literal["give", "withdraw"], Form()] = "give",
) -> Response:
    """Give or withdraw support: PRG without JavaScript, the new support box with htmx."""
    app = runtime.app
    command = app.withdraw_support if action == "withdraw" else app.give_support
    settle(runtime, command(pain_point_id, by=person.id))
    done = "support-withdrawn" if action == "withdraw" else "support-given"
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"/pain-points/{pain_point_id}?done={done}#support", 303)
    with runtime.store.reading() as cur:
        row, group = visible(app, cur, person, pain_point_id.hex)
        box = support_box(app, cur, person, row, group)
    return render(request, "painpoints/_support.html", person, box=box, announce=done)


# -- withdrawal and moderation -------------------------------------------------


@router.post("/pain-points/{pain_point_id}/withdraw")
def withdraw(at: PostedForm, reason: Text = "") -> Response:
    def command() -> Outcome:
        return at.runtime.app.withdraw_pain_point(at.pain_point_id, reason, by=at.person.id)

    return attempt(at, ("withdraw", {"reason": reason}), command, "withdrawn")


@router.post("/pain-points/{pain_point_id}/comments/{comment_id}/remove")
def remove_comment(at: PostedForm, comment_id: UUID, reason: Text = "") -> Response:
    def command() -> Outcome:
        return at.runtime.app.remove_comment(comment_id, reason, by=at.person.id)

    form = (f"remove-comment-{comment_id.hex}", {"reason": reason})
    return attempt(at, form, command, "comment-removed")


@router.post("/pain-points/{pain_point_id}/evidence/{evidence_id}/remove")
def remove_evidence(at: PostedForm, evidence_id: UUID, reason: Text = "") -> Response:
    def command() -> Outcome:
        return at.runtime.app.remove_evidence(evidence_id, reason, by=at.person.id)

    form = (f"remove-evidence-{evidence_id.hex}", {"reason": reason})
    return attempt(at, form, command, "evidence-removed")


def attempt(
    at: Posted, form: tuple[str, dict[str, str]], command: Callable[[], Outcome], done: str
) -> Response:
    """Run a command; PRG on success, the page with the form's messages (422) if rejected."""
    name, values = form
    _ = gettext_for(at.request, at.person)
    try:
        outcome = command()
    except (Invalid, Conflict) as exc:
        edit = name.removeprefix("edit-") if name.startswith("edit-") else ""
        return show(
            at.request, at.person, at.runtime, at.pain_point_id, status_code=422, form=name,
            values=values, errors={exc.field or "form": error_text(exc, _)}, edit=edit,
        )  # fmt: skip
    settle(at.runtime, outcome)
    anchor = "comments" if "comment" in done else "evidence" if "evidence" in done else "main"
    return RedirectResponse(f"/pain-points/{at.pain_point_id}?done={done}#{anchor}", 303)


Chosen = Annotated[list[str], Form(max_length=20)]


@router.get("/pain-points/{pain_point_id}/mentionable")
def mention_lookup(
    pain_point_id: UUID, person: WebPerson, runtime: RuntimeDep, q: MentionQuery = ""
) -> JSONResponse:
    """The comment form's autocomplete (static/mentions.js): the API's answer."""
    with runtime.store.reading() as cur:
        found = mentionable(runtime.app, cur, person, pain_point_id, q)
    return JSONResponse([{"id": p.id.hex, "name": p.name} for p in found])


def with_mentions(at: Posted, text: str, chosen: list[str]) -> tuple[str, list[UUID]]:
    """The text with its mentions as tokens: the people the script chose (hidden
    `mentions` fields) where their `@Name` is still in the text, and, without the
    script, every `@Name` of someone the writer may mention whose name is unique."""
    app = at.runtime.app
    with at.runtime.store.reading() as cur:
        row, _ = visible(app, cur, at.person, at.pain_point_id.hex)
        try:
            candidates = mention_candidates(app, cur, at.person, row)
        except PermissionDenied:
            return text, []
    ids = set()
    for value in chosen:
        try:
            ids.add(UUID(value))
        except ValueError:
            continue
    text = tokenize(text, {p: n for p, n in candidates.items() if p in ids})
    unique = named_in(text, candidates)
    text = tokenize(text, {p: candidates[p] for p in unique})
    return text, mentioned(text)


@router.post("/pain-points/{pain_point_id}/edit")
def edit_pain_point(
    at: PostedForm, title: Text = "", description: Text = "", tags: Text = ""
) -> Response:
    """Change the title, description and tags (the form sends all three)."""

    def command() -> Outcome:
        return at.runtime.app.edit_pain_point(
            at.pain_point_id, title=title, description=description, tags=split_tags(tags),
            by=at.person.id,
        )  # fmt: skip

    form = ("revise", {"title": title, "description": description, "tags": tags})
    return attempt(at, form, command, "edited")


@router.post("/pain-points/{pain_point_id}/comments")
def post_comment(
    at: PostedForm,
    text: Text = "",
    key: Key = "",
    mentions: Chosen = [],  # noqa: B006
) -> Response:
    def command() -> Outcome:
        tokens, people = with_mentions(at, text, mentions)
        return at.runtime.app.post_comment(
            at.pain_point_id, tokens, by=at.person.id, key=key, mentions=people
        )

    return attempt(at, ("comment", {"text": text, "key": key}), command, "commented")


@router.post("/pain-points/{pain_point_id}/comments/{comment_id}/edit")
def edit_comment(
    at: PostedForm,
    comment_id: UUID,
    text: Text = "",
    mentions: Chosen = [],  # noqa: B006
) -> Response:
    def command() -> Outcome:
        tokens, people = with_mentions(at, text, mentions)
        return at.runtime.app.edit_comment(comment_id, tokens, by=at.person.id, mentions=people)

    form = (f"edit-{comment_id.hex}", {"text": text})
    return attempt(at, form, command, "comment-edited")


@router.post("/pain-points/{pain_point_id}/evidence")
def add_evidence(
    at: PostedForm,
    affected_customers: Text = "",
    revenue_band: Text = "unknown",
    product_area: Text = "",
    link: Text = "",
    note: Text = "",
    key: Key = "",
) -> Response:
    facts = {"revenue_band": revenue_band, "product_area": product_area, "link": link}
    facts |= {"note": note}
    count = affected_customers.strip()

    def command() -> Outcome:
        if not (count.isascii() and count.isdigit() and len(count) <= 9):
            raise Invalid("evidence.customers_number", field="affected_customers")
        return at.runtime.app.add_evidence(
            at.pain_point_id, affected_customers=int(count), **facts, by=at.person.id, key=key
        )

    form = ("evidence", {**facts, "affected_customers": affected_customers, "key": key})
    return attempt(at, form, command, "evidence-added")


def triage_context(
    app: Sprachrohr, cur: Cursor, person: Person, row: dict[str, Any], group: WorkingGroup
) -> dict[str, Any]:
    """The lead/board section of the page: allowed moves, merge targets, merge links."""
    admin = app.is_admin(person.id)
    lead = admin or group.is_lead(person.id)
    board = admin or app.is_board(person.id)
    targets: list[dict[str, Any]] = []
    if lead and row["status"] in OPEN_STATUSES and not merged_from(cur, row["id"]):
        targets = merge_targets(cur, row["group_id"], row["id"], OPEN_STATUSES)
    merged_into = None
    if row["merged_into"]:
        title = pain_point_titles(cur, {row["merged_into"]}).get(row["merged_into"])
        merged_into = None if title is None else {"id": row["merged_into"], "title": title}
    return {
        "moves": sorted(moves_for(row["status"], lead=lead, board=board)),
        "can_merge": bool(targets),
        "targets": targets,
        "can_unmerge": lead and row["status"] == MERGED,
        "merged_into": merged_into,
        "merged_from": merged_from(cur, row["id"]),
    }
