"""Fixtures for the API tests: the service on each backend, and a small world in it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from api.main import create_app
from service.application import Sprachrohr
from service.dossier_jobs import DossierJobs
from service.settings import Settings
from storage.postgres import postgres_conninfo
from tests.api.api_world import World, build_world


@pytest.fixture(autouse=True)
def dossiers_in_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compose the many small dossiers of the API tests in a thread; the child process
    is exercised by test_dossier_api.py."""
    monkeypatch.setattr(DossierJobs, "in_child_process", False)


@contextmanager
def prompt_shutdown(settings: Settings) -> Iterator[Callable[[], None]]:
    """On PostgreSQL, shutting down joins a projector thread that sits in a 0.5 s
    LISTEN poll the stop signal does not interrupt. Yields a function that starts
    NOTIFYing the projector's channel until the block ends, so that a test's
    teardown takes milliseconds instead."""
    done = threading.Event()
    nudger: threading.Thread | None = None

    def nudge() -> None:
        conninfo = postgres_conninfo(settings.event_store_env())
        notify = sql.SQL("NOTIFY {}").format(sql.Identifier(f"{Sprachrohr.name.lower()}_events"))
        with psycopg.connect(conninfo, autocommit=True) as conn:
            while not done.wait(0.01):
                conn.execute(notify)

    def start() -> None:
        nonlocal nudger
        if settings.uses_postgres:
            nudger = threading.Thread(target=nudge, name="projector-nudger")
            nudger.start()

    try:
        yield start
    finally:
        done.set()
        if nudger is not None:
            nudger.join()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The service on a fresh store, with its projector running."""
    with prompt_shutdown(settings) as shutting_down, TestClient(create_app(settings)) as client:
        yield client
        shutting_down()


@pytest.fixture
def world(client: TestClient) -> World:
    return build_world(client)
