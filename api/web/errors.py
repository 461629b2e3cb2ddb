"""Domain errors in the reader's language: the web's end of the error codes.

The domain raises codes with parameters (domain/messages.py holds the English
templates, marked for Babel); here each template goes through the reader's
catalogue, and parameters that are names of things (fields, statuses) too.
"""

from __future__ import annotations

from collections.abc import Callable

from api.web.i18n import Formats
from api.web.widgets import N_, STATUS_LABELS
from domain.errors import DomainError
from domain.messages import render

#: Parameters whose values are statuses of a pain point.
STATUS_PARAMS = ("status", "target")
#: Parameters whose values are calendar days (ISO 8601): shown as the reader's dates.
DAY_PARAMS = ("due_on", "held_on", "today")
#: The states of a promise, as the `state` parameter names them.
PROMISE_STATES = {
    "open": N_("open"),
    "met": N_("met"),
    "missed": N_("missed"),
    "overdue": N_("overdue"),
}


def error_text(exc: DomainError, gettext: Callable[[str], str]) -> str:
    """The error's message in the language of `gettext`, as a sentence on a page
    (capitalised: the catalogue's templates start in lower case, as API details do)."""
    params = dict(exc.params)
    for name in STATUS_PARAMS:
        value = params.get(name)
        if isinstance(value, str) and value in STATUS_LABELS:
            params[name] = gettext(STATUS_LABELS[value])
    reader = Formats(_language(gettext))
    for name in DAY_PARAMS:
        value = params.get(name)
        if isinstance(value, str):
            params[name] = reader.date(value)
    state = params.get("state")
    if isinstance(state, str) and state in PROMISE_STATES:
        params["state"] = gettext(PROMISE_STATES[state])
    text = render(exc.code, params, exc.field, gettext)
    return text[:1].upper() + text[1:]


def _language(gettext: Callable[[str], str]) -> str:
    """The language of a catalogue's gettext (English, the source language, if none)."""
    catalogue = getattr(gettext, "__self__", None)
    info = getattr(catalogue, "info", None)
    language = info().get("language") if callable(info) else None
    return language if isinstance(language, str) and language else "en"
