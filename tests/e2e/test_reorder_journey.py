"""Reordering in German, in Chromium: the lead's curated list and a meeting's agenda, by
drag and drop and by keyboard (focus stays on the moved row, a live region announces
it), and every missing reason of the curated list reported at once."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.browser_support import ADMIN, MEMBER, german_page, screenshot
from tests.e2e.test_accessibility import BOARD, first_link, sign_in

ROWS = "ol.reorder > li"


@pytest.fixture
def german(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from german_page(browser, base_url, height=2000)  # every row on screen while dragging


def order(page: Page, name: str) -> list[str]:
    values: list[str] = page.locator(f'ol.reorder input[name="{name}"]').evaluate_all(
        "inputs => inputs.map(i => i.value)"
    )
    return values


def drag_to_top(page: Page, index: int) -> None:
    rows = page.locator(ROWS)
    rows.nth(index).locator("[data-drag-handle]").drag_to(
        rows.nth(0), target_position={"x": 40, "y": 4}
    )


def press_down_on_first_row(page: Page, name: str) -> tuple[list[str], Locator]:
    """Press Enter on the first row's "Nach unten": the row moves, focus stays on it."""
    before = order(page, name)
    button = page.locator(ROWS).nth(0).get_by_role("button", name=re.compile("^Nach unten"))
    button.focus()
    page.keyboard.press("Enter")
    expected = [before[1], before[0], *before[2:]]
    assert order(page, name) == expected
    focused = page.evaluate("document.activeElement && document.activeElement.value")
    assert focused == f"down:{before[0]}"
    return expected, page.locator(ROWS).nth(1)


def test_the_lead_reorders_the_curated_list_and_sees_every_missing_reason(german: Page) -> None:
    page = german
    sign_in(page, MEMBER)
    page.goto("/")
    group = first_link(page, "/groups/").split("?")[0].split("#")[0]
    sign_in(page, ADMIN)
    page.goto(f"{group}/curated/edit")
    expect(page.get_by_role("heading", name="Kuratierte Liste bearbeiten")).to_be_visible()
    while page.locator(f"{ROWS} .status").count():  # rows no longer open cannot be listed
        page.locator(ROWS).filter(has=page.locator(".status")).first.get_by_role(
            "button", name=re.compile("^Entfernen")
        ).click()
    start = order(page, "pain_point")
    assert len(start) >= 5, "the demo lists 5 to 8 pain points"

    # Drag and drop: each row in turn dragged to the top reverses the list.
    for index in range(1, len(start)):
        drag_to_top(page, index)
    assert order(page, "pain_point") == list(reversed(start))
    positions = page.locator(f"{ROWS} [data-position]").all_inner_texts()
    assert positions == [str(n) for n in range(1, len(start) + 1)]
    expect(page.locator("#reorder-live")).to_contain_text("steht jetzt an Position 1 von")

    # Keyboard: "Nach unten" on the first row.
    expected, moved = press_down_on_first_row(page, "pain_point")
    title = moved.get_attribute("data-title")
    expect(page.locator("#reorder-live")).to_have_text(
        f"„{title}“ steht jetzt an Position 2 von {len(start)}."
    )

    # No reasons at all: publishing reports every departing row at once.
    page.locator('ol.reorder input[name="rationale"]').evaluate_all(
        "inputs => inputs.forEach(i => { i.value = '' })"
    )
    departing = page.locator(f"{ROWS}.departs").count()
    assert departing >= 2, "reversing the list makes several rows depart"
    page.get_by_role("button", name="Liste veröffentlichen").click()
    alert = page.locator("#curated-errors")
    expect(alert).to_contain_text(f"{departing} Zeilen weichen ohne Begründung")
    errors = page.locator(f"{ROWS} p.error")
    expect(errors).to_have_count(departing)
    expect(alert.locator("li")).to_have_count(departing)
    screenshot(page, "curated-editor")
    assert order(page, "pain_point") == expected  # the order is kept

    for field in page.locator("[data-when-departs]:not([hidden]) input").all():
        field.fill("Im Arbeitskreis so vereinbart")
    page.get_by_role("button", name="Liste veröffentlichen").click()
    expect(
        page.get_by_text("Die neue Ausgabe der kuratierten Liste wurde veröffentlicht.")
    ).to_be_visible()
    shown = page.locator('#curated table a[href^="/pain-points/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/').pop())"
    )
    assert [s.replace("-", "") for s in shown] == [e.replace("-", "") for e in expected]


def test_the_board_reorders_a_meetings_agenda(german: Page) -> None:
    page = german
    sign_in(page, BOARD)
    page.goto("/board")
    page.goto(first_link(page, "/board/meetings/"))
    if page.locator("#agenda-order").count() == 0:  # fewer than two items: add some
        boxes = page.locator('form[action$="/agenda"] input[name="items"]:not(:checked)')
        for _ in range(min(2, boxes.count())):
            boxes.first.check()
        page.locator('form[action$="/agenda"] button.primary').click()
    expect(page.get_by_role("heading", name="Reihenfolge der Tagesordnung")).to_be_visible()
    dirty = page.locator("#agenda-order-dirty")
    expect(dirty).to_be_hidden()

    expected, _ = press_down_on_first_row(page, "items")
    expect(page.locator("#agenda-order-live")).to_contain_text("steht jetzt an Position 2 von")
    expect(dirty).to_be_visible()
    last = len(expected) - 1
    drag_to_top(page, last)
    expected = [expected[last], *expected[:last]]
    assert order(page, "items") == expected

    page.get_by_role("button", name="Reihenfolge speichern").click()
    expect(
        page.get_by_text("Die neue Reihenfolge der Tagesordnung wurde gespeichert.")
    ).to_be_visible()
    shown = page.locator('#agenda ~ .table-wrap a[href^="/pain-points/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/').pop())"
    )
    assert shown == expected
    assert order(page, "items") == expected
