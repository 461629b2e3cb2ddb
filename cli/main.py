"""The `sprachrohr` command: serve, project, demo, rebuild-projections, users."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
import uvicorn

from cli import data as cli_data
from cli.dossier import dossier
from cli.output import deferred_console, real
from cli.trust import keys, log
from demo.presence import DEMO_PASSWORD, holds_association
from domain.errors import DomainError
from domain.limits import MIN_PASSWORD
from dossiers.signing import fingerprint
from service.application import Sprachrohr
from service.runtime import Runtime, build_runtime, ensure_bootstrap_admin, ensure_signing_key
from service.security import hash_password
from service.settings import Settings
from service.supervisor import Supervisor, orphaned
from storage.sqlite import checkpoint

if TYPE_CHECKING:  # the rest of demo/ is imported when the demo is loaded
    from rich.progress import Progress

    from demo.loader import DemoSummary
    from demo.plan import PendingDossier

cli = typer.Typer(
    help="Sprachrohr: the association's voice towards its vendor.", no_args_is_help=True
)
users = typer.Typer(help="Manage people from the command line.", no_args_is_help=True)
cli.add_typer(users, name="users")
cli.add_typer(dossier, name="dossier")
cli.add_typer(keys, name="keys")
cli.add_typer(log, name="log")
cli_data.register(cli)
console = deferred_console()


@contextmanager
def running(settings: Settings) -> Iterator[Runtime]:
    runtime = build_runtime(settings)
    try:
        yield runtime
    finally:
        runtime.close()


@contextmanager
def _bulk_loading(runtime: Runtime) -> Iterator[Sprachrohr]:
    """The application to load the demo with: on SQLite one whose commits do not each
    wait for the disk (about 4,000 flushes were most of the demo's load time), with a
    durable checkpoint at the end; a crash in between leaves a consistent store
    without the last commands. On PostgreSQL the runtime's own application."""
    env = runtime.settings.event_store_env()
    if env.get("PERSISTENCE_MODULE") != "storage.sqlite":
        yield runtime.app
        return
    bulk = Sprachrohr(
        env={**env, "SQLITE_SYNCHRONOUS": "NORMAL"}, time_zone=runtime.settings.time_zone
    )
    try:
        yield bulk
    finally:
        bulk.close()
        checkpoint(env["SQLITE_DBNAME"])


def _load_demo(runtime: Runtime, *, defer_dossiers: bool = False) -> DemoSummary:
    from demo.loader import load_demo

    loading = console.status("Loading the demo association (about 4,000 commands) …")
    with loading, _bulk_loading(runtime) as app:
        summary = load_demo(
            app,
            hash_password(DEMO_PASSWORD),
            signing_key=runtime.signing_key(),
            defer_dossiers=defer_dossiers,
        )
    with _progress() as progress:
        task = progress.add_task("building views", total=None)
        runtime.projector.catch_up(
            lambda done, total: progress.update(task, completed=done, total=total)
        )
    console.print(
        f"[green]Demo association loaded[/green]: {summary.companies} member companies,"
        f" {summary.people} people, {summary.groups} working groups,"
        f" {summary.pain_points} pain points, {summary.supports} supports."
    )
    from rich.table import Table

    logins = Table(title=f"Demo logins — password: {DEMO_PASSWORD}", title_justify="left")
    logins.add_column("E-mail", no_wrap=True)
    logins.add_column("Role")
    for email, role in summary.logins:
        logins.add_row(email, role)
    console.print(logins)
    return summary


def _issue_in_background(settings: Settings, pending: tuple[PendingDossier, ...]) -> None:
    """Compose and record the demo's briefing dossiers in a child process while the server
    starts: rendering them takes seconds of CPU that would otherwise hold the server's
    interpreter (the same reason dossier jobs compose in a child, service/dossier_jobs.py)."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    context.Process(
        target=_issue_demo_dossiers, args=(settings, pending), name="demo-dossiers", daemon=True
    ).start()


def _issue_demo_dossiers(settings: Settings, pending: tuple[PendingDossier, ...]) -> None:
    from demo.loader import issue_pending

    time.sleep(1.0)  # let the server come up first
    app = Sprachrohr(env=settings.event_store_env(), time_zone=settings.time_zone)
    try:
        issue_pending(app, pending, ensure_signing_key(settings))
        print(f"The demo's {len(pending)} briefing dossiers are issued.", flush=True)
    except Exception:
        logging.getLogger(__name__).exception("issuing the demo's dossiers failed")
        raise
    finally:
        app.close()


def _progress() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=real(console),
    )


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (SPRACHROHR_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (SPRACHROHR_PORT)")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Processes (SPRACHROHR_WORKERS)")
    ] = None,
    projector: Annotated[
        bool | None,
        typer.Option(
            "--projector/--no-projector",
            help="Run a projector in the server processes (SPRACHROHR_RUN_PROJECTOR);"
            " off when a `sprachrohr project` worker keeps the views",
        ),
    ] = None,
    load_demo_if_empty: Annotated[
        bool, typer.Option(help="Load the demo association into an empty store first")
    ] = False,
) -> None:
    """Start the HTTP server (JSON API under /api/v1, docs at /api/docs).

    With --workers N, uvicorn runs N processes that each build the app from the
    environment (`api.main:create_app`); of their projectors one leads, the others
    stand by (docs/deploying.md).
    """
    if projector is not None:  # the worker processes read their settings from the environment
        os.environ["SPRACHROHR_RUN_PROJECTOR"] = "true" if projector else "false"
    settings = Settings()
    child: Supervisor | None = None
    if settings.run_projector and settings.projector == "process":
        # The projector in a child process this one restarts when it dies; the server
        # processes only read the views (docs/operations.md).
        child = Supervisor(
            [sys.executable, "-m", "cli.main", "project"],
            name="projector child",
            env={**os.environ, "SPRACHROHR_RUN_PROJECTOR": "true"},
        )
        os.environ["SPRACHROHR_RUN_PROJECTOR"] = "false"
    runtime = build_runtime(settings)
    pending: tuple[PendingDossier, ...] = ()
    try:
        ensure_bootstrap_admin(runtime)
        _announce_signing_key(runtime)
        if load_demo_if_empty and not holds_association(runtime.app):
            pending = _load_demo(runtime, defer_dossiers=True).pending_dossiers
    finally:
        runtime.close()
    if pending:
        _issue_in_background(settings, pending)
    host = host or settings.host
    port = port or settings.port
    print(
        f"Serving on http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)", flush=True
    )
    if child is None:
        _run_server(host, port, workers or settings.workers)
        return
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
    # uvicorn (one process) ends by raising the signal that stopped it again, with the
    # handler it found in place: this one, so that the child stops before the server.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stopped_by)
    # Once the server listens: the two would otherwise share the CPU while it starts.
    child.start(when=lambda: _listening(host, port))
    stopped: int | None = None
    try:
        _run_server(host, port, workers or settings.workers)
    except _Stopped as signalled:
        stopped = signalled.signum
    finally:
        child.stop()
    if stopped is not None:  # exit as the signal would have ended the process
        signal.signal(stopped, signal.SIG_DFL)
        signal.raise_signal(stopped)


def _listening(host: str, port: int) -> bool:
    """Whether a server accepts connections at host:port (for 0.0.0.0 or ::, locally)."""
    address = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104 (connects)
    try:
        with socket.create_connection((address, port), timeout=0.2):
            return True
    except OSError:
        return False


class _Stopped(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stopped_by(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _run_server(host: str, port: int, workers: int) -> None:
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=os.environ.get("SPRACHROHR_LOG_LEVEL", "info"),
    )


def _announce_signing_key(runtime: Runtime) -> None:
    """Load the signing key (without a configured one, the development key is created
    and a warning says so) and name it."""
    key = runtime.signing_key()
    print(f"Dossiers are signed with the key {fingerprint(key.public_key())}.", flush=True)


@cli.command()
def project() -> None:
    """Run the projection worker: keep the views up to date with the event log (no HTTP).

    One worker leads (it holds the projector lock); start a second one as a hot
    standby that takes over when the first stops or dies. Stops gracefully on
    SIGTERM or SIGINT; exits with 1 when a view failed to apply an event.
    """
    logging.basicConfig(
        level=os.environ.get("SPRACHROHR_LOG_LEVEL", "info").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    settings = Settings()
    # Before any thread starts (each inherits it): the requests of a server on the same
    # cores go first, the views catch up in the time left over (ADR 028).
    os.nice(settings.projector_nice)
    with running(settings) as runtime:
        runtime.start_projector(catch_up_first=False)
        runtime.start_mailer()
        while runtime.projector_running and not stop.wait(0.5):
            if orphaned():  # started by `serve`, which is gone (killed -9)
                stop.set()
    if runtime.projector.failure is not None or not stop.is_set():
        raise typer.Exit(1)  # a view failed, or the projector ended unexpectedly


@cli.command()
def demo() -> None:
    """Load the demo association into an empty store (refuses a non-empty one)."""
    with running(Settings()) as runtime:
        ensure_bootstrap_admin(runtime)
        if holds_association(runtime.app):
            console.print("[red]The store is not empty; the demo needs an empty store.[/red]")
            raise typer.Exit(1)
        _load_demo(runtime)


@cli.command("rebuild-projections")
def rebuild_projections() -> None:
    """Drop every view and rebuild it from the event log."""
    with running(Settings()) as runtime, _progress() as progress:
        task = progress.add_task("rebuilding views", total=runtime.projector.head() or None)
        position = runtime.projector.rebuild(
            lambda done, total: progress.update(task, completed=done, total=total)
        )
    console.print(f"Views rebuilt up to log position {position}.")


@users.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True, help="E-mail address to sign in with")],
    display_name: Annotated[str, typer.Option(prompt=True)] = "Administrator",
) -> None:
    """Create an admin (password from SPRACHROHR_NEW_PASSWORD or asked for)."""
    import getpass

    password = os.environ.get("SPRACHROHR_NEW_PASSWORD") or getpass.getpass("Password: ")
    if len(password) < MIN_PASSWORD:
        console.print(f"[red]The password needs at least {MIN_PASSWORD} characters.[/red]")
        raise typer.Exit(2)
    with running(Settings()) as runtime:
        try:
            created = runtime.app.ensure_admin(email, display_name, hash_password(password))
        except DomainError as error:
            console.print(f"[red]{error.message}[/red] ({error.code})")
            raise typer.Exit(2) from None
    if not created:
        console.print(f"[red]A person with the e-mail {email} exists already.[/red]")
        raise typer.Exit(1)
    console.print(f"Admin {email} created.")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
