"""A working group's page: who it is, and its ranked pain points (filters, as of a day)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import AppDep, RuntimeDep
from api.web.forms import calendar_day, form_day
from api.web.i18n import TIMEZONE
from api.web.pages.groups.curation import curated_summary
from api.web.pages.painpoints.search import (
    PAGE_SIZE,
    clean,
    page_number,
    query_string,
    reload_page,
    respond,
    text_ids,
    wants_partial,
)
from api.web.render import gettext_for
from api.web.session import WebPerson
from domain import calendar
from domain.errors import NotFound
from domain.person import Person
from domain.ranking import Tally, score_of
from domain.workflow import ALL_STATUSES, OPEN_STATUSES
from domain.workinggroup import WorkingGroup
from projections.directory_view import find_group, person_names
from projections.painpoint_view import tags_by_pain_point
from projections.queries import support_trend
from projections.ranking_view import in_status_at, live_ranking, ranking_as_of
from projections.rules_view import rules_in_force
from projections.search_view import words
from projections.store import Cursor
from projections.view import micros, moment
from service.application import Sprachrohr

router = APIRouter(include_in_schema=False)
BERLIN = ZoneInfo(TIMEZONE)
EVERYTHING = 1_000_000
FOREVER = (1 << 62) - 1
WEEK = 7 * 24 * 3600 * 1_000_000
TREND_WEEKS = 12
#: "all" is everything ranked; a status not open lists its pain points without ranks.
STATUSES = ("all", *ALL_STATUSES)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TARGET = "ranking-results"


@dataclass(frozen=True)
class GroupFilters:
    status: str = "all"
    tag: str = ""
    q: str = ""
    as_of: str = ""
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.status != "all" or self.tag or words(self.q))

    def query(self, **changes: object) -> str:
        return query_string(**{**asdict(self), **changes})


@dataclass(frozen=True)
class Listed:
    """A pain point in the list; `rank` is its community rank (None when withdrawn)."""

    rank: int | None
    pain_point_id: str
    title: str
    status: str
    tally: Tally


@router.get("/groups/{group_id}", response_class=HTMLResponse)
def group_page(
    request: Request,
    group_id: str,
    person: WebPerson,
    app: AppDep,
    runtime: RuntimeDep,
    status: str = "",
    tag: str = "",
    q: str = "",
    as_of: str = "",
    page: str = "",
) -> Response:
    group = _visible_group(app, person, group_id)
    raw = {"status": status, "tag": tag, "q": q, "as_of": as_of}
    now = app.clock()
    filters, at, errors = _filters(request, person, now, raw, page_number(page), app.time_zone)
    if errors and wants_partial(request, TARGET):
        return reload_page(request)
    with runtime.store.reading() as cur:
        context = _context(cur, runtime.store.dialect, group.id.hex, filters, at, micros(now))
        leads = person_names(cur, context.pop("lead_ids"))
        curated = curated_summary(app, cur, person, group, at)
        in_force = rules_in_force(cur, group.id.hex, micros(now))
    votes = app.votes(group.id, by=person.id) if group.is_member(person.id) else None
    voting = {"in_force": in_force, "votes": votes, "open_round": group.current_round()}
    return respond(
        request, person, TARGET, ("groups/_ranking_rows.html", "groups/group.html"), **context,
        leads=sorted(leads.values()), errors=errors, statuses=STATUSES, curated=curated,
        voting=voting,
        today=calendar.today(now, app.time_zone).isoformat(),
        can_submit=group.is_member(person.id) and person.company_id is not None,
        join_requests=len(group.pending_joins()) if group.is_lead(person.id) else None,
    )  # fmt: skip


def _visible_group(app: Sprachrohr, person: Person, group_id: str) -> WorkingGroup:
    try:
        uuid = UUID(group_id)
    except ValueError:
        raise NotFound("working_group.not_found") from None
    group = app.load(WorkingGroup, uuid, "working group", readonly=True)
    app.require_visible(person.id, group, "working group")
    return group


def _filters(
    request: Request,
    person: Person,
    now: datetime,
    raw: dict[str, str],
    page: int,
    time_zone: str,
) -> tuple[GroupFilters, int | None, dict[str, str]]:
    """The filters to apply, the as-of moment (None: now), and errors by field."""
    _ = gettext_for(request, person)
    errors: dict[str, str] = {}
    status = clean(raw["status"], 20) or "all"
    if status not in STATUSES:
        errors["status"], status = _("Choose one of the listed statuses."), "all"
    as_of, at, error = _as_of(clean(raw["as_of"], 20), now, time_zone)
    if error == "format":
        errors["as_of"] = _("Enter a date like 2026-03-14.")
    elif error == "future":
        errors["as_of"] = _("Choose a day that is not in the future.")
    tag, q = clean(raw["tag"], 60).casefold(), clean(raw["q"])
    return GroupFilters(status, tag, q, as_of, page), at, errors


def _as_of(raw: str, now: datetime, time_zone: str) -> tuple[str, int | None, str | None]:
    """The day kept, the end of that day on the association's calendar (micros), or an
    error kind."""
    if not raw:
        return "", None, None
    day = form_day(raw)
    today = calendar.today(now, time_zone)
    written = calendar_day(raw)
    if day is None and written is not None and written > today:
        return "", None, "future"  # e.g. 2999-01-01: a date, just not one that has been
    if day is None:
        return "", None, "format"
    if day > today:
        return "", None, "future"
    if day == today:  # the end of today is still to come: today's list is the live one
        return "", None, None
    end = calendar.start_of(day + timedelta(days=1), time_zone)
    return raw, micros(end) - 1, None


def _context(
    cur: Cursor, dialect: str, group_id: str, f: GroupFilters, at: int | None, now: int
) -> dict[str, Any]:
    group = find_group(cur, group_id)
    if group is None:
        raise NotFound("working_group.not_found")
    tags_of = tags_by_pain_point(cur, group_id)
    listed = _listing(cur, dialect, group_id, f, at, tags_of)
    pages = max(1, -(-len(listed) // PAGE_SIZE))
    f = replace(f, page=min(f.page, pages))
    shown = listed[(f.page - 1) * PAGE_SIZE : f.page * PAGE_SIZE]
    trends = _trends(cur, [item.pain_point_id for item in shown], now if at is None else at)
    return {
        "group": group,
        "lead_ids": set(group["leads"]),
        "f": f,
        "rows": [_row(item, tags_of, trends) for item in shown],
        "total": len(listed),
        "pages": pages,
        "tags": sorted({tag for tags in tags_of.values() for tag in tags}),
        "as_of_moment": None if at is None else moment(at),
    }


def _listing(
    cur: Cursor,
    dialect: str,
    group_id: str,
    f: GroupFilters,
    at: int | None,
    tags_of: dict[str, list[str]],
) -> list[Listed]:
    """The whole filtered list; ranks stay those of the full community ranking."""
    if f.status != "all" and f.status not in OPEN_STATUSES:
        items = _unranked(cur, group_id, at, f.status)
    else:
        items = _ranked(cur, group_id, at, f.status)
    if f.tag:
        items = [item for item in items if f.tag in tags_of.get(item.pain_point_id, ())]
    if words(f.q):
        found = set(text_ids(cur, dialect, f.q, [group_id], EVERYTHING))
        items = [item for item in items if item.pain_point_id in found]
    return items


def _ranked(cur: Cursor, group_id: str, at: int | None, status: str) -> list[Listed]:
    if at is None:
        items, _ = live_ranking(cur, group_id, EVERYTHING, 0)
    else:
        items, _ = ranking_as_of(cur, group_id, at, EVERYTHING, 0)
    return [
        Listed(i.rank, i.pain_point_id, i.title, i.status, i.tally)
        for i in items
        if status in ("all", i.status)
    ]


def _unranked(cur: Cursor, group_id: str, at: int | None, status: str) -> list[Listed]:
    """Pain points in a status that is not ranked (withdrawn, declined, merged, resolved …)
    at `at` (or now), latest first."""
    found = in_status_at(cur, group_id, status, FOREVER if at is None else at)
    return [Listed(None, pid, title, status, tally) for pid, title, tally in found]


def _trends(cur: Cursor, ids: list[str], end: int) -> dict[str, list[int]]:
    """Supporters at the end of each of the last TREND_WEEKS weeks up to `end`."""
    moments = [end - (TREND_WEEKS - 1 - k) * WEEK for k in range(TREND_WEEKS)]
    return support_trend(cur, ids, moments)


def _row(item: Listed, tags_of: dict[str, list[str]], trends: dict[str, list[int]]) -> Any:
    return {
        "rank": item.rank,
        "id": item.pain_point_id,
        "title": item.title,
        "status": item.status,
        "score": score_of(item.tally.units),
        "companies": item.tally.companies,
        "supporters": item.tally.supporters,
        "tags": tags_of.get(item.pain_point_id, []),
        "trend": trends.get(item.pain_point_id, []),
    }
