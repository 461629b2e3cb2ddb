"""Download buttons: the web's lists as CSV or XLSX files.

Each download calls the JSON route's own function with `format=csv|xlsx`, so the web
and the API hand out the same file under the same rules (who may read, what is listed).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import AppDep, RuntimeDep
from api.routes import curation, groups, vendor
from api.web.pages.groups.group import _as_of, _visible_group
from api.web.session import WebPerson
from domain.errors import Invalid, NotFound
from projections.view import moment

router = APIRouter(include_in_schema=False)
Format = Literal["csv", "xlsx"]


@router.get("/groups/{group_id}/ranking/export")
def ranking(
    request: Request,
    group_id: str,
    person: WebPerson,
    app: AppDep,
    runtime: RuntimeDep,
    format: Format = "csv",
    as_of: str = "",
) -> Response:
    group = _visible_group(app, person, group_id)
    _, at, error = _as_of(as_of, app.clock(), app.time_zone)
    if error:
        raise Invalid("date.format", field="as_of", example="2026-03-14")
    with runtime.store.reading() as cur:
        when = None if at is None else moment(at)
        return groups.ranking(group.id, request, person, app, cur, when, 100, 0, format)  # type: ignore[return-value]


@router.get("/groups/{group_id}/pain-points/export")
def pain_points(
    request: Request,
    group_id: str,
    person: WebPerson,
    app: AppDep,
    runtime: RuntimeDep,
    format: Format = "csv",
) -> Response:
    group = _visible_group(app, person, group_id)
    with runtime.store.reading() as cur:
        return groups.pain_points(group.id, request, person, app, cur, 100, 0, format)  # type: ignore[return-value]


@router.get("/groups/{group_id}/curated/{edition}/export")
def curated_edition(
    request: Request,
    group_id: str,
    edition: str,
    person: WebPerson,
    app: AppDep,
    runtime: RuntimeDep,
    format: Format = "csv",
) -> Response:
    group = _visible_group(app, person, group_id)
    if not (edition.isdigit() and 0 < len(edition) < 10):
        raise NotFound("edition.not_found")
    with runtime.store.reading() as cur:
        return curation.past_edition(group.id, int(edition), request, person, app, cur, format)  # type: ignore[return-value]


@router.get("/board/promises/export")
def promises(
    request: Request,
    person: WebPerson,
    app: AppDep,
    runtime: RuntimeDep,
    format: Format = "csv",
) -> Response:
    with runtime.store.reading() as cur:
        return vendor.list_promises(request, person, app, cur, None, 100, 0, format)  # type: ignore[return-value]
