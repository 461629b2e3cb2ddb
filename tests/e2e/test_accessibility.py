"""axe-core finds no accessibility violation on the pages people use most, in German
(the start, group, pain point, submit, directory, roadmap, curated editor, board
meeting and vendor pages).

axe-core is the npm package in tests/e2e/axe/ (package.json and lock committed; the
fixture runs `npm ci` there when node_modules is missing). The test injects it into each
page (the context bypasses the CSP for that one script) and runs every rule axe has.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.browser_support import ADMIN, MEMBER, PASSWORD, german_page

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BOARD = "jana.lange@schwabinger-netzwerkhaus.example"
VENDOR = "katharina.albers@vendor.example"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        npm = shutil.which("npm")
        assert npm is not None, "the accessibility test needs npm to install axe-core"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, check=True, timeout=300)
    return AXE


@pytest.fixture
def german(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from german_page(browser, base_url, bypass_csp=True)


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    page.wait_for_url(lambda url: "/login" not in url)


def violations(page: Page, axe: Path) -> list[str]:
    page.add_script_tag(path=str(axe))
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in json.loads(result)
    ]


def first_link(page: Page, prefix: str, *, excluding: str = "\0") -> str:
    for href in page.locator(f'main a[href^="{prefix}"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    ):
        if not href.startswith(excluding):
            return str(href)
    raise AssertionError(f"no link to {prefix} on {page.url}")


def test_the_most_used_pages_have_no_axe_violations(german: Page, axe_script: Path) -> None:
    page, found = german, {}
    sign_in(page, MEMBER)
    visited = ["/"]
    page.goto("/")
    group = first_link(page, "/groups/").split("?")[0].split("#")[0]
    pain_point = first_link(page, "/pain-points/", excluding="/pain-points/new")
    visited += [group, pain_point, "/pain-points/new", "/groups", f"{group}/roadmap"]
    for path in visited:
        page.goto(path)
        found[path] = violations(page, axe_script)

    sign_in(page, ADMIN)
    editor = f"{group}/curated/edit"
    page.goto(editor)
    assert page.locator("ol.reorder > li").count() > 1  # the rows with their move buttons
    found[editor] = violations(page, axe_script)

    sign_in(page, BOARD)
    page.goto("/board")
    meeting = first_link(page, "/board/meetings/")
    page.goto(meeting)
    assert page.locator("#agenda-order ~ form ol.reorder > li").count() > 1  # reorder UI
    found[meeting] = violations(page, axe_script)

    sign_in(page, VENDOR)
    page.goto("/vendor")
    found["/vendor"] = violations(page, axe_script)
    item = first_link(page, "/vendor/pain-points/")
    page.goto(item)
    found[item] = violations(page, axe_script)

    assert len(found) == 10
    bad = {path: v for path, v in found.items() if v}
    assert not bad, "\n".join(f"{path}: {v}" for path, v in bad.items())
