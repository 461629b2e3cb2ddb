"""A board member prepares the next vendor board meeting, clicked through in Chromium."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.browser_support import screenshot, sign_in

BOARD = "jana.lange@schwabinger-netzwerkhaus.example"


def test_board_member_reviews_the_last_meeting_and_the_promises(page: Page) -> None:
    sign_in(page, BOARD)
    page.get_by_role("link", name="Board").click()
    expect(page.get_by_role("heading", name="Vendor board meetings")).to_be_visible()
    screenshot(page, "board-meetings")

    page.get_by_role("link", name="Inner Circle Lizenzierung").first.click()
    expect(page.get_by_role("heading", name="Inner Circle Lizenzierung")).to_be_visible()
    expect(
        page.get_by_role("heading", name="What changed since the previous meeting")
    ).to_be_visible()
    screenshot(page, "board-meeting", full_page=False)  # the changes section runs long

    page.goto("/board/promises")
    expect(page.get_by_role("heading", name="Promises")).to_be_visible()
    expect(page.get_by_text("overdue").first).to_be_visible()
    screenshot(page, "promises")
