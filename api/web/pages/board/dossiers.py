"""The board's briefing dossiers: compose (meeting, groups, language, formats, as of
a day), preview as a web page, issue in the background with a progress bar, download,
and verify that a dossier regenerated from the log is byte-identical."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.errors import error_text
from api.web.pages.admin.common import id_or_404
from api.web.pages.board.common import BOARD_ONLY, BoardPerson, end_of, local_today, parse_day
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked
from domain.dossier import FORMATS, Dossier
from domain.errors import DomainError, NotFound
from domain.person import Person
from dossiers.content import LANGUAGES, Definition, build, moment_at, position_at
from dossiers.render import EXTENSIONS
from dossiers.signing import fingerprint, public_pem
from projections.board_queries import meetings
from projections.directory_view import list_groups
from projections.dossier_view import find_dossier, list_dossiers
from projections.view import moment
from service.dossier_jobs import get_jobs
from service.dossiers import define
from service.runtime import Runtime

router = APIRouter(include_in_schema=False, dependencies=BOARD_ONLY)
PATH = "/board/dossiers"
Many = Annotated[list[str], Form()]


def choices(runtime: Runtime) -> dict[str, Any]:
    with runtime.store.reading() as cur:
        groups, _ = list_groups(cur, 1000, 0)
        held, _ = meetings(cur, 200, 0)
        issued, total = list_dossiers(cur, 50, 0)
    for row in issued:
        row["issued"] = moment(row["issued_at"])
    public = runtime.signing_key().public_key()
    return {"groups": groups, "meetings": held, "issued": issued, "issued_total": total,
            "key_fingerprint": fingerprint(public), "public_key": public_pem(public)}  # fmt: skip


def blank_form(runtime: Runtime) -> dict[str, Any]:
    return {"meeting": "", "groups": [], "language": "de", "formats": list(FORMATS),
            "include_companies": False, "as_of": ""}  # fmt: skip


@router.get(PATH, response_class=HTMLResponse)
def dossiers_page(request: Request, person: BoardPerson, runtime: RuntimeDep) -> Response:
    return page(request, person, runtime, blank_form(runtime), {})


def page(
    request: Request,
    person: Person,
    runtime: Runtime,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return render(
        request, "board/dossiers.html", person, status_code=status_code, form=form,
        errors=errors, formats=FORMATS, **choices(runtime),
    )  # fmt: skip


def read_form(
    runtime: Runtime,
    request: Request,
    person: Person,
    meeting: str,
    groups: list[str],
    language: str,
    formats: list[str],
    include_companies: str,
    as_of: str,
) -> tuple[dict[str, Any], Definition | None, dict[str, str]]:
    """The form as posted, the definition it asks for, and errors by field."""
    _ = gettext_for(request, person)
    form = {"meeting": meeting, "groups": groups, "language": language, "formats": formats,
            "include_companies": bool(include_companies), "as_of": as_of}  # fmt: skip
    errors: dict[str, str] = {}
    known = choices(runtime)
    group_ids = {g["id"] for g in known["groups"]}
    meeting_ids = {m["id"] for m in known["meetings"]}
    if not groups:
        errors["groups"] = _("Choose at least one working group.")
    elif not set(groups) <= group_ids:
        errors["groups"] = _("Choose among the listed working groups.")
    if meeting and meeting not in meeting_ids:
        errors["meeting"] = _("Choose one of the listed meetings.")
    if language not in LANGUAGES:
        errors["language"] = _("Choose German or English.")
    if not formats or not set(formats) <= set(FORMATS):
        errors["formats"] = _("Choose at least one format.")
    position = runtime.projector.head()
    if as_of.strip():
        day = parse_day(as_of)
        if day is None:
            errors["as_of"] = _("Enter a date like 2026-03-14.")
        elif day > local_today(runtime.app):
            errors["as_of"] = _("Choose a day that is not in the future.")
        else:
            app = runtime.app
            position = position_at(app.recorder, app.mapper, end_of(day, app.time_zone))
            if position == 0:
                errors["as_of"] = _("Nothing had happened by then.")
    if errors:
        return form, None, errors
    definition = define(
        runtime.app,
        association=runtime.settings.association_name,
        head=runtime.app.recorder.max_notification_id() or 0,  # `position` is in the log
        group_ids=[g["id"] for g in known["groups"] if g["id"] in set(groups)],
        language=language,
        formats=formats,
        meeting_id=meeting or None,
        include_companies=bool(include_companies),
        position=position,
        signing_key=runtime.signing_key(),
    )
    return form, definition, errors


@router.post(PATH, dependencies=[CsrfChecked])
def issue(
    request: Request,
    person: BoardPerson,
    runtime: RuntimeDep,
    meeting: Annotated[str, Form(max_length=64)] = "",
    groups: Many = [],  # noqa: B006 - FastAPI copies defaults
    language: Annotated[str, Form(max_length=5)] = "de",
    formats: Many = [],  # noqa: B006
    include_companies: Annotated[str, Form(max_length=5)] = "",
    as_of: Annotated[str, Form(max_length=20)] = "",
    action: Annotated[str, Form(max_length=10)] = "issue",
) -> Response:
    form, definition, errors = read_form(
        runtime, request, person, meeting, groups, language, formats, include_companies, as_of
    )
    if definition is None:
        return page(request, person, runtime, form, errors, status_code=422)
    if action == "preview":
        return preview(request, person, runtime, definition)
    job = get_jobs(request).issue(definition, by=person.id)
    return RedirectResponse(f"{PATH}/jobs/{job.id}", status_code=303)


def preview(request: Request, person: Person, runtime: Runtime, definition: Definition) -> Response:
    """The dossier's content as a web page, composed now and not recorded."""
    app = runtime.app
    try:
        content = build(app.recorder, app.mapper, definition)
    except DomainError as error:
        _ = gettext_for(request, person)
        return page(request, person, runtime, blank_form(runtime), {"": error_text(error, _)}, 422)
    return render(request, "board/dossier_preview.html", person, c=content)


