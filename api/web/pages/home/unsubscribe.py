"""Unsubscribing from notification mails without signing in (RFC 8058 one-click).

The link in every notification mail carries a signed token naming the person
(notify/digest.py). GET shows a page with a button (link scanners must not
unsubscribe anybody); POST, from that button or from the mail program's one-click
`List-Unsubscribe-Post`, sets the person's e-mail setting to off.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from api.deps import RuntimeDep
from api.web.render import render
from notify.digest import save_settings, settings_of, token_person

router = APIRouter(include_in_schema=False)


def _person(runtime: RuntimeDep, token: str) -> Any:
    person_id = token_person(runtime.app.keys.secret("unsubscribe"), token)
    if person_id is None:
        raise HTTPException(404, "page not found")
    return person_id


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: str, runtime: RuntimeDep) -> Any:
    person_id = _person(runtime, token)
    with runtime.store.reading() as cur:
        current = settings_of(cur, person_id)
    return render(request, "home/unsubscribe.html", None, token=token, done=current.email == "off")


@router.post("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe(request: Request, token: str, runtime: RuntimeDep) -> Any:
    person_id = _person(runtime, token)
    with runtime.store.reading() as cur:
        current = settings_of(cur, person_id)
    save_settings(runtime.store, person_id, "off", current.digest_hour)
    return render(request, "home/unsubscribe.html", None, token=token, done=True)
