"""What the administration pages share: the admin gate, forms, flashes, paging."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, NoReturn
from urllib.parse import urlencode
from uuid import UUID

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse

from api.web.errors import error_text
from api.web.render import gettext_for
from api.web.session import WebPerson
from domain.errors import DomainError
from domain.person import Person
from service.application import Outcome
from service.runtime import Runtime, announce

Gettext = Callable[[str], str]
PAGE_SIZE = 50
KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def not_found() -> NoReturn:
    raise HTTPException(404, "Not Found")


def admin_person(person: WebPerson) -> Person:
    """The signed-in admin; to everyone else the whole area does not exist (404)."""
    if not person.has_role("admin"):
        not_found()
    return person


AdminPerson = Annotated[Person, Depends(admin_person)]
ADMIN_ONLY = [Depends(admin_person)]


def form_key(raw: str) -> str | None:
    """The idempotency key a form sent back, if it looks like one of ours."""
    return raw if KEY.fullmatch(raw) else None


def parse_id(raw: str) -> UUID | None:
    try:
        return UUID(raw.strip())
    except ValueError:
        return None


def id_or_404(raw: str) -> UUID:
    """A path id; a malformed one is just something that does not exist."""
    parsed = parse_id(raw)
    if parsed is None:
        not_found()
    return parsed


def clean_query(raw: str, max_len: int = 100) -> str:
    return CONTROL.sub("", raw).strip()[:max_len]


def finish(runtime: Runtime, outcome: Outcome, location: str, code: str) -> RedirectResponse:
    """After a command: wake the views, wait until they show it, redirect with a flash."""
    announce(runtime, outcome)
    if outcome.position is not None:
        runtime.projector.wait_for(outcome.position, 5)
    separator = "&" if "?" in location else "?"
    return RedirectResponse(f"{location}{separator}done={code}", status_code=303)


def flash_text(request: Request, person: Person, done: str) -> str | None:
    """The confirmation a `?done=…` redirect asks for, translated; None for others."""
    _ = gettext_for(request, person)
    messages = {
        "admitted": _("The company has been admitted."),
        "ended": _("The company's membership has ended."),
        "registered": _("The person has been registered."),
        "granted": _("The role has been granted."),
        "revoked": _("The role has been revoked."),
        "unchanged": _("Nothing to change: it was already so."),
        "founded": _("The working group has been founded."),
        "enrolled": _("The person has been enrolled."),
        "appointed": _("The lead has been appointed."),
        "saved": _("The change has been saved."),
        "mailed": _(
            "Saved. The new e-mail address takes effect once its owner"
            " confirms the link we mailed to it."
        ),
        "request-approved": _(
            "The access request has been approved: the person is registered"
            " and the groups' leads are asked to agree."
        ),
        "request-declined": _("The access request has been declined."),
        "erased": _("The person has been erased."),
    }
    return messages.get(done)


def error_of(
    exc: DomainError, _: Gettext, fields: set[str], messages: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A rejected command as {form field: message}; "" is the whole form."""
    field = exc.field if exc.field in fields else ""
    known = (messages or {}).get(f"{type(exc).__name__}:{field}")
    message = error_text(exc, _)
    return {field: known or message[:1].upper() + message[1:]}


def required(values: Mapping[str, str], names: tuple[str, ...], _: Gettext) -> dict[str, str]:
    return {name: _("Please fill in this field.") for name in names if not values[name].strip()}


@dataclass(frozen=True)
class Paging:
    page: int
    total: int
    size: int = PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def page_number(raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        return 1
    return number if 1 <= number <= 100_000 else 1


def link(path: str, **params: object) -> str:
    """`path?a=1` with the parameters that are set (empty values and page 1 left out)."""
    kept = {k: v for k, v in params.items() if v not in ("", None) and (k, v) != ("page", 1)}
    return path + ("?" + urlencode(kept) if kept else "")
