"""My notifications: what happened to what I follow, grouped by day."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.render import render
from api.web.session import CsrfChecked, WebPerson
from notify.digest import MODES, save_settings, settings_of
from notify.inbox import mark_read, notifications

router = APIRouter(include_in_schema=False)
PAGE = 100


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, person: WebPerson, runtime: RuntimeDep) -> Any:
    with runtime.store.reading() as cur:
        items, total = notifications(cur, person.id, limit=PAGE)
    zone = ZoneInfo(runtime.settings.time_zone)
    days = [
        (day, list(entries))
        for day, entries in groupby(items, key=lambda n: n.created_at.astimezone(zone).date())
    ]
    return render(request, "home/notifications.html", person, days=days, total=total)


@router.post("/notifications/read", dependencies=[CsrfChecked])
def read_all(person: WebPerson, runtime: RuntimeDep) -> Response:
    mark_read(runtime.store, person.id, None, runtime.app.clock())
    return RedirectResponse("/notifications", status_code=303)


@router.get("/notifications/settings", response_class=HTMLResponse)
def settings_page(request: Request, person: WebPerson, runtime: RuntimeDep, done: str = "") -> Any:
    with runtime.store.reading() as cur:
        current = settings_of(cur, person.id)
    return render(
        request,
        "home/notification_settings.html",
        person,
        current=current,
        modes=MODES,
        saved=done == "saved",
        time_zone=runtime.settings.time_zone,
    )


@router.post("/notifications/settings", dependencies=[CsrfChecked])
def save(
    person: WebPerson,
    runtime: RuntimeDep,
    email: Annotated[str, Form(max_length=20)] = "daily",
    digest_hour: Annotated[int, Form(ge=0, le=23)] = 7,
) -> Response:
    if email not in MODES:
        email = "daily"
    save_settings(runtime.store, person.id, email, digest_hour)
    return RedirectResponse("/notifications/settings?done=saved", status_code=303)
