"""Helpers for the browser tests: signing in, screenshots for the docs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MEMBER = "matthias.peters@taunushoehe-systemhaus.example"
ADMIN = "admin@mspn.example"
PASSWORD = "sprachrohr-demo"


def sign_in(page: Page, email: str = MEMBER, password: str = PASSWORD) -> None:
    """Sign in through the form (the browser asks for English pages)."""
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """Keep docs/screenshots current when asked to (make screenshots)."""
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def german_page(
    browser: Browser, base_url: str, *, height: int = 900, bypass_csp: bool = False
) -> Iterator[Page]:
    """A page in a fresh German browser context (for a fixture to yield from).
    `bypass_csp` only so a test can inject axe-core; the app never needs it."""
    context = browser.new_context(
        base_url=base_url,
        locale="de-DE",
        extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"},
        viewport={"width": 1280, "height": height},
        bypass_csp=bypass_csp,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
