"""Assembles the running system from settings: application, views, projector."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from api.security import hash_password
from api.settings import Settings, postgres_conninfo
from domain.application import Sprachrohr
from projections.catalog import all_views, views_fingerprint
from projections.news import LocalNews, PostgresNews
from projections.runner import Projector
from projections.store import PostgresViewStore, SQLiteViewStore, ViewStore

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    app: Sprachrohr
    store: ViewStore
    projector: Projector
    news: LocalNews
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start_projector(self) -> None:
        """Catch up once, then follow the log in a background thread."""
        self.projector.catch_up()
        self._thread = threading.Thread(
            target=self.projector.run,
            args=(self._stop, self.news.wait),
            name="projector",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self.news.interrupt()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.news.close()
        self.store.close()
        self.app.close()


def create_schema(conninfo: str, schema: str) -> None:
    """The library creates tables, not schemas: create the configured schema once."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


def build_runtime(settings: Settings) -> Runtime:
    env = settings.event_store_env()
    if settings.uses_postgres:
        conninfo = postgres_conninfo(env)
        schema = env.get("POSTGRES_SCHEMA") or os.environ.get("POSTGRES_SCHEMA") or "public"
        create_schema(conninfo, schema)
        app = Sprachrohr(env=env)
        store: ViewStore = PostgresViewStore(conninfo, schema=schema)
        news: LocalNews = PostgresNews(conninfo, channel=f"{Sprachrohr.name.lower()}_events")
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        app = Sprachrohr(env=env)
        store = SQLiteViewStore(settings.data_dir / "views.sqlite")
        news = LocalNews()
    projector = Projector(app.recorder, app.mapper, store, all_views(store.dialect))
    projector.setup(views_fingerprint())
    return Runtime(settings, app, store, projector, news)


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
