"""Assembles the running system from settings: application, views, projector."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain import calendar
from domain.person import Person
from dossiers.signing import fingerprint
from notify import digest
from notify.inbox import tell_admins
from notify.mailer import (
    FileTransport,
    MailSender,
    SmtpTransport,
    Transport,
    forget_mail_files,
)
from notify.processor import (
    Loader,
    News,
    NotificationView,
    notification_processor,
    start_at_tail,
)
from notify.webhooks import WebhookFanOut, WebhookSender
from projections.board_queries import open_commitments_due_before
from projections.catalog import all_views, views_fingerprint
from projections.chain_view import Departure, Locate, check_log, stored_heads
from projections.doorbell import Doorbell
from projections.news import LocalNews, PostgresNews, SQLiteNews, ViewsListener, views_channel
from projections.runner import FileLead, Lead, PostgresLead, Projector, advisory_key
from projections.store import PostgresViewStore, SQLiteViewStore, ViewStore
from service.accounts import Accounts, Hashing
from service.application import Outcome, Sprachrohr
from service.digests import DigestJob
from service.email_change import EmailChanges
from service.security import hash_password, verify_password
from service.settings import Settings
from service.signing_key import create_key, load_private_key
from storage.outbox import Outbox, PostgresOutbox, SQLiteOutbox
from storage.webhooks import Webhook, Webhooks

log = logging.getLogger(__name__)
#: How often the leading notification processor looks for mails that are due.
DIGEST_SECONDS = 5.0
#: How often the leading notification processor looks for commitments past due.
OVERDUE_SECONDS = 600.0
#: The view tables that copy personal texts (they handle `Person.Erased`).
ERASED_TABLES = ("v_people", "v_comments", "v_evidence", "v_access_requests")


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
    #: The notification processor (notify/processor.py) and its own lock.
    notifications: Projector | None = None
    notifications_lead: Lead | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _mail_thread: threading.Thread | None = None
    _notify_thread: threading.Thread | None = None
    _signing_key: Ed25519PrivateKey | None = None

    def __post_init__(self) -> None:
        """The webhooks: fed by the notification processor, sent by the outbox's loop."""
        if self.notifications is not None:
            fan_out = WebhookFanOut(self.webhooks, self.outbox, self.settings.public_base)

            def on_news(news: News, position: int, at: datetime) -> None:
                data = {
                    "id": str(news.subject_id),
                    "group_id": str(news.group_id) if news.group_id else None,
                    "title": news.title,
                    "detail": news.detail,
                    "link": news.link,
                }
                fan_out.record(news.kind, position, data, at)

            for view in self.notifications.views:
                if isinstance(view, NotificationView):
                    view.on_news = on_news
        self.mailer.also.append(self.webhook_sender.send_due)

    @cached_property
    def webhooks(self) -> Webhooks:
        return Webhooks(self.outbox)

    @cached_property
    def webhook_sender(self) -> WebhookSender:
        def disabled(hook: Webhook) -> None:
            tell_admins(
                self.store, "webhook.disabled", hook.id, hook.description or hook.url,
                hook.url, f"/api/v1/webhooks/{hook.id}", self.app.clock(),
            )  # fmt: skip

        return WebhookSender(
            self.outbox,
            self.webhooks,
            clock=self.app.clock,
            allow_private=self.settings.webhooks_allow_private,
            tell_admins=disabled,
        )

    def signing_key(self) -> Ed25519PrivateKey:
        """The key that signs dossiers (a development key is created on first use)."""
        if self._signing_key is None:
            self._signing_key = ensure_signing_key(self.settings)
        return self._signing_key

    def stored_chain(self, after: int, limit: int) -> list[tuple[int, str]]:
        with self.store.reading() as cur:
            return stored_heads(cur, after, limit)

    @property
    def locate(self) -> Locate:
        """Names the first position up to a given one where the log departs from the chain."""

        def first_departure(position: int) -> Departure | None:
            until = min(position, self.projector.position())
            app = self.app
            return check_log(app.recorder, app.mapper, self.stored_chain, until).departure

        return first_departure

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
        self.start_notifications()

    def start_notifications(self) -> None:
        """Turn events into notifications in a background thread (or stand by)."""
        if self.notifications is None or self._notify_thread is not None:
            return
        # Only a processor that runs begins at the tail: `sprachrohr demo` or an import
        # before the first start leave nothing to notify about.
        start_at_tail(self.notifications)
        stop = self._stop
        last = [0.0]
        overdue_checked = [0.0]

        def between_batches(timeout: float) -> None:
            """While leading: mail what is due (at most every DIGEST_SECONDS), then wait."""
            if time.monotonic() - last[0] >= DIGEST_SECONDS:
                last[0] = time.monotonic()
                try:
                    if time.monotonic() - overdue_checked[0] >= OVERDUE_SECONDS:
                        overdue_checked[0] = time.monotonic()
                        self.note_overdue_commitments()
                    self.digests.run(self.app.clock())
                except Exception:
                    log.exception("the digest pass failed; trying again")
            stop.wait(timeout)

        self._notify_thread = threading.Thread(
            target=self.notifications.run,
            args=(stop, between_batches, self.notifications_lead),
            name="notifications",
            daemon=True,
        )
        self._notify_thread.start()

    def note_overdue_commitments(self) -> int:
        """Record each open commitment whose target date has passed as overdue (an
        event, once); how many were recorded now."""
        today = calendar.today(self.app.clock(), self.settings.time_zone)
        with self.store.reading() as cur:
            due = open_commitments_due_before(cur, today.isoformat())
        noted = 0
        for response_id in due:
            if self.app.note_overdue(UUID(response_id)).changed:
                noted += 1
        if noted:
            self.news.announce()
        return noted

    def complete_erasure(self, position: int, email: str, timeout: float = 60.0) -> bool:
        """After `erase_person`: delete the outbox's messages to the person's address;
        once the views include the erasure (its `Person.Erased` blanked the person's
        texts), scrub the files of the tables that held them. False on time-out (the
        next erasure's scrub covers them: it rewrites the same tables)."""
        if email:
            self.outbox.forget_recipient(email)
            forget_mail_files(self.settings.data_dir / "outbox", email)
        if not self.projector.wait_for(position, timeout):
            return False
        self.store.scrub(ERASED_TABLES)
        return True

    @cached_property
    def digests(self) -> DigestJob:
        """Notification mails, immediately or as digests (notify/digest.py)."""

        def find_person(person_id: UUID) -> Person | None:
            return self.app.find(Person, person_id, readonly=True)

        return DigestJob(
            self.store,
            self.outbox,
            find_person=find_person,
            secret=lambda: self.app.keys.secret("unsubscribe"),
            public_base=self.settings.public_base,
            association=self.settings.association_name,
            time_zone=self.settings.time_zone,
            mail_recorded=self.mailer.wake.set,
        )

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
        if self._notify_thread is not None:
            self._notify_thread.join(timeout=10)
        if self.notifications_lead is not None:
            self.notifications_lead.release()
        self.outbox.close()
        self.lead.release()
        if self.listener is not None:
            self.listener.close()
        self.news.close()
        if self.projector.hurry_bell is not None:
            self.projector.hurry_bell.close()
        self.store.close()
        self.app.close()


