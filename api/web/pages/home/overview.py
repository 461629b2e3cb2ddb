"""The start page, "Mein Überblick": my groups, my pain points, what changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import AppDep, RuntimeDep
from api.web.render import render
from api.web.session import WebPerson
from projections.directory_view import groups_of
from projections.queries import involving, submitted_since
from projections.ranking_view import live_ranking, ranking_as_of
from projections.store import Cursor
from projections.view import micros, moment

router = APIRouter(include_in_schema=False)
TOP = 5
#: Rows of "Pain points I submitted or support" per page.
MINE_PAGE = 20


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request,
    person: WebPerson,
    app: AppDep,
    runtime: RuntimeDep,
    mine_page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Any:
    if person.has_role("vendor"):
        with runtime.store.reading() as cur:
            enrolled = groups_of(cur, person.id.hex)
        if not enrolled:  # a vendor representative's start page is the vendor's area
            return RedirectResponse("/vendor", status_code=303)
    since = person.previous_sign_in_at or (app.clock() - timedelta(days=14))
    with runtime.store.reading() as cur:
        groups = [_group_summary(cur, g, micros(since)) for g in groups_of(cur, person.id.hex)]
        mine = involving(cur, person.id.hex, MINE_PAGE + 1, (mine_page - 1) * MINE_PAGE)
        new = submitted_since(cur, [g["id"] for g in groups], micros(since))
    moves = [move for group in groups for move in group["moves"]]
    return render(
        request,
        "home/overview.html",
        person,
        groups=groups,
        mine=[{**row, "last_change": moment(row["last_change"])} for row in mine[:MINE_PAGE]],
        mine_page=mine_page,
        mine_more=len(mine) > MINE_PAGE,
        new=[{**row, "submitted_at": moment(row["submitted_at"])} for row in new],
        moves=moves,
        since=since,
    )


def _group_summary(cur: Cursor, group: dict[str, Any], since: int) -> dict[str, Any]:
    top, total = live_ranking(cur, group["id"], TOP, 0)
    before, _ = ranking_as_of(cur, group["id"], since, 100, 0)
    earlier = {item.pain_point_id: item.rank for item in before}
    moves = [
        {"group": group["name"], "item": item, "was": earlier.get(item.pain_point_id)}
        for item in top
        if earlier.get(item.pain_point_id) != item.rank
    ]
    return {**group, "top": top, "total": total, "moves": moves}
