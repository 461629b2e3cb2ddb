"""Sign in with Microsoft in Chromium, through the real OpenID provider: a member signs
in, a colleague asks for access (and is let in by the admin), a foreign tenant is
refused with a clear page."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.oidc.provider_process import (
    CLIENT_ID,
    CLIENT_SECRET,
    CONTOSO,
    free_port,
    running_provider,
)

pytestmark = pytest.mark.slow

ADMIN = {"username": "admin@verband.example", "password": "admin-password"}
PASSWORD = "correct horse battery"


def wait_until_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            if httpx.get(f"{url}/api/v1/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        subprocess.run(["sleep", "0.2"], check=True)  # noqa: S607
    raise RuntimeError("the server did not become ready")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server on a free port, signing in with the provider on another."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_provider(f"{url}/auth/oidc/callback") as provider:
        env = {
            **os.environ,
            "SPRACHROHR_DATA_DIR": str(tmp_path_factory.mktemp("oidc-e2e")),
            "SPRACHROHR_BOOTSTRAP_ADMIN_EMAIL": ADMIN["username"],
            "SPRACHROHR_BOOTSTRAP_ADMIN_PASSWORD": ADMIN["password"],
            "SPRACHROHR_PUBLIC_URL": url,
            "SPRACHROHR_OIDC_ISSUER": provider.issuer,
            "SPRACHROHR_OIDC_CLIENT_ID": CLIENT_ID,
            "SPRACHROHR_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, cwd=Path(__file__).resolve().parents[2],
        )  # fmt: skip
        try:
            wait_until_ready(url, server)
            populate(url)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def populate(url: str) -> None:
    """Contoso (its tenant registered) with Anna; a group Lizenzen."""
    with httpx.Client(base_url=f"{url}/api/v1", timeout=10) as api:
        token = api.post("/auth/token", data=ADMIN).json()["access_token"]
        api.headers["Authorization"] = f"Bearer {token}"

        def ok(response: httpx.Response) -> Any:
            assert response.status_code in (200, 201), response.text
            return response.json()

        company = ok(api.post("/companies", json={"name": "Contoso"}))["id"]
        ok(api.put(f"/companies/{company}/identity-provider", json={"tenant_id": CONTOSO}))
        anna = {"email": "anna.schmidt@contoso.example", "display_name": "Anna Schmidt"}
        ok(api.post("/people", json={**anna, "company_id": company, "password": PASSWORD}))
        group = {"name": "Lizenzen", "kind": "thematic", "description": ""}
        ok(api.post("/working-groups", json=group))


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="en-GB")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def through_microsoft(page: Page, login: str) -> None:
    """From our sign-in page, through the provider's login and consent forms (as far
    as the provider asks: a second sign-in may skip them) back to us."""
    page.goto("/login")
    ours = page.url.split("/login")[0]

    def back_here(url: str) -> bool:
        return url.startswith(ours) and "/login" not in url and "/auth/oidc/" not in url

    def settled(url: str) -> bool:
        return "/interaction/" in url or back_here(url) or "/auth/oidc/" in url

    page.get_by_role("link", name="Sign in with Microsoft").click()
    page.wait_for_url(settled, wait_until="domcontentloaded")
    for _ in range(3):
        if "/interaction/" not in page.url:
            break
        before = page.url
        if page.locator("input[name=login]").count():
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", "any password")
        page.click("button[type=submit]")
        page.wait_for_url(lambda url, before=before: url != before, wait_until="domcontentloaded")
        page.wait_for_url(settled, wait_until="domcontentloaded")
    page.wait_for_load_state("domcontentloaded")


def test_a_member_signs_in_with_microsoft(page: Page, base_url: str) -> None:
    through_microsoft(page, "anna")
    assert page.url == f"{base_url}/"
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_a_colleague_asks_for_access_and_is_let_in(page: Page, base_url: str) -> None:
    through_microsoft(page, "carla")
    assert page.url.endswith("/auth/oidc/request-access")
    assert page.get_by_text("carla.neu@contoso.example").is_visible()
    page.get_by_label("Your name").fill("Carla Neu")
    page.get_by_label("Lizenzen").check()
    page.get_by_role("button", name="Request access").click()
    assert page.locator("#request-pending").is_visible()

    admin = page.context.browser.new_context(base_url=base_url, locale="en-GB")  # type: ignore[union-attr]
    office = admin.new_page()
    office.goto("/login")
    office.get_by_label("E-mail address").fill(ADMIN["username"])
    office.get_by_label("Password").fill(ADMIN["password"])
    office.get_by_role("button", name="Sign in").click()
    office.wait_for_url(f"{base_url}/")
    for _ in range(50):
        office.goto("/admin/access-requests")
        if office.get_by_text("Carla Neu").count():
            break
        office.wait_for_timeout(100)
    office.get_by_role("button", name="Approve").click()
    assert office.locator("#no-pending").is_visible()
    admin.close()

    through_microsoft(page, "carla")
    assert page.url == f"{base_url}/"
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_a_foreign_tenant_is_refused_with_a_clear_page(page: Page) -> None:
    through_microsoft(page, "frank")
    assert page.get_by_role("heading", name="Your organisation is not a member").is_visible()
    assert not page.get_by_role("button", name="Sign out").count()