def build_runtime(settings: Settings) -> Runtime:
    env = settings.event_store_env()
    if settings.uses_postgres:
        from storage.postgres import create_schema, postgres_conninfo, setting_up

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
        projector.hurry_bell = Doorbell(f"postgres {conninfo} {schema}", "hurry-views")
        outbox: Outbox = PostgresOutbox(conninfo, schema)
        mail_lead: Lead = PostgresLead(conninfo, advisory_key(schema, "mailer"))
        notifications = processor(app, store)
        return Runtime(
            settings, app, store, projector, news, lead,
            outbox, mail_sender(settings, app, outbox), mail_lead, listener,
            notifications, PostgresLead(conninfo, advisory_key(schema, notifications.name)),
        )  # fmt: skip
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Sprachrohr(env=env, time_zone=settings.time_zone)
    store = SQLiteViewStore(settings.data_dir / "views.sqlite")
    projector = Projector(app.recorder, app.mapper, store, all_views(store.dialect))
    projector.setup(views_fingerprint())
    # A reader waiting for its own write looks at the tracking row this often: the
    # projector may run in another process (the child of `sprachrohr serve`), which
    # has no way to wake this one on SQLite.
    projector.wait_poll_seconds = 0.005
    news = SQLiteNews(env.get("SQLITE_DBNAME") or settings.data_dir / "events.sqlite")
    projector.hurry_bell = news.bell.sibling("hurry-views")
    lead = FileLead(settings.data_dir / "projector.lock")
    outbox = SQLiteOutbox(settings.data_dir / "outbox.sqlite")
    mailer = mail_sender(settings, app, outbox)
    notifications = processor(app, store)
    return Runtime(
        settings, app, store, projector, news, lead,
        outbox, mailer, FileLead(settings.data_dir / "mailer.lock"), None,
        notifications, FileLead(settings.data_dir / "notifications.lock"),
    )  # fmt: skip


def processor(app: Sprachrohr, store: ViewStore) -> Projector:
    """The notification processor over the views' store, begun at the log's tail."""

    def find(cls: type, aggregate_id: UUID) -> object:
        return app.find(cls, aggregate_id, readonly=True)

    notifications = notification_processor(app.recorder, app.mapper, store, Loader(find), app.clock)
    with store.writing() as cur:
        notifications.views[0].create(cur)
        digest.create(cur)
    return notifications


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


def ensure_signing_key(settings: Settings) -> Ed25519PrivateKey:
    """The configured signing key; without one, the development key under the data
    directory, created (and logged) when it does not exist yet."""
    path = settings.signing_key_path
    if settings.signing_key_file is None and not path.exists():
        try:
            key = create_key(path)
        except FileExistsError:  # another process of this store created it just now
            return load_private_key(path)
        log.warning(
            "created a development signing key %s (fingerprint %s); set"
            " SPRACHROHR_SIGNING_KEY_FILE to the association's key in production",
            path,
            fingerprint(key.public_key()),
        )
        return key
    return load_private_key(path)


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
