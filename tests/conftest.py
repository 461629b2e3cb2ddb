"""Fixtures shared by every test tier: settings for each real backend."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, sync_playwright
from psycopg import sql

from service import security
from service.settings import Settings
from tests.smtp_server import SmtpServer

PG_CONNINFO = "host=127.0.0.1 port=5432 user=postgres dbname=test"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
TESTS = Path(__file__).resolve().parent
#: Folders whose every test takes seconds: a browser (e2e), server processes (scale),
#: the 18-month demo association (demo). `make test-fast` leaves them out.
SLOW_FOLDERS = frozenset({"e2e", "scale", "demo"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(TESTS):
            folder = item.path.relative_to(TESTS).parts[0]
            if folder in SLOW_FOLDERS:
                item.add_marker(pytest.mark.slow)


def postgres_settings(**overrides: object) -> Iterator[Settings]:
    """Settings for a fresh schema in the local `test` database, dropped afterwards; the
    files a store keeps beside it (mail outbox, signing key, dossiers) in a temp dir."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    url = f"postgresql://postgres@127.0.0.1:5432/test?schema={schema}"
    own_dir = "data_dir" not in overrides
    if own_dir:
        overrides["data_dir"] = Path(tempfile.mkdtemp(prefix=f"{schema}-"))
    try:
        yield Settings(database_url=url, **overrides)  # type: ignore[arg-type]
    finally:
        if own_dir:
            shutil.rmtree(overrides["data_dir"], ignore_errors=True)  # type: ignore[arg-type]
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for an empty store on each backend: a temp SQLite dir, a PG schema."""
    common = {
        "bootstrap_admin_email": "admin@verband.example",
        "bootstrap_admin_password": "admin-password",
        "login_failures_per_address_per_minute": 1000,
    }
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path / "var", **common)  # type: ignore[arg-type]
    else:
        yield from postgres_settings(data_dir=tmp_path / "var", **common)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, but with the smallest cost: the default costs ~130 ms a hash
    and as much a sign-in, which would dominate every test that builds a world."""
    monkeypatch.setattr(
        security, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free loopback port; `smtp.inbox` holds its mails."""
    server = SmtpServer().start()
    yield server
    server.stop()


#: Debian's Chromium, driven by Playwright (never a downloaded browser).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for every browser test of the session (Playwright's sync API allows
    one running instance per thread)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
