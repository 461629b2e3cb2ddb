"""Assembles the running system from settings: application, views, projector."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from uuid import UUID

import psycopg
from psycopg import sql

from api.security import hash_password, verify_password
from api.settings import Settings, postgres_conninfo
from domain.application import Sprachrohr
from notify.mailer import FileTransport, MailSender, SmtpTransport, Transport
from projections.catalog import all_views, views_fingerprint
from projections.news import LocalNews, PostgresNews, SQLiteNews, ViewsListener, views_channel
from projections.runner import FileLead, Lead, PostgresLead, Projector, advisory_key
from projections.store import PostgresViewStore, SQLiteViewStore, ViewStore
from service.accounts import Accounts, Hashing
from service.email_change import EmailChanges
from storage.outbox import Outbox, PostgresOutbox, SQLiteOutbox

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    app: Sprachrohr
    store: ViewStore
    projector: Projector
    news: LocalNews
    #: The projector lock: at most one process follows the log for these views.
    lead: Lead
    outbox: Outbox
    #: Sends what the outbox holds; one process leads (mail_lead), the others stand by.
    mailer: MailSender
    mail_lead: Lead
    #: On PostgreSQL: hears the projector's commits from other processes.
    listener: ViewsListener | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _mail_thread: threading.Thread | None = None

    def start_projector(self, *, catch_up_first: bool = True) -> None:
        """Follow the log in a background thread, as the leading projector or its standby.

        If this process takes the projector lock, it first catches up before returning
        (unless `catch_up_first` is off); if another process holds it, the thread waits
        as a hot standby and takes over when that process stops or dies.
        """
        if catch_up_first and self.lead.acquire():
            self.projector.catch_up()
        self._thread = threading.Thread(
            target=self.projector.run,
            args=(self._stop, self.news.wait, self.lead),
            kwargs={"on_standby": self.news.mute},
            name="projector",
            daemon=True,
        )
        self._thread.start()

    @cached_property
    def accounts(self) -> Accounts:
        """Invitations, password reset and change, sessions (service/accounts.py)."""
        return Accounts(
            self.app,
            self.outbox,
            Hashing(hash_password, verify_password),
            public_base=self.settings.public_base,
            association=self.settings.association_name,
            mail_recorded=self.mailer.wake.set,
        )

    @cached_property
    def email_changes(self) -> EmailChanges:
        """E-mail changes confirmed by a link to the new address (service/email_change.py)."""
        return EmailChanges(
            self.app,
            self.outbox,
            public_base=self.settings.public_base,
            association=self.settings.association_name,
            mail_recorded=self.mailer.wake.set,
        )

    def start_mailer(self) -> None:
        """Send the outbox's mails in a background thread (or stand by for the leader)."""
        self._mail_thread = threading.Thread(
            target=self.mailer.run, args=(self._stop, self.mail_lead), name="mailer", daemon=True
        )
        self._mail_thread.start()

    @property
    def projector_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self) -> None:
        self._stop.set()
        self.news.interrupt()
        self.mailer.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._mail_thread is not None:
            self._mail_thread.join(timeout=30)
        self.outbox.close()
        self.lead.release()
        if self.listener is not None:
            self.listener.close()
        self.news.close()
        self.store.close()
        self.app.close()


def create_schema(conninfo: str, schema: str) -> None:
    """The library creates tables, not schemas: create the configured schema once."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


@contextmanager
def setting_up(conninfo: str, schema: str) -> Iterator[None]:
    """Serialise start-up DDL across processes that start together on one schema.

    Concurrent `CREATE … IF NOT EXISTS` and `CREATE OR REPLACE FUNCTION` statements
    can fail on PostgreSQL; a session advisory lock makes the processes take turns.
    """
    with psycopg.connect(conninfo, autocommit=True) as conn:
        key = advisory_key(schema, "setup")
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def build_runtime(settings: Settings) -> Runtime:
    env = settings.event_store_env()
    if settings.uses_postgres:
        conninfo = postgres_conninfo(env)
        schema = env.get("POSTGRES_SCHEMA") or os.environ.get("POSTGRES_SCHEMA") or "public"
        with setting_up(conninfo, schema):
            create_schema(conninfo, schema)
            app = Sprachrohr(env=env, time_zone=settings.time_zone)
            store: ViewStore = PostgresViewStore(conninfo, schema=schema)
            projector = Projector(
                app.recorder,
                app.mapper,
                store,
                all_views(store.dialect),
                channel=views_channel(schema),
            )
            projector.setup(views_fingerprint())
        news: LocalNews = PostgresNews(conninfo, channel=f"{Sprachrohr.name.lower()}_events")
        lead: Lead = PostgresLead(conninfo, advisory_key(schema, projector.name))
        listener = ViewsListener(conninfo, views_channel(schema), projector.advanced)
        projector.on_wait = listener.start
        projector.wait_poll_seconds = 0.5  # the listener wakes readers; this is a fallback
        outbox: Outbox = PostgresOutbox(conninfo, schema)
        mail_lead: Lead = PostgresLead(conninfo, advisory_key(schema, "mailer"))
        return Runtime(
            settings, app, store, projector, news, lead,
            outbox, mail_sender(settings, app, outbox), mail_lead, listener,
        )  # fmt: skip
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Sprachrohr(env=env, time_zone=settings.time_zone)
    store = SQLiteViewStore(settings.data_dir / "views.sqlite")
    projector = Projector(app.recorder, app.mapper, store, all_views(store.dialect))
    projector.setup(views_fingerprint())
    news = SQLiteNews(env.get("SQLITE_DBNAME") or settings.data_dir / "events.sqlite")
    lead = FileLead(settings.data_dir / "projector.lock")
    outbox = SQLiteOutbox(settings.data_dir / "outbox.sqlite")
    mailer = mail_sender(settings, app, outbox)
    return Runtime(
        settings, app, store, projector, news, lead,
        outbox, mailer, FileLead(settings.data_dir / "mailer.lock"),
    )  # fmt: skip


def mail_sender(settings: Settings, app: Sprachrohr, outbox: Outbox) -> MailSender:
    """The outbox's sender: SMTP when configured, else .eml files in DATA_DIR/outbox/."""
    transport: Transport = (
        SmtpTransport(settings.smtp_url)
        if settings.smtp_url
        else FileTransport(settings.data_dir / "outbox")
    )

    def saved(aggregate_id: str) -> bool:
        return bool(app.recorder.select_events(UUID(aggregate_id), limit=1))

    return MailSender(
        outbox,
        transport,
        mail_from=settings.mail_from,
        clock=app.clock,
        exists=saved,
        backoff=timedelta(seconds=settings.mail_retry_seconds),
    )


def ensure_bootstrap_admin(runtime: Runtime) -> bool:
    """Create the configured first admin unless a person with that e-mail exists."""
    email = runtime.settings.bootstrap_admin_email
    password = runtime.settings.bootstrap_admin_password
    if not (email and password):
        return False
    created = runtime.app.ensure_admin(email, "Administrator", hash_password(password))
    if created:
        log.info("created the bootstrap admin %s", email)
        runtime.news.announce()
    return created
