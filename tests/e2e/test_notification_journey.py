"""A member follows an escalated pain point; the vendor answers; the bell shows it.
A writer @mentions a lead through the comment form's autocomplete; the lead is told."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

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
    if english.count() and english.is_enabled():  # an earlier journey chose German
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


def test_a_mention_offers_allowed_names_only_and_rings_the_mentioned_bell(
    browser: Browser, base_url: str
) -> None:
    """German: "@" and letters offer only names the writer may see (the group's leads
    and the author under the default setting), choosing one inserts it, posting it
    tells the mentioned lead."""
    admin = token(base_url, ADMIN)
    company = api(base_url, "GET", "/companies", admin, params={"limit": 1})["items"][0]["id"]
    about = {"name": "AK Erwähnungen", "kind": "thematic", "description": "Erwähnungen"}
    group = api(base_url, "POST", "/working-groups", admin, json=about)["id"]
    people = {}
    for email, name in (("wanda@erwaehnung.example", "Wanda Schreiber"),
                        ("lea@erwaehnung.example", "Lea Leitung"),
                        ("lena@erwaehnung.example", "Lena Mitglied")):  # fmt: skip
        body = {"email": email, "display_name": name, "company_id": company, "password": PASSWORD}
        people[name] = api(base_url, "POST", "/people", admin, json=body)["id"]
        ref = {"person_id": people[name]}
        api(base_url, "POST", f"/working-groups/{group}/members", admin, json=ref)
    ref = {"person_id": people["Lea Leitung"]}
    api(base_url, "POST", f"/working-groups/{group}/leads", admin, json=ref)
    writer = token(base_url, "wanda@erwaehnung.example")
    body = {"title": "Erwähnung testen", "description": "Wer wird benachrichtigt?", "tags": []}
    pain_point = api(base_url, "POST", f"/working-groups/{group}/pain-points", writer, json=body)

    def german(email: str) -> tuple[BrowserContext, Page]:
        context = browser.new_context(base_url=base_url, locale="de-DE")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url("**/")
        return context, page

    context, page = german("wanda@erwaehnung.example")
    try:
        page.goto(f"/pain-points/{pain_point['id']}")
        field = page.get_by_role("textbox", name="Kommentar schreiben")
        field.press_sequentially("Bitte prüfen, @Le")
        options = page.get_by_role("listbox").get_by_role("option")
        expect(options).to_have_text(["Lea Leitung"])  # not Lena: a member's name is hidden
        expect(field).to_have_attribute(
            "aria-activedescendant", options.first.get_attribute("id") or ""
        )
        expect(page.get_by_role("status").filter(has_text="Angeboten")).to_contain_text("1")
        field.press("Enter")
        expect(field).to_have_value("Bitte prüfen, @Lea Leitung ")
        field.press_sequentially("danke.")
        page.get_by_role("button", name="Kommentar veröffentlichen").click()
        page.wait_for_url("**#comments")
        expect(page.locator("#comments article").first).to_contain_text("@Lea Leitung danke.")
    finally:
        context.close()

    context, page = german("lea@erwaehnung.example")
    try:
        bell = page.get_by_test_id("bell-count")
        for _ in range(20):  # the processor runs a moment after the comment
            if bell.count():
                break
            page.wait_for_timeout(500)
            page.reload()
        expect(bell).to_have_text("1")
    finally:
        context.close()
    lea = token(base_url, "lea@erwaehnung.example")
    inbox = api(base_url, "GET", "/me/notifications", lea, params={"unread": "true"})
    assert [i["kind"] for i in inbox["items"]] == ["pain_point.mentioned"]
    lena = token(base_url, "lena@erwaehnung.example")
    assert api(base_url, "GET", "/me/notifications", lena)["items"] == []
