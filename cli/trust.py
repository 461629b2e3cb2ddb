"""`sprachrohr keys create` and `sprachrohr log verify`: the signing key and the hash chain.

`log verify` recomputes the hash chain over the event log from the event store alone and
compares it with the stored chain up to the position the views have reached; it also
checks that positions increase and that every event decodes. Exit 0 when all agrees, 1
at the first position where they depart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.output import deferred_console
from dossiers.signing import fingerprint, public_pem
from projections.chain_view import check_log
from service.runtime import build_runtime
from service.settings import Settings
from service.signing_key import create_key

keys = typer.Typer(help="The association's key that signs dossiers.", no_args_is_help=True)
log = typer.Typer(help="The event log's hash chain.", no_args_is_help=True)
console = deferred_console()


@keys.command("create")
def create_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="Where to write it (default: SPRACHROHR_SIGNING_KEY_FILE)."),
    ] = None,
) -> None:
    """Write a new Ed25519 private key (PEM, mode 0600); print its public key and fingerprint."""
    target = file or Settings().signing_key_file
    if target is None:
        console.print("[red]Name the file, or set SPRACHROHR_SIGNING_KEY_FILE.[/red]")
        raise typer.Exit(2)
    try:
        key = create_key(target)
    except FileExistsError:
        console.print(f"[red]{target} exists; a key is never overwritten.[/red]")
        raise typer.Exit(1) from None
    public = key.public_key()
    console.print(f"Signing key written to {target} (readable by you only).")
    console.print(f"Fingerprint: {fingerprint(public)}")
    console.print(public_pem(public), end="", highlight=False)


@log.command("verify")
def verify_command() -> None:
    """Recompute the hash chain from the event store and compare it with the stored chain."""
    runtime = build_runtime(Settings())
    try:
        runtime.projector.catch_up()
        until = runtime.projector.position()
        app = runtime.app
        with console.status("recomputing the hash chain …"):
            result = check_log(app.recorder, app.mapper, runtime.stored_chain, until)
    finally:
        runtime.close()
    if result.departure is not None:
        console.print(
            f"[red]NOT verified:[/red] at position {result.departure.position}:"
            f" {result.departure.reason} ({result.events} events checked before it)"
        )
        raise typer.Exit(1)
    console.print(
        f"[green]verified[/green]: {result.events} events up to position {result.checked_to}"
        f" decode, increase and hash to the stored chain; head {result.head}"
    )
