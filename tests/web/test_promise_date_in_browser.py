"""In Chromium, in German: a vendor representative who promises something for a day that
has passed is told so next to the target date, in the app's own words (the form is
`novalidate`: no browser bubble), and nothing is recorded."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
import uvicorn
from playwright.sync_api import Browser, expect

from api.main import create_app
from domain.ids import SYSTEM
from service import security
from service.runtime import Runtime
from service.settings import Settings

PASSWORD = "vertreter-passwort"
VENDOR = "vera@hersteller.example"


@dataclass
class Site:
    url: str
    runtime: Runtime
    pain_point: UUID


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The service in this process (a server thread) with an escalated pain point and a
    vendor representative."""
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        bootstrap_admin_email="admin@verband.example",
        bootstrap_admin_password="admin-password",
    )
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="browser-test-server")
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        runtime: Runtime = app.state.runtime
        yield Site(f"http://127.0.0.1:{port}", runtime, escalated_pain_point(runtime))
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def escalated_pain_point(runtime: Runtime) -> UUID:
    app = runtime.app
    group = app.found_group("Lizenzen", "thematic", "", by=SYSTEM).id
    company = app.admit_company("Alpha Systemhaus GmbH", by=SYSTEM).id
    secret = security.hash_password(PASSWORD)
    member = app.register_person("anna@alpha.example", "Anna", company, secret, by=SYSTEM).id
    vendor = app.register_person(VENDOR, "Vera", None, secret, by=SYSTEM).id
    app.grant_role(vendor, "vendor", by=SYSTEM)
    app.enrol(group, member, by=SYSTEM)
    pain_point = app.submit_pain_point(group, "Lizenzportal langsam", "", [], by=member).id
    for status in ("accepted", "escalated"):
        app.change_status(pain_point, status, "geprüft", by=SYSTEM)
    runtime.projector.catch_up()
    return pain_point


def test_a_promise_for_yesterday_is_refused_in_german_next_to_the_target_date(
    browser: Browser, site: Site
) -> None:
    yesterday = site.runtime.app.today() - timedelta(days=1)
    context = browser.new_context(base_url=site.url, locale="de-DE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("E-Mail-Adresse").fill(VENDOR)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(lambda url: "/login" not in url)
        page.goto(f"/vendor/pain-points/{site.pain_point}")

        page.get_by_label("Antwort", exact=True).fill("Wir bauen das Portal um.")
        page.get_by_label("Zusage (optional)").fill("Neues Portal")
        page.get_by_label("Zieldatum").fill(yesterday.isoformat())
        page.get_by_role("button", name="Antwort veröffentlichen").click()

        error = page.locator("#response-due_on-error")
        expect(error).to_have_text("Das Zieldatum darf nicht in der Vergangenheit liegen")
        expect(page.get_by_label("Zieldatum")).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Zusage (optional)")).to_have_value("Neues Portal")
    finally:
        context.close()
    with site.runtime.store.reading() as cur:
        cur.execute("SELECT status FROM v_pain_points WHERE id = ?", (site.pain_point.hex,))
        assert cur.fetchone()[0] == "escalated"
