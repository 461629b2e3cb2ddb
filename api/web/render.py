"""Rendering pages: one Jinja2 environment per language, shared page context."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.web.assets import asset_url
from api.web.i18n import LANGUAGES, Formats, negotiate, translations
from api.web.session import LANGUAGE_COOKIE, csrf_for, mask_csrf, set_fresh_csrf
from api.web.widgets import STATUS_LABELS, reason_text, sparkline
from domain.person import Person
from notify.inbox import unread_count
from notify.texts import describe
from projections.queries import triage_waiting

#: A day as the system writes it into a text it composes (a dossier's title).
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["sparkline"] = sparkline
    env.globals["asset"] = asset_url
    gettext = translations(language).gettext
    env.globals["status_label"] = status_label = lambda code: gettext(
        STATUS_LABELS.get(code) or code
    )
    env.globals["notification_text"] = lambda n: describe(n.kind, n.detail, gettext, status_label)
    formats = Formats(language)
    env.globals["with_local_days"] = lambda text: ISO_DAY.sub(
        lambda day: formats.date(day.group(0)), text or ""
    )
    env.globals["reason_text"] = lambda text: reason_text(text or "", gettext, formats.date)
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def language_of(request: Request, person: Person | None) -> str:
    return negotiate(
        person.language if person else None,
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language", ""),
    )


def gettext_for(request: Request, person: Person | None) -> Any:
    return translations(language_of(request, person)).gettext


def header_counts(request: Request, person: Person) -> tuple[int, int | None]:
    """The header's numbers, in one read: the bell's (unread notifications) and the
    triage link's (pain points waiting in the groups the person leads; None: leads none)."""
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        return 0, None
    with runtime.store.reading() as cur:
        return unread_count(cur, person.id), triage_waiting(cur, person.id.hex)


def render(
    request: Request,
    template: str,
    person: Person | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    language = language_of(request, person)
    page = environment(language).get_template(template)
    if person is not None:
        unread, waiting = header_counts(request, person)
        context.setdefault("unread_notifications", unread)
        context.setdefault("triage_waiting", waiting)
    html = page.render(
        request=request,
        person=person,
        lang=language,
        languages=LANGUAGES,
        fmt=Formats(language),
        csrf=mask_csrf(csrf_for(request)),
        path=request.url.path,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    set_fresh_csrf(response, request)
    return response
