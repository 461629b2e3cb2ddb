"""In German: an author edits their pain point and reads the change in its history; the
group's lead sees the number waiting in the header, triages it from the inbox, and the
number goes down."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser_support import ADMIN, MEMBER, PASSWORD, german_page, screenshot
from tests.e2e.test_accessibility import axe_script, violations

__all__ = ["axe_script"]  # the session fixture, shared with the accessibility test

API = "/api/v1"


def api_token(base_url: str, email: str) -> dict[str, str]:
    form = {"username": email, "password": PASSWORD}
    response = httpx.post(f"{base_url}{API}/auth/token", data=form, timeout=30)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def api_get(base_url: str, path: str, auth: dict[str, str]) -> Any:
    response = httpx.get(f"{base_url}{API}{path}", headers=auth, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def german(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from german_page(browser, base_url, bypass_csp=True)


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)


def waiting(page: Page) -> int:
    """The number beside the header's triage link (0 when none is shown)."""
    count = page.get_by_test_id("triage-count")
    return int(count.inner_text()) if count.count() else 0


def test_author_edits_and_lead_triages_from_the_inbox(
    german: Page, base_url: str, axe_script: Path
) -> None:
    page = german
    member = api_token(base_url, MEMBER)
    group = api_get(base_url, "/me", member)["groups"][0]
    body = {"title": "Lizenzabgleich bricht ab", "description": "Beim Export.", "tags": []}
    submitted = httpx.post(
        f"{base_url}{API}/working-groups/{group['id']}/pain-points",
        json=body, headers=member, timeout=30,
    )  # fmt: skip
    assert submitted.status_code == 201, submitted.text
    pain_point = submitted.json()["id"]

    sign_in(page, MEMBER)
    page.goto(f"/pain-points/{pain_point}")
    page.get_by_text("Titel, Beschreibung und Schlagwörter bearbeiten").click()
    expect(page.get_by_text("Bearbeiten ist möglich, bis die Leitung")).to_be_visible()
    assert violations(page, axe_script) == []
    page.get_by_label("Titel", exact=True).fill("Lizenzabgleich bricht beim Export ab")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.locator(".flash")).to_contain_text("Ihre Änderungen sind gespeichert.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lizenzabgleich bricht beim Export ab"
    )
    expect(page.locator(".timeline")).to_contain_text(
        "Titel geändert von „Lizenzabgleich bricht ab“ zu „Lizenzabgleich bricht beim Export ab“."
    )

    admin = api_token(base_url, ADMIN)
    lead_id = api_get(base_url, f"/working-groups/{group['id']}", admin)["leads"][0]
    lead_ref = lead_id["id"] if isinstance(lead_id, dict) else lead_id
    lead = api_get(base_url, f"/people/{lead_ref}", admin)["email"]
    sign_in(page, lead)
    before = waiting(page)
    assert before >= 1
    page.get_by_role("link", name=re.compile("^Sichtung")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zu sichten")
    assert violations(page, axe_script) == []
    card = page.locator(f"#item-{pain_point.replace('-', '')}")
    expect(card).to_contain_text("Lizenzabgleich bricht beim Export ab")
    expect(card).to_contain_text(group["name"])
    screenshot(page, "triage-inbox")
    card.get_by_label("Neuer Status").select_option(label="angenommen")
    card.get_by_label("Begründung (für die Mitglieder sichtbar)").fill("Betrifft alle")
    card.get_by_role("button", name="Status ändern").click()
    expect(page.locator(".flash")).to_contain_text("Der Status wurde geändert.")
    expect(page.locator(f"#item-{pain_point.replace('-', '')}")).to_have_count(0)
    assert waiting(page) == before - 1
