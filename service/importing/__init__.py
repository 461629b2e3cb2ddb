"""Import the association's spreadsheets as back-dated history (issue 16, docs/adr/014).

One use case for the CLI and the admin web page: read the files, check every row,
run the ordinary commands in time order against a staging application (each at the
row's date), and save everything in one transaction — or nothing, on a dry run or
when any row fails. Ids come from the rows' keys: the same files twice add nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import RecordConflictError

from domain.errors import Conflict, DomainError
from domain.ids import SYSTEM
from domain.imported import DataImport
from service.importing.history import ImportPlanner
from service.importing.plan import Step
from service.importing.report import FAILED, OK, UNCHANGED, ImportReport, RowReport
from service.importing.sheets import COLUMNS, KINDS, SheetError, read_files
from service.importing.staging import StagingSprachrohr
from storage.quiet import quietly

__all__ = [
    "COLUMNS",
    "FAILED",
    "KINDS",
    "OK",
    "UNCHANGED",
    "ImportReport",
    "RowReport",
    "SheetError",
    "StagingSprachrohr",
    "run_import",
]

#: Imported people have no password: they sign in with their company account, or set
#: one through the link the import mails them (`invite`) or the sign-in page's reset.
NO_PASSWORD = ""


def run_import(
    app: StagingSprachrohr,
    files: list[tuple[str, bytes]],
    *,
    kind: str | None = None,
    dry_run: bool = False,
    by: UUID = SYSTEM,
    invite: Callable[[str], None] | None = None,
) -> ImportReport:
    """Check and (unless `dry_run` or a row fails) save the files' history.

    Once it is saved, `invite(email)` is called for every person it registered whose
    row asks for an invitation. Raises SheetError when a file cannot be read at all
    (a usage error).
    """
    app.require_admin(by)
    app.discard()  # an import saves its own events only
    sheets = read_files(files, kind)
    planner = ImportPlanner(app, sheets, password_hash=NO_PASSWORD)
    steps = planner.plan()
    warnings = [w for s in sheets for w in s.warnings]
    if planner.to_invite and dry_run:
        warnings.append(f"{len(planner.to_invite)} people will be mailed a link to set a password")
    elif planner.to_invite and invite is None:
        warnings.append("invitations are not sent from here: invite people from the admin pages")
    report = ImportReport(planner.reports, warnings, dry_run)
    if not steps:
        return report
    digest = hashlib.sha256(b"".join(hashlib.sha256(c).digest() for _, c in files)).hexdigest()
    started = DataImport.start(
        digest, [name for name, _ in files], len(report.rows), by=by, at=app.now
    )
    app.save(started)
    try:
        _run(app, steps)
    except BaseException:
        app.discard()
        raise
    report.new_events = app.staged_events - 1
    if dry_run or not report.ok:
        app.discard()
        return report
    started.complete(report.new_events, at=app.now)
    app.save(started)
    try:
        with quietly():  # history, not news: the notification processor skips it
            report.position = app.commit()
    except RecordConflictError as conflict:  # a live command claimed a row's key meanwhile
        app.discard()
        raise Conflict("import.store_changed") from conflict
    if invite is not None:
        for email in planner.to_invite:
            invite(email)
            report.invited.append(email)
    return report


def _run(app: StagingSprachrohr, steps: list[Step]) -> None:
    for step in steps:
        if step.row.problem is not None:
            continue  # the row failed its checks; its command would only fail again
        try:
            app.at(step.at, step.run)
        except DomainError as error:
            columns = COLUMNS[step.row.kind]
            column = error.field if error.field in columns else step.column
            step.row.fail(column, "invalid", error=error)
