"""`sprachrohr import | import-template | backup | restore`: data in and out.

`import` works against a running server's store: it writes with an application of its
own, and the server's projector picks the new events up from the log like any other.
Exit codes: 0 success, 1 a row failed (or the backup does not verify), 2 usage error.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from cli.output import deferred_console
from domain.errors import DomainError
from projections.chain_view import LogCheck, check_log, recompute_head
from service.application import Sprachrohr
from service.importing import SheetError, StagingSprachrohr, run_import
from service.importing.template import template_xlsx
from service.runtime import Runtime, build_runtime
from service.settings import Settings
from storage.backup import (
    BackupError,
    Manifest,
    restore_backup,
    restore_keys,
    verify_backup,
    write_backup,
)

console = deferred_console(soft_wrap=True)
out = deferred_console(highlight=False, soft_wrap=True)


def import_files(
    files: Annotated[list[Path], typer.Argument(help="One .xlsx, or one or more .csv files")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing")] = False,
    kind: Annotated[
        str | None,
        typer.Option(help="The kind of a CSV file when its name does not say it"),
    ] = None,
) -> None:
    """Import the association's spreadsheets as back-dated history (all or nothing)."""
    try:
        contents = [(path.name, path.read_bytes()) for path in files]
    except OSError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    settings = Settings()
    if not settings.uses_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = StagingSprachrohr(env=settings.event_store_env())
    runtime = None if dry_run else build_runtime(settings)
    invite = runtime.accounts.request_password_reset if runtime else None
    try:
        report = run_import(app, contents, kind=kind, dry_run=dry_run, invite=invite)
    except SheetError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    except DomainError as error:  # the store changed while the import was written
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from None
    finally:
        app.close()
        if runtime is not None:
            runtime.close()
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    if not report.ok:
        for line in report.lines():
            out.print(line)
        console.print(f"[red]{len(report.failed)} of {len(report.rows)} rows failed;"
                      " nothing was written.[/red]")  # fmt: skip
        raise typer.Exit(1)
    done = "would write" if dry_run else "wrote"
    console.print(
        f"{len(report.rows)} rows checked: {report.count('ok')} new,"
        f" {report.count('unchanged')} already there; {done} {report.new_events} events"
        + (f" (log position {report.position})." if report.position else ".")
    )
    if report.invited:
        console.print(f"{len(report.invited)} people were mailed a link to set their password.")


def import_template(
    file: Annotated[Path, typer.Argument(help="Where to write the template (.xlsx)")],
) -> None:
    """Write the import template: one sheet per kind with an example row."""
    file.write_bytes(template_xlsx())
    console.print(f"Template written to {file}.")


def backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write (.zip)")],
) -> None:
    """Take a consistent online snapshot of the event log (both backends, one format)."""
    settings = Settings()
    if not settings.uses_postgres and not (settings.data_dir / "events.sqlite").exists():
        console.print(f"[red]No event store in {settings.data_dir}.[/red]")
        raise typer.Exit(2)
    app = Sprachrohr(env=settings.event_store_env())
    try:
        manifest = write_backup(app.recorder, file, app.keys, partial(recompute_head, app.recorder))
    except OSError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    finally:
        app.close()
    console.print(
        f"Backup written to {file}: {manifest.events} events up to log position"
        f" {manifest.last_position}, SHA-256 {manifest.sha256}, hash chain head"
        f" {manifest.chain_head}."
    )


#: Key material the store needs to be read in full, kept apart from log backups and put
#: into the restore directory first (docs/operations.md): the personal-data key store
#: and the development signing key.
KEY_FILES = frozenset({"keys.sqlite", "keys.sqlite-wal", "keys.sqlite-shm", "signing-key.pem"})


def _holds_more_than_keys(data_dir: Path) -> bool:
    return data_dir.exists() and any(p.name not in KEY_FILES for p in data_dir.iterdir())


def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `sprachrohr backup`")],
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Restore into this SQLite directory (empty or not yet existing)"),
    ] = None,
) -> None:
    """Restore a backup into an empty store, verify it, and rebuild the views."""
    if not file.is_file():
        console.print(f"[red]{file}: no such file[/red]")
        raise typer.Exit(2)
    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    if not settings.uses_postgres and _holds_more_than_keys(settings.data_dir):
        console.print(
            f"[red]{settings.data_dir} is not empty: restore into an empty directory"
            " (only key files may be there already).[/red]"
        )
        raise typer.Exit(1)
    runtime = build_runtime(settings)
    try:
        with console.status("verifying the backup …"):
            manifest = verify_backup(file, runtime.app.mapper)
        with console.status("restoring events …"):
            restore_keys(file, runtime.app.keys)
            restored = restore_backup(runtime.app.recorder, file)
        with console.status("rebuilding the views …"):
            runtime.projector.rebuild()
        with console.status("verifying the restored log (as `sprachrohr log verify`) …"):
            check = _verify_restored(runtime, manifest)
    except BackupError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    finally:
        runtime.close()
    console.print(
        f"Restored {restored} events up to log position {manifest.last_position}; views"
        f" rebuilt; verified: manifest, positions, decoding, hash chain head {check.head}."
    )


def _verify_restored(runtime: Runtime, manifest: Manifest) -> LogCheck:
    """The restored log against its rebuilt chain (`log verify`), and its head against the
    head the backup recorded."""
    app = runtime.app
    check = check_log(app.recorder, app.mapper, runtime.stored_chain, runtime.projector.position())
    if check.departure is not None:
        where = check.departure
        raise BackupError(f"the restored log does not verify at {where.position}: {where.reason}")
    if manifest.chain_head and check.head != manifest.chain_head:
        raise BackupError("the restored log's hash chain head differs from the backup's")
    return check


def register(cli: typer.Typer) -> None:
    cli.command("import")(import_files)
    cli.command("import-template")(import_template)
    cli.command("backup")(backup)
    cli.command("restore")(restore)
