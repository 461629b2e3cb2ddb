"""A member follows an escalated pain point; the vendor answers; the bell shows it."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.browser_support import ADMIN, MEMBER, PASSWORD, sign_in

VENDOR = "vera.vendor@hersteller.example"


def token(base_url: str, email: str) -> dict[str, str]:
    answer = httpx.post(
        f"{base_url}/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def api(base_url: str, method: str, path: str, auth: dict[str, str], **kw: Any) -> Any:
    answer = httpx.request(method, f"{base_url}/api/v1{path}", headers=auth, timeout=30, **kw)
    assert answer.status_code < 300, (path, answer.text)
    return answer.json() if answer.content else None


def test_the_bell_counts_a_vendor_answer_and_the_pages_show_it(page: Page, base_url: str) -> None:
    admin = token(base_url, ADMIN)
    person = {"email": VENDOR, "display_name": "Vera Vendor", "company_id": None,
              "password": PASSWORD}  # fmt: skip
    vendor_id = api(base_url, "POST", "/people", admin, json=person)["id"]
    api(base_url, "POST", f"/people/{vendor_id}/roles", admin, json={"role": "vendor"})
    vendor, member = token(base_url, VENDOR), token(base_url, MEMBER)
    escalated = api(base_url, "GET", "/vendor/pain-points", vendor, params={"limit": 100})
    items = escalated["items"] if isinstance(escalated, dict) else escalated
    followed = None
    for item in items:
        answer = httpx.put(
            f"{base_url}/api/v1/pain-points/{item['id']}/follow", headers=member, timeout=30
        )
        if answer.status_code == 200:
            followed = item
            break
    assert followed is not None, "the member sees no escalated pain point"
    body = {"kind": "planned", "text": "Wir beheben das im nächsten Release."}
    api(base_url, "POST", f"/pain-points/{followed['id']}/responses", vendor, json=body)

    sign_in(page, MEMBER)
    english = page.locator('form[action="/language"] button[value="en"]')
    if english.count():  # an earlier journey left this member reading German
        english.click()
        page.wait_for_load_state()
    bell = page.get_by_test_id("bell-count")
    for _ in range(20):  # the processor runs a moment after the answer
        if bell.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(bell).to_be_visible()
    assert int(bell.inner_text()) >= 1
    page.locator("a.bell").click()
    page.wait_for_url("**/notifications")
    expect(page.get_by_text("The vendor responded officially").first).to_be_visible()
    expect(page.get_by_role("link", name=followed["title"]).first).to_be_visible()

    page.get_by_role("link", name="E-mail settings").click()
    page.get_by_label("Weekly digest (Mondays)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    settings = api(base_url, "GET", "/me/notification-settings", member)
    assert settings["email"] == "weekly"
