"""`sprachrohr import | import-template | backup | restore`: data in and out.

`import` works against a running server's store: it writes with an application of its
own, and the server's projector picks the new events up from the log like any other.
Exit codes: 0 success, 1 a row failed (or the backup does not verify), 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from api.settings import Settings
from domain.errors import DomainError
from service.importing import SheetError, StagingSprachrohr, run_import
from service.importing.template import template_xlsx

console = Console()
out = Console(highlight=False, soft_wrap=True)


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
    try:
        report = run_import(app, contents, kind=kind, dry_run=dry_run)
    except (SheetError, DomainError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    finally:
        app.close()
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


def import_template(
    file: Annotated[Path, typer.Argument(help="Where to write the template (.xlsx)")],
) -> None:
    """Write the import template: one sheet per kind with an example row."""
    file.write_bytes(template_xlsx())
    console.print(f"Template written to {file}.")


def register(cli: typer.Typer) -> None:
    cli.command("import")(import_files)
    cli.command("import-template")(import_template)
