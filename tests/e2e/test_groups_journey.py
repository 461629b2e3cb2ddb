"""A member finds a working group, asks to join it, its lead agrees, and the member is
in; the roadmap shows the columns with a vendor's promise. Chromium, in German."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser_support import ADMIN, MEMBER, PASSWORD, german_page, screenshot

COLUMNS = [
    "an den Vorstand eskaliert",
    "dem Hersteller vorgestellt",
    "vom Hersteller beantwortet",
    "gelöst",
]


class Api:
    def __init__(self, base_url: str) -> None:
        self.base = f"{base_url}/api/v1"

    def token(self, email: str) -> str | None:
        answer = httpx.post(
            f"{self.base}/auth/token", data={"username": email, "password": PASSWORD}
        )
        return answer.json()["access_token"] if answer.status_code == 200 else None

    def get(self, path: str, email: str) -> Any:
        headers = {"Authorization": f"Bearer {self.token(email)}"}
        answer = httpx.get(f"{self.base}{path}", headers=headers, params={"limit": 100})
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture
def german(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from german_page(browser, base_url)


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)


def a_group_to_join(api: Api) -> tuple[dict[str, Any], str]:
    """A group the member is not in whose lead can sign in, named after the member's first
    group (so the member's first group stays the same for the other journeys)."""
    mine = api.get("/working-groups", MEMBER)["items"]
    first = api.get("/me", MEMBER)["groups"][0]["name"]
    for group in mine:
        if group["my_status"] != "none" or group["name"] <= first or not group["leads"]:
            continue
        for lead in group["leads"]:
            email = api.get(f"/people/{lead}", ADMIN)["email"]
            if email and api.token(email):
                return group, email
    raise AssertionError("the demo has no group the member could join")


def test_member_asks_to_join_and_the_lead_agrees(german: Page, base_url: str) -> None:
    api = Api(base_url)
    group, lead = a_group_to_join(api)
    page = german
    sign_in(page, MEMBER)

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Arbeitskreise"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbeitskreise")
    card = page.locator(f"#group-{group['id'].replace('-', '')}")
    expect(card.get_by_role("heading", name=group["name"])).to_be_visible()
    card.get_by_role("button", name=re.compile("^Beitritt beantragen")).click()
    expect(page.locator(".flash")).to_have_text(
        "Ihr Antrag ist gestellt: Die Leitung des Arbeitskreises entscheidet darüber."
    )
    expect(card.get_by_test_id("my-status")).to_contain_text("Antrag offen")
    screenshot(page, "groups-directory")

    sign_in(page, lead)
    page.goto("/groups")
    card.get_by_role("link", name=re.compile(r"möchten? beitreten")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beitrittsanfragen")
    name = api.get("/me", MEMBER)["display_name"]
    row = page.locator("#join-requests li").filter(has_text=name)
    row.get_by_role("button", name="Zustimmen").click()
    expect(page.locator("#join-requests li").filter(has_text=name)).to_have_count(0)

    sign_in(page, MEMBER)
    page.goto("/groups")
    expect(card.get_by_test_id("my-status")).to_contain_text("Sie sind Mitglied")
    card.get_by_role("link", name=group["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(group["name"])
    told = "Ihr Beitrittsantrag wurde angenommen"
    for _ in range(50):  # the notification processor runs beside the server
        page.goto("/notifications")
        if told in page.locator("main").inner_text():
            break
        time.sleep(0.2)
    expect(page.locator("main")).to_contain_text(told)


def test_the_roadmap_shows_the_columns_with_a_promise(german: Page, base_url: str) -> None:
    api = Api(base_url)
    for group in api.get("/working-groups", ADMIN)["items"]:
        roadmap = api.get(f"/working-groups/{group['id']}/roadmap", ADMIN)
        cards = [card for column in roadmap["columns"] for card in column["items"]]
        promised = [card for card in cards if card["commitments"]]
        if promised:
            break
    else:
        raise AssertionError("the demo has no roadmap with a promise")
    page = german
    sign_in(page, ADMIN)
    page.goto(f"/groups/{group['id'].replace('-', '')}")
    page.locator("#roadmap-link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Roadmap: {group['name']}")
    headings = page.locator(".roadmap h2").all_inner_texts()
    assert [re.sub(r"\s*\(\d+\)$", "", h) for h in headings] == COLUMNS
    card = page.locator(".roadmap li.card").filter(has_text=promised[0]["title"]).first
    promise = promised[0]["commitments"][0]
    expect(card).to_contain_text(promise["commitment"])
    expect(card).to_contain_text("Zieldatum")
    state = {
        "open": "offen",
        "met": "eingehalten",
        "missed": "nicht eingehalten",
        "overdue": "überfällig",
    }
    expect(card.locator(".status").first).to_have_text(state[promise["state"]])
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()
    screenshot(page, "roadmap")
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.get_by_role("button", name="Drucken")).to_be_hidden()
