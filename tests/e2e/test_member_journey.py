"""A member's five minutes between customer calls, clicked through in Chromium."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.browser_support import MEMBER, PASSWORD, screenshot, sign_in


def first_group_and_title(base_url: str) -> tuple[str, str]:
    """The member's first group and the title of its top pain point (through the API)."""
    api = f"{base_url}/api/v1"
    token = httpx.post(f"{api}/auth/token", data={"username": MEMBER, "password": PASSWORD}).json()[
        "access_token"
    ]
    headers = {"Authorization": f"Bearer {token}"}
    group = httpx.get(f"{api}/me", headers=headers).json()["groups"][0]["id"]
    ranking = httpx.get(f"{api}/working-groups/{group}/ranking?limit=1", headers=headers).json()
    return group, ranking["items"][0]["title"]


def row_of(page: Page, title: str) -> list[str]:
    """The cells of a pain point's row in the ranking table."""
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def test_member_submits_supports_and_follows_the_ranking(page: Page, base_url: str) -> None:
    group, existing = first_group_and_title(base_url)
    sign_in(page)
    expect(page.get_by_role("heading", name="My overview")).to_be_visible()
    screenshot(page, "overview")

    page.goto(f"/pain-points/new?group={group}")
    words = " ".join(re.findall(r"\w+", existing)[:3])
    page.get_by_label("Title").press_sequentially(words, delay=20)
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text(existing)
    screenshot(page, "submit-with-suggestion")

    title = "Partnerportal verliert Kundenzuordnungen nach dem Update"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Nach jedem Update fehlen Zuordnungen im Portal.")
    page.get_by_role("button", name="Submit the pain point").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()

    page.goto(f"/groups/{group}")
    _, _, score, companies, people, *_ = row_of(page, title)
    assert (score, companies, people) == ("0.00", "0", "0")
    page.get_by_role("link", name=title, exact=True).click()
    support = page.locator("#support-button")
    expect(support).to_have_attribute("aria-pressed", "false")
    support.click()
    expect(support).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#support-live")).to_contain_text("1")
    screenshot(page, "pain-point")

    page.goto(f"/groups/{group}")
    _, _, score, companies, people, *_ = row_of(page, title)
    assert (score, companies, people) == ("0.50", "1", "1")  # one company's first supporter
    screenshot(page, "working-group")

    half_a_year_ago = (date.today() - timedelta(days=183)).isoformat()
    page.get_by_label("As of (end of day)").fill(half_a_year_ago)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#ranking-summary")).to_contain_text("As of ")
    expect(page.get_by_role("link", name=title, exact=True)).to_have_count(0)

    page.get_by_role("button", name="Deutsch").click()
    page.goto("/")
    expect(page.get_by_role("heading", name="Mein Überblick")).to_be_visible()
    screenshot(page, "overview-de")
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
