"""The office brings its spreadsheets in: upload, read the report, import, download."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from domain.ids import SYSTEM, idempotent_id
from tests.e2e.browser_support import ADMIN, screenshot, sign_in

DATA = Path(__file__).resolve().parents[1] / "service" / "data" / "good"
GROUP = idempotent_id("group", SYSTEM, "import:lizenzen").hex


def test_the_office_imports_its_lists_and_downloads_the_ranking(page: Page) -> None:
    sign_in(page, ADMIN)
    page.goto("/admin/import")
    page.get_by_label("Files").set_input_files(sorted(str(p) for p in DATA.glob("*.csv")))
    page.get_by_role("button", name="Check (nothing is written)").click()
    expect(page.get_by_role("status")).to_contain_text("Every row passes: 11 new")
    screenshot(page, "import-report")
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("status")).to_contain_text("events were written")
    page.goto(f"/groups/{GROUP}")
    expect(
        page.get_by_role("heading", name="Pain points, ranked by breadth of support")
    ).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").first.click()
    assert download.value.suggested_filename == "ranking.xlsx"
