"""`sprachrohr dossier issue | verify | verify-file | list`: briefing dossiers from the
command line.

The command line acts as the system (an operator with access to the store), so it may
issue dossiers like the board, signed with the configured key. Verification regenerates
a dossier from the log, checks its signature and that the log up to its position still
hashes to the signed chain head, and exits with status 1 when anything differs;
`verify-file` checks one file against a `.sig` file and a public key, with no database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar
from uuid import UUID

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cli.output import deferred_console, real
from domain.dossier import FORMATS, Dossier
from domain.errors import DomainError
from domain.ids import SYSTEM
from dossiers.content import Progress as ProgressReport
from dossiers.issuing import signature_document, verify
from dossiers.render import EXTENSIONS
from dossiers.signing import check_file
from projections.board_queries import group_ids, meetings
from projections.directory_view import list_groups
from projections.dossier_view import list_dossiers
from projections.view import moment
from service.dossiers import define, issue
from service.runtime import Runtime, build_runtime
from service.settings import Settings
from service.signing_key import SigningKeyError, load_public_key

if TYPE_CHECKING:  # rich's progress and tables load when a command shows them
    from rich.progress import Progress

T = TypeVar("T")
dossier = typer.Typer(help="Briefing dossiers: issue, verify, list.", no_args_is_help=True)
console = deferred_console()


def _running() -> Runtime:
    """The store, with the views caught up (the CLI runs no projector thread)."""
    runtime = build_runtime(Settings())
    runtime.projector.catch_up()
    return runtime


def _progress() -> Progress:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(), console=real(console), transient=True,
    )  # fmt: skip


LABELS = {"replay": "reading the log", "groups": "working groups", "render": "rendering"}


def _with_progress(work: Callable[[ProgressReport], T]) -> T:
    """Run `work` with a progress bar it reports its steps to."""
    with _progress() as progress:
        task = progress.add_task("starting", total=None)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=LABELS.get(step, step), completed=done, total=total)

        return work(report)


def _group_ids(runtime: Runtime, names: list[str]) -> list[str]:
    with runtime.store.reading() as cur:
        if not names:
            return group_ids(cur)
        rows, _ = list_groups(cur, 1000, 0)
    by_name = {row["name"].casefold(): row["id"] for row in rows}
    chosen = []
    for name in names:
        found = by_name.get(name.casefold()) or next(
            (row["id"] for row in rows if row["id"] == name.replace("-", "")), None
        )
        if found is None:
            raise typer.BadParameter(f"no working group named {name!r}", param_hint="--group")
        chosen.append(found)
    return chosen


@dossier.command("issue")
def issue_command(
    meeting: Annotated[
        str | None, typer.Option(help="The meeting's id or name (default: none).")
    ] = None,
    group: Annotated[
        list[str] | None, typer.Option(help="A working group's name or id; repeat it.")
    ] = None,
    language: Annotated[str, typer.Option(help="de or en.")] = "de",
    fmt: Annotated[
        list[str] | None, typer.Option("--format", help="pdf, docx, md, json; repeat it.")
    ] = None,
    include_companies: Annotated[
        bool, typer.Option(help="Name the supporting member companies.")
    ] = False,
    position: Annotated[
        int | None, typer.Option(help="The log position it is as of (default: the latest).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Where to write the files.")] = Path("."),
) -> None:
    """Compose a dossier from the log, record it as issued and write its files."""
    runtime = _running()
    try:
        formats = fmt or list(FORMATS)
        if not set(formats) <= set(FORMATS):
            raise typer.BadParameter(f"formats are {', '.join(FORMATS)}", param_hint="--format")
        meeting_id = _meeting_id(runtime, meeting) if meeting else None
        definition = define(
            runtime.app,
            association=runtime.settings.association_name,
            head=runtime.projector.head(),
            group_ids=_group_ids(runtime, group or []),
            language=language,
            formats=formats,
            meeting_id=meeting_id,
            include_companies=include_companies,
            position=position,
            signing_key=runtime.signing_key(),
        )
        app, key = runtime.app, runtime.signing_key()
        composed, outcome = _with_progress(
            lambda report: issue(app, definition, by=SYSTEM, signing_key=key, progress=report)
        )
        runtime.news.announce()
        out.mkdir(parents=True, exist_ok=True)
        for name, data in composed.files.items():
            target = out / f"dossier-{outcome.id.hex[:8]}{EXTENSIONS[name]}"
            target.write_bytes(data)
            console.print(f"  {target}  sha256 {composed.hashes[name]}")
        signature = signature_document(
            runtime.app.load(Dossier, outcome.id, "dossier", readonly=True)
        )
        if signature is not None:
            target = out / f"dossier-{outcome.id.hex[:8]}.sig"
            target.write_bytes(signature)
            console.print(f"  {target}  (detached signature)")
        console.print(f"[green]Issued[/green] {composed.title}: dossier {outcome.id}")
    except DomainError as error:
        console.print(f"[red]Refused:[/red] {error.message} ({error.code})")
        raise typer.Exit(2) from None
    finally:
        runtime.close()


def _meeting_id(runtime: Runtime, meeting: str) -> str:
    with runtime.store.reading() as cur:
        rows, _ = meetings(cur, 1000, 0)
    for row in rows:
        if meeting.replace("-", "") == row["id"] or meeting.casefold() == row["name"].casefold():
            return str(row["id"])
    raise typer.BadParameter(f"no meeting {meeting!r}", param_hint="--meeting")


@dossier.command("verify")
def verify_command(
    dossier_id: Annotated[str, typer.Argument(help="The dossier's id (or a unique prefix).")],
    public_key: Annotated[
        Path | None,
        typer.Option(help="The public key it was signed with (default: the configured key's)."),
    ] = None,
) -> None:
    """Regenerate an issued dossier from the log and compare every file byte for byte;
    check its signature and that the log up to its position hashes to the signed head."""
    runtime = _running()
    try:
        issued = _find(runtime, dossier_id)
        app = runtime.app
        key = _public_key(public_key) if public_key else runtime.signing_key().public_key()
        result, _ = _with_progress(
            lambda report: verify(app.recorder, app.mapper, issued, key, runtime.locate, report)
        )
        for check in result.files:
            mark = "[green]identical[/green]" if check.identical else "[red]DIFFERS[/red]"
            console.print(f"  {check.format:5} {mark}  {check.recorded}")
        if result.seal is not None and result.seal.signed:
            signed = "[green]valid[/green]" if result.seal.signature_valid else "[red]INVALID[/red]"
            same = result.seal.recorded_head == result.seal.head_now
            head = "[green]unchanged[/green]" if same else "[red]DIFFERS[/red]"
            console.print(f"  signature {signed}  chain head {head}  {result.seal.recorded_head}")
        console.print(("[green]" if result.ok else "[red]") + result.message)
        if not result.ok:
            raise typer.Exit(1)
    finally:
        runtime.close()


def _public_key(path: Path) -> Ed25519PublicKey:
    try:
        return load_public_key(path)
    except SigningKeyError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


@dossier.command("verify-file")
def verify_file_command(
    file: Annotated[Path, typer.Argument(help="A dossier file (PDF, DOCX, Markdown or JSON).")],
    signature: Annotated[Path, typer.Option(help="The dossier's .sig file.")],
    public_key: Annotated[Path, typer.Option(help="The association's public key (PEM).")],
) -> None:
    """Check, with no database, that a file is one the signature vouches for."""
    key = _public_key(public_key)
    try:
        data, signature_data = file.read_bytes(), signature.read_bytes()
    except OSError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    result = check_file(data, signature_data, key)
    console.print(("[green]" if result.ok else "[red]") + result.message)
    if not result.ok:
        raise typer.Exit(1)


def _find(runtime: Runtime, wanted: str) -> Dossier:
    prefix = wanted.replace("-", "").lower()
    with runtime.store.reading() as cur:
        rows, _ = list_dossiers(cur, 100_000, 0)
    matches = [row["id"] for row in rows if row["id"].startswith(prefix)]
    if len(matches) != 1:
        console.print(f"[red]{'No' if not matches else 'More than one'} dossier {wanted!r}[/red]")
        raise typer.Exit(2)
    found = runtime.app.find(Dossier, UUID(matches[0]), readonly=True)
    if found is None:
        raise typer.Exit(2)
    return found


@dossier.command("list")
def list_command() -> None:
    """The issued dossiers, latest first."""
    runtime = _running()
    try:
        with runtime.store.reading() as cur:
            rows, total = list_dossiers(cur, 1000, 0)
    finally:
        runtime.close()
    from rich.table import Table

    table = Table(title=f"{total} briefing dossiers", title_justify="left")
    for column in ("Id", "Issued", "Title", "Language", "As of position", "Formats"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["id"][:12],
            moment(row["issued_at"]).strftime("%Y-%m-%d %H:%M"),
            row["title"],
            row["definition"]["language"],
            str(row["definition"]["position"]),
            ", ".join(sorted(row["files"])),
        )
    console.print(table)
