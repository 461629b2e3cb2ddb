"""Accounts in the browser: an invitation from the admin's form to the invited person's
first page, and a forgotten password that signs an older session out. The mails go
through a real SMTP server (aiosmtpd) that the server under test delivers to."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.conftest import free_port, wait_until_ready
from tests.smtp_server import SmtpServer, text_of

ADMIN = "admin@verband.example"
ADMIN_PASSWORD = "admin-password-for-e2e"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/(?:invitations|password-reset)/[A-Za-z0-9_-]+")


@dataclass
class Server:
    url: str
    smtp: SmtpServer
    company: str
    group: str

    def api(self, method: str, path: str, token: str | None = None, **kw: object) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.request(method, f"{self.url}/api/v1{path}", headers=headers, timeout=10, **kw)  # type: ignore[arg-type]

    def token(self, email: str, password: str) -> str:
        response = self.api("POST", "/auth/token", data={"username": email, "password": password})
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def link_to(self, address: str) -> str:
        """The link in the (only) mail to `address`."""
        for _ in range(150):
            mine = [m for m in self.smtp.inbox.mails if m["To"] == address]
            if mine:
                found = LINK.search(text_of(mine[-1]))
                assert found is not None
                return found.group(0)
            self.smtp.inbox.wait_for(len(self.smtp.inbox.mails) + 1, timeout=0.2)
        raise AssertionError(f"no mail to {address}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    smtp = SmtpServer().start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SPRACHROHR_DATA_DIR": str(tmp_path_factory.mktemp("accounts-var")),
        "SPRACHROHR_SMTP_URL": smtp.url,
        "SPRACHROHR_PUBLIC_URL": url,
        "SPRACHROHR_MAIL_RETRY_SECONDS": "0.5",
        "SPRACHROHR_BOOTSTRAP_ADMIN_EMAIL": ADMIN,
        "SPRACHROHR_BOOTSTRAP_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SPRACHROHR_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        wait_until_ready(url)
        staged = Server(url, smtp, "", "")
        admin = staged.token(ADMIN, ADMIN_PASSWORD)
        company = staged.api("POST", "/companies", admin, json={"name": "Alpha Systemhaus GmbH"})
        lizenzen = {"name": "Lizenzen", "kind": "thematic", "description": ""}
        group = staged.api("POST", "/working-groups", admin, json=lizenzen)
        yield Server(url, smtp, company.json()["id"], group.json()["id"])
    finally:
        process.terminate()
        process.wait(timeout=30)
        smtp.stop()


def context(browser: Browser, server: Server) -> BrowserContext:
    made = browser.new_context(base_url=server.url, locale="en-GB")
    made.set_default_timeout(15_000)
    return made


def sign_in(ctx: BrowserContext, email: str, password: str) -> None:
    page = ctx.new_page()
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.close()


def test_an_invitation_from_the_form_to_a_signed_in_enrolled_member(
    browser: Browser, server: Server
) -> None:
    admin = context(browser, server)
    sign_in(admin, ADMIN, ADMIN_PASSWORD)
    page = admin.new_page()
    page.goto("/invitations")
    page.get_by_label("Name").fill("Nora Neu")
    page.get_by_label("E-mail address").fill("nora@alpha.example")
    page.get_by_label("Company").select_option(label="Alpha Systemhaus GmbH")
    page.get_by_label("Lizenzen").check()
    page.get_by_label("Language of the e-mail").select_option("en")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("The invitation has been sent.")
    expect(page.get_by_role("table")).to_contain_text("nora@alpha.example")

    invited = context(browser, server)
    welcome = invited.new_page()
    welcome.goto(server.link_to("nora@alpha.example"))
    expect(welcome.get_by_role("heading", level=1)).to_have_text("Welcome, Nora Neu")
    welcome.get_by_label("Password").fill("Noras eigenes langes Passwort")
    welcome.get_by_role("button", name="Set password and sign in").click()
    welcome.wait_for_url(f"{server.url}/")
    welcome.goto("/account")
    expect(welcome.get_by_role("heading", level=1)).to_have_text("My account")

    token = server.token("nora@alpha.example", "Noras eigenes langes Passwort")
    me = server.api("GET", "/me", token).json()
    assert [g["id"] for g in me["groups"]] == [server.group]
    admin.close()
    invited.close()


def test_a_forgotten_password_is_replaced_and_an_older_session_is_signed_out(
    browser: Browser, server: Server
) -> None:
    admin = server.token(ADMIN, ADMIN_PASSWORD)
    person = {"email": "otto@alpha.example", "display_name": "Otto", "company_id": server.company,
              "password": "Ottos erstes Passwort"}  # fmt: skip
    assert server.api("POST", "/people", admin, json=person).status_code == 201
    older = context(browser, server)
    sign_in(older, "otto@alpha.example", "Ottos erstes Passwort")

    forgetful = context(browser, server)
    page = forgetful.new_page()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill("otto@alpha.example")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account exists")
    page.goto(server.link_to("otto@alpha.example"))
    page.get_by_label("New password").fill("Ottos zweites Passwort")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your new password is set")
    page.get_by_label("E-mail address").fill("otto@alpha.example")
    page.get_by_label("Password").fill("Ottos zweites Passwort")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/")

    stale = older.new_page()
    stale.goto("/account")
    assert "/login" in stale.url
    older.close()
    forgetful.close()