@router.get(PATH + "/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str, person: BoardPerson) -> Response:
    job = get_jobs(request).get(job_id[:64])
    if job is None:
        raise NotFound("dossier_job.not_found")
    template = "board/_dossier_job.html" if request.headers.get("hx-request") else None
    _ = gettext_for(request, person)
    failure = error_text(job.failure, _) if job.failure is not None else job.error
    return render(request, template or "board/dossier_job.html", person, job=job, failure=failure)


@router.get(PATH + "/{dossier_id}", response_class=HTMLResponse)
def dossier_page(
    request: Request, dossier_id: str, person: BoardPerson, runtime: RuntimeDep
) -> Response:
    uuid = id_or_404(dossier_id)
    with runtime.store.reading() as cur:
        row = find_dossier(cur, uuid.hex)
        if row is None:
            raise NotFound("dossier.not_found")
        groups, _ = list_groups(cur, 1000, 0)
        held, _ = meetings(cur, 1000, 0)
    names = {g["id"]: g["name"] for g in groups}
    row["issued"] = moment(row["issued_at"])
    app = runtime.app
    row["as_of"] = moment_at(app.recorder, app.mapper, row["definition"]["position"])
    row["group_names"] = [names.get(g, g) for g in row["definition"]["group_ids"]]
    row["meeting"] = next((m for m in held if m["id"] == row["meeting_id"]), None)
    return render(request, "board/dossier.html", person, d=row, extensions=EXTENSIONS)


@router.get(PATH + "/{dossier_id}/files/{fmt}")
def download(
    request: Request, dossier_id: str, fmt: str, person: BoardPerson, runtime: RuntimeDep
) -> Response:
    uuid = id_or_404(dossier_id)
    if fmt not in FORMATS:
        raise NotFound("format.not_found")
    return get_jobs(request).download(
        runtime.app.load(Dossier, uuid, "dossier", readonly=True), fmt
    )


@router.get(PATH + "/{dossier_id}/signature")
def signature(
    request: Request, dossier_id: str, person: BoardPerson, runtime: RuntimeDep
) -> Response:
    uuid = id_or_404(dossier_id)
    issued = runtime.app.load(Dossier, uuid, "dossier", readonly=True)
    return get_jobs(request).signature(issued)


@router.post(PATH + "/{dossier_id}/verify", dependencies=[CsrfChecked])
def verify(request: Request, dossier_id: str, person: BoardPerson, runtime: RuntimeDep) -> Response:
    uuid = id_or_404(dossier_id)
    issued = runtime.app.load(Dossier, uuid, "dossier", readonly=True)
    job = get_jobs(request).verify(issued, by=person.id)
    return RedirectResponse(f"{PATH}/jobs/{job.id}", status_code=303)
