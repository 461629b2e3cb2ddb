"""My profile: what Sprachrohr holds about me, a copy to download, asking for erasure."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import AppDep, RuntimeDep
from api.routes.privacy import copy_of
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from projections.directory_view import groups_of
from projections.personal_data import person_row

router = APIRouter(include_in_schema=False)


@router.get("/profile", response_class=HTMLResponse)
def profile(request: Request, person: WebPerson, runtime: RuntimeDep, done: str = "") -> Any:
    with runtime.store.reading() as cur:
        row = person_row(cur, person.id.hex) or {}
        groups = groups_of(cur, person.id.hex)
    _ = gettext_for(request, person)
    flash = {"requested": _("Your request has been passed to the association's admins.")}
    return render(
        request,
        "home/profile.html",
        person,
        company=row.get("company_name"),
        groups=groups,
        flash=flash.get(done),
    )


@router.get("/profile/personal-data.json")
def download(person: WebPerson, app: AppDep, runtime: RuntimeDep) -> Response:
    """Everything about me, as the API's copy (GDPR Art. 15 and 20)."""
    with runtime.store.reading() as cur:
        copy = copy_of(app, cur, person)
    return Response(
        copy.model_dump_json(indent=2),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="sprachrohr-personal-data.json"'},
    )


@router.post("/profile/erasure-request", dependencies=[CsrfChecked])
def request_erasure(person: WebPerson, app: AppDep) -> Response:
    app.request_erasure(person.id, by=person.id)
    return RedirectResponse("/profile?done=requested", status_code=303)
