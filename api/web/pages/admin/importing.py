"""Importing spreadsheets (admins): upload → the dry run's report → apply; the template.

The uploaded files wait on the server (at most a few, for an hour) between the
report and "apply", under a random token; apply runs the same import again — it
writes only if every row still passes (the store may have changed in between).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import RuntimeDep
from api.web.errors import error_text
from api.web.pages.admin.common import ADMIN_ONLY, AdminPerson
from api.web.render import gettext_for, render
from api.web.session import CsrfChecked
from domain.errors import Conflict
from domain.person import Person
from service.exporting import XLSX
from service.importing import KINDS, ImportReport, SheetError, StagingSprachrohr, run_import
from service.importing.template import template_xlsx
from service.runtime import Runtime

router = APIRouter(include_in_schema=False, dependencies=ADMIN_ONLY)
PATH = "/admin/import"
KEEP_SECONDS = 3600
KEEP_UPLOADS = 4
Files = list[tuple[str, bytes]]


class Uploads:
    """The last few uploads, each under a random token, for an hour."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, tuple[float, Files, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, files: Files, kind: str | None) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._kept[token] = (time.monotonic(), files, kind)
            while len(self._kept) > KEEP_UPLOADS:
                self._kept.popitem(last=False)
        return token

    def take(self, token: str) -> tuple[Files, str | None] | None:
        with self._lock:
            kept = self._kept.pop(token, None)
        if kept is None or time.monotonic() - kept[0] > KEEP_SECONDS:
            return None
        return kept[1], kept[2]


UPLOADS = Uploads()


def importing(
    runtime: Runtime, files: Files, kind: str | None, *, dry_run: bool, by: Person
) -> ImportReport:
    """The import use case, with an application of its own on the server's store."""
    app = StagingSprachrohr(env=runtime.settings.event_store_env())
    invite = runtime.accounts.request_password_reset
    try:
        return run_import(app, files, kind=kind, dry_run=dry_run, by=by.id, invite=invite)
    finally:
        app.close()


@router.get(PATH, response_class=HTMLResponse)
def import_page(request: Request, person: AdminPerson, done: str = "", events: int = 0) -> Response:
    return _page(request, person, done=done, events=events)


def _page(
    request: Request,
    person: Person,
    *,
    status_code: int = 200,
    report: ImportReport | None = None,
    token: str = "",
    error: str = "",
    done: str = "",
    events: int = 0,
) -> Response:
    _ = gettext_for(request, person)
    rows = []
    for row in report.rows if report else []:
        problem = row.problem
        reason = ""
        if problem is not None:
            reason = error_text(problem.error, _) if problem.error else problem.text(_)
        rows.append({"row": row, "column": problem.column if problem else "", "reason": reason})
    return render(
        request,
        "admin/import.html",
        person,
        status_code=status_code,
        kinds=KINDS,
        report=report,
        rows=rows,
        token=token,
        error=error,
        done=done,
        events=events,
    )


@router.get(PATH + "/template.xlsx")
def template() -> Response:
    headers = {"Content-Disposition": 'attachment; filename="sprachrohr-import.xlsx"'}
    return Response(template_xlsx(), media_type=XLSX, headers=headers)


@router.post(PATH + "/check", dependencies=[CsrfChecked])
def check(
    request: Request,
    person: AdminPerson,
    runtime: RuntimeDep,
    files: Annotated[list[UploadFile], File()],
    kind: Annotated[str, Form()] = "",
) -> Response:
    uploaded = [(f.filename or "upload", f.file.read()) for f in files if f.filename]
    return _checked(request, person, runtime, uploaded, kind or None)


def _checked(
    request: Request, person: Person, runtime: Runtime, files: Files, kind: str | None
) -> Response:
    _ = gettext_for(request, person)
    if not files:
        return _page(
            request,
            person,
            status_code=422,
            error=_("Choose one XLSX file or one or more CSV files."),
        )
    try:
        report = importing(runtime, files, kind, dry_run=True, by=person)
    except SheetError as exc:
        return _page(request, person, status_code=422, error=str(exc))
    token = UPLOADS.keep(files, kind) if report.ok and report.new_events else ""
    return _page(request, person, status_code=200 if report.ok else 422, report=report, token=token)


@router.post(PATH + "/apply", dependencies=[CsrfChecked])
def apply(
    request: Request, person: AdminPerson, runtime: RuntimeDep, token: Annotated[str, Form()] = ""
) -> Response:
    _ = gettext_for(request, person)
    kept = UPLOADS.take(token)
    if kept is None:
        return _page(
            request,
            person,
            status_code=409,
            error=_("The upload has expired: please upload the files again."),
        )
    files, kind = kept
    try:
        report = importing(runtime, files, kind, dry_run=False, by=person)
    except SheetError as exc:
        return _page(request, person, status_code=422, error=str(exc))
    except Conflict as exc:
        return _page(request, person, status_code=409, error=error_text(exc, _))
    if not report.ok:
        return _page(request, person, status_code=422, report=report)
    runtime.news.announce()
    if report.position is not None:
        runtime.projector.wait_for(report.position, 5)
    return RedirectResponse(f"{PATH}?done=imported&events={report.new_events}", status_code=303)
