"""Assembles the running system from settings: application, views, projector."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from uuid import UUID

from notify.mailer import FileTransport, MailSender, SmtpTransport, Transport
from projections.catalog import all_views, views_fingerprint
from projections.news import LocalNews, PostgresNews, SQLiteNews, ViewsListener, views_channel
from projections.runner import FileLead, Lead, PostgresLead, Projector, advisory_key
from projections.store import PostgresViewStore, SQLiteViewStore, ViewStore
from service.accounts import Accounts, Hashing
from service.application import Outcome, Sprachrohr
from service.security import hash_password, verify_password
from service.settings import Settings
from storage.outbox import Outbox, PostgresOutbox, SQLiteOutbox
from storage.postgres import create_schema, postgres_conninfo, setting_up

log = logging.getLogger(__name__)
#: The view tables that copy personal texts (they handle `Person.Erased`).
ERASED_TABLES = ("v_people", "v_comments", "v_evidence")


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

    def scrub_after_erasure(self, position: int, timeout: float = 60.0) -> bool:
        """Once the views include an erasure (its `Person.Erased` blanked the person's
        texts), scrub the files of the tables that held them. False on time-out: the
        next erasure (or `sprachrohr scrub`) scrubs them."""
        if not self.projector.wait_for(position, timeout):
            return False
        self.store.scrub(ERASED_TABLES)
        return True

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


def build_runtime(settings: Settings) -> Runtime:
    env = settings.event_store_env()
    if settings.uses_postgres:
        conninfo = postgres_conninfo(env)
        schema = env.get("POSTGRES_SCHEMA") or os.environ.get("POSTGRES_SCHEMA") or "public"
        with setting_up(conninfo, advisory_key(schema, "setup")):
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


def announce(runtime: Runtime, outcome: Outcome) -> Outcome:
    """Wake the projector after a command so readers see the change promptly."""
    if outcome.position is not None:
        runtime.news.announce()
    return outcome
