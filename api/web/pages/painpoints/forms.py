"""The pain-point forms: submitting one (with duplicate suggestions while typing), and
what every form posted from its page shares (`PostedForm`, `settle`).

`page` includes this router before its own `/pain-points/{id}`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.errors import error_text
from api.web.forms import Text, new_key
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked, WebPerson
from domain.company import MemberCompany
from domain.errors import DomainError
from domain.limits import MAX_DESCRIPTION, accepted
from domain.person import Person
from projections.directory_view import groups_of
from projections.queries import summaries
from projections.search_view import matching, words
from projections.store import Cursor
from service.application import Outcome
from service.runtime import Runtime, announce

router = APIRouter(include_in_schema=False)
SUGGESTIONS = 5
MIN_WORD = 4  # shorter words (und, the, für …) say little about similarity
READ_WAIT_SECONDS = 5
Key = Annotated[str, Form(max_length=64)]
Short = Annotated[str, Query(max_length=2000)]


def settle(runtime: Runtime, outcome: Outcome) -> None:
    """Wake the projector and wait until the next page shows the change."""
    announce(runtime, outcome)
    if outcome.position is not None:
        runtime.projector.wait_for(outcome.position, READ_WAIT_SECONDS)


def hex_id(value: str) -> str:
    """An id as the views store it (hex), or '' when `value` is no UUID."""
    try:
        return UUID(value.strip()).hex
    except ValueError:
        return ""


def similar(
    cur: Cursor, dialect: str, texts: list[str], group_ids: list[str], exclude: str = ""
) -> list[dict[str, Any]]:
    """Up to five pain points like the texts, best first: those matching all words of a
    text, then those matching at least two of its longer words (most words first)."""
    found: list[str] = []
    for text in texts:
        found += matching(cur, dialect, text, group_ids, SUGGESTIONS + 1)
    if len(found) <= SUGGESTIONS:
        longer = dict.fromkeys(w for w in words(" ".join(texts)) if len(w) >= MIN_WORD)
        hits = Counter(i for w in longer for i in matching(cur, dialect, w, group_ids, 50))
        found += [i for i, n in hits.most_common() if n >= 2]
    return summaries(cur, [i for i in dict.fromkeys(found) if i != exclude][:SUGGESTIONS])


def _suggestions(
    runtime: Runtime, person: Person, group: str, title: str, description: str
) -> list[dict[str, Any]]:
    """Similar pain points in the chosen group, or in all of the person's groups."""
    with runtime.store.reading() as cur:
        mine = [row["id"] for row in groups_of(cur, person.id.hex)]
        chosen = hex_id(group)
        scope = [chosen] if chosen in mine else mine
        return similar(cur, runtime.store.dialect, [title, description], scope)


def _form(
    request: Request,
    person: Person,
    runtime: Runtime,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    checked: bool = False,
    status_code: int = 200,
) -> Response:
    with runtime.store.reading() as cur:
        groups = groups_of(cur, person.id.hex)
    texts = values["title"], values["description"]
    matches = _suggestions(runtime, person, values["group"], *texts) if checked else []
    context: dict[str, Any] = {"groups": groups, "values": values, "matches": matches}
    context["cannot_submit"] = cannot_submit(runtime, person)
    context |= {"errors": errors or {}, "checked": checked, "status_code": status_code}
    return render(request, "painpoints/submit.html", person, **context)


def cannot_submit(runtime: Runtime, person: Person) -> str | None:
    """Why the person cannot submit at all, told before they fill in the form: "ended"
    (their company's membership ended) or "no-company"; None when they can."""
    if person.company_id is None:
        return "no-company"
    company = runtime.app.find(MemberCompany, person.company_id, readonly=True)
    if company is None or not company.is_member:
        return "ended"
    return None


@router.get("/pain-points/new", response_class=HTMLResponse)
def submit_form(
    request: Request, person: WebPerson, runtime: RuntimeDep, group: Short = ""
) -> Response:
    values = {"group": hex_id(group), "title": "", "description": "", "tags": ""}
    return _form(request, person, runtime, {**values, "key": new_key()})


@router.get("/pain-points/similar", response_class=HTMLResponse)
def suggestions(
    request: Request,
    person: WebPerson,
    runtime: RuntimeDep,
    group: Short = "",
    title: Short = "",
    description: Annotated[str, Query(max_length=accepted(MAX_DESCRIPTION))] = "",
) -> Response:
    matches = _suggestions(runtime, person, group, title, description)
    if not matches:
        return HTMLResponse("")  # the box stays empty (and hidden by .suggestions:empty)
    return render(request, "painpoints/_suggestions.html", person, matches=matches, checked=False)


def split_tags(tags: str) -> list[str]:
    return [tag.strip() for tag in tags.split(",") if tag.strip()]


@router.post("/pain-points/new", dependencies=[CsrfChecked])
def submit(
    request: Request,
    person: WebPerson,
    runtime: RuntimeDep,
    group: Annotated[str, Form(max_length=64)] = "",
    title: Text = "",
    description: Text = "",
    tags: Text = "",
    key: Key = "",
    check: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    values = {"group": hex_id(group), "title": title, "description": description}
    values |= {"tags": tags, "key": key or new_key()}
    if check:
        return _form(request, person, runtime, values, checked=True)
    _ = gettext_for(request, person)
    with runtime.store.reading() as cur:
        mine = {row["id"] for row in groups_of(cur, person.id.hex)}
    if values["group"] not in mine:
        errors = {"group": _("Choose one of your working groups.")}
        return _form(request, person, runtime, values, errors=errors, status_code=422)
    try:
        outcome = runtime.app.submit_pain_point(
            UUID(values["group"]), title, description, split_tags(tags), by=person.id, key=key
        )
    except DomainError as exc:
        errors = {exc.field or "form": error_text(exc, gettext_for(request, person))}
        return _form(request, person, runtime, values, errors=errors, status_code=422)
    settle(runtime, outcome)
    return RedirectResponse(f"/pain-points/{outcome.id}?done=submitted", status_code=303)


# -- forms posted from the pain-point page ------------------------------------


@dataclass(frozen=True)
class Posted:
    """A form posted from a pain point's page: by whom, to which pain point."""

    request: Request
    person: Person
    runtime: Runtime
    pain_point_id: UUID


def posted(
    request: Request,
    pain_point_id: UUID,
    person: WebPerson,
    runtime: RuntimeDep,
    csrf_checked: Annotated[None, CsrfChecked],
) -> Posted:
    """Every form posted from the page carries a valid CSRF token (403 otherwise)."""
    return Posted(request, person, runtime, pain_point_id)


PostedForm = Annotated[Posted, Depends(posted)]
