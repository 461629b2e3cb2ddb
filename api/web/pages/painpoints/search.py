"""Search across every working group the viewer can see: text, status, tag, group, sort.

Also home to the small listing helpers the group page shares (paging, clean query
parameters, text matching that includes withdrawn pain points).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import AppDep, RuntimeDep
from api.web.render import gettext_for, render
from api.web.session import WebPerson
from domain.person import Person
from domain.ranking import score_of
from domain.workflow import ALL_STATUSES
from domain.workinggroup import WorkingGroup
from projections.directory_view import list_groups
from projections.painpoint_view import tags_in
from projections.search_view import matching, search, words
from projections.store import Cursor
from projections.view import moment
from service.application import Sprachrohr

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
MATCH_LIMIT = 500
CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
SORTS = ("", "rank", "newest", "oldest", "companies")  # "": best match, else by rank
STATUSES = ("all", *ALL_STATUSES)
TARGET = "search-results"


# -- helpers shared with the group page -----------------------------------------------


def clean(value: str, max_len: int = 200) -> str:
    """A query parameter without control characters, trimmed and capped."""
    return CONTROL.sub("", value).strip()[:max_len]


def page_number(raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        return 1
    return number if 1 <= number <= 100_000 else 1


def query_string(**params: object) -> str:
    """`?a=1&b=2` of the parameters that are set (empty, "all" and page 1 are left out)."""
    kept = {k: v for k, v in params.items() if v not in ("", None, "all") and (k, v) != ("page", 1)}
    return "?" + urlencode(kept) if kept else ""


def wants_partial(request: Request, target: str) -> bool:
    """An htmx request that swaps only `target` (not a history restore)."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-target") == target
        and not headers.get("hx-history-restore-request")
    )


def respond(
    request: Request, person: Person, target: str, templates: tuple[str, str], **context: Any
) -> Response:
    """The partial for htmx swapping `target` (with the summary out of band), else the page."""
    if wants_partial(request, target):
        response = render(request, templates[0], person, oob=True, **context)
    else:
        response = render(request, templates[1], person, **context)
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


def reload_page(request: Request) -> Response:
    """Tell htmx to load the whole page (to show field errors next to their fields)."""
    query = request.url.query
    return Response(headers={"HX-Redirect": request.url.path + (f"?{query}" if query else "")})


def visible_groups(app: Sprachrohr, cur: Cursor, person_id: UUID) -> list[dict[str, Any]]:
    """The groups the person may see, by kind and name."""
    rows, _ = list_groups(cur, 10_000, 0)
    visible = []
    for row in rows:
        group = app.find(WorkingGroup, UUID(row["id"]), readonly=True)
        if group is not None and app.can_see_group(person_id, group):
            visible.append(row)
    return visible


def text_ids(cur: Cursor, dialect: str, q: str, group_ids: list[str], limit: int) -> list[str]:
    """Pain points in the groups, withdrawn ones too, matching every word of `q` as a
    prefix, best first."""
    return matching(cur, dialect, q, group_ids, limit, include_closed=True)


# -- the search page ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    status: str = "all"
    tag: str = ""
    group: str = ""
    sort: str = ""
    page: int = 1

    @property
    def order(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if words(self.q) else "rank"

    def link(self, **changes: object) -> str:
        return "/search" + query_string(**{**asdict(self), **changes})


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    person: WebPerson,
    app: AppDep,
    runtime: RuntimeDep,
    q: str = "",
    status: str = "",
    tag: str = "",
    group: str = "",
    sort: str = "",
    page: str = "",
) -> Response:
    raw = {"q": q, "status": status, "tag": tag, "group": group, "sort": sort}
    with runtime.store.reading() as cur:
        groups = visible_groups(app, cur, person.id)
        filters, errors = _filters(request, person, groups, raw, page_number(page))
        if errors and wants_partial(request, TARGET):
            return reload_page(request)
        scope = [filters.group] if filters.group else [g["id"] for g in groups]
        rows, total, filters = _results(cur, runtime.store.dialect, filters, scope)
        tags = tags_in(cur, [g["id"] for g in groups])
    return respond(
        request, person, TARGET, ("painpoints/_search_results.html", "painpoints/search.html"),
        f=filters, errors=errors, rows=rows, total=total, pages=max(1, -(-total // PAGE_SIZE)),
        groups=groups, group_names={g["id"]: g["name"] for g in groups}, tags=tags,
        sorts=SORTS, statuses=STATUSES,
    )  # fmt: skip


def _filters(
    request: Request, person: Person, groups: list[dict[str, Any]], raw: dict[str, str], page: int
) -> tuple[SearchFilters, dict[str, str]]:
    """The filters to apply, and an error for each parameter that made no sense."""
    _ = gettext_for(request, person)
    q, tag, group = clean(raw["q"]), clean(raw["tag"], 60).casefold(), _hex(raw["group"])
    status, sort = clean(raw["status"], 20) or "all", clean(raw["sort"], 20)
    errors: dict[str, str] = {}
    if status not in STATUSES:
        errors["status"], status = _("Choose one of the listed statuses."), "all"
    if group and group not in {g["id"] for g in groups}:
        errors["group"], group = _("Choose one of the listed working groups."), ""
    if sort not in SORTS:
        errors["sort"], sort = _("Choose one of the listed orders."), ""
    return SearchFilters(q, status, tag, group, sort, page), errors


def _hex(raw: str) -> str:
    """A group id as the views spell it (hex), or the raw text if it is no UUID."""
    try:
        return UUID(clean(raw, 40)).hex
    except ValueError:
        return clean(raw, 40)


def _results(
    cur: Cursor, dialect: str, f: SearchFilters, scope: list[str]
) -> tuple[list[dict[str, Any]], int, SearchFilters]:
    """A page of results, their number, and the filters with the page kept in range."""
    ids = text_ids(cur, dialect, f.q, scope, MATCH_LIMIT) if words(f.q) else None
    if not scope or ids == []:
        return [], 0, replace(f, page=1)
    rows, total, page = search(
        cur, dialect, scope, ids, status=f.status, tag=f.tag, order=f.order, page=f.page,
        page_size=PAGE_SIZE,
    )  # fmt: skip
    return [_shown(row) for row in rows], total, replace(f, page=page)


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "tags": json.loads(row["tags"]),
        "submitted_at": moment(row["submitted_at"]),
        "score": score_of(row["units"]),
    }
