"""A pain point's history groups the supports of a day into one entry, detail on demand."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from api.web.pages.painpoints.page import by_day
from tests.web.test_pain_point_pages import (  # noqa: F401 (pp is a fixture)
    PpWorld,
    csrf_of,
    pp,
)


def event(kind: str, at: datetime) -> dict[str, object]:
    return {"kind": kind, "at": at}


def test_supports_of_one_berlin_day_make_one_entry() -> None:
    events = [
        event("submitted", datetime(2027, 5, 2, 9, tzinfo=UTC)),
        event("support-given", datetime(2027, 5, 2, 23, 30, tzinfo=UTC)),  # 3 May in Berlin
        event("support-given", datetime(2027, 5, 3, 8, tzinfo=UTC)),
        event("support-withdrawn", datetime(2027, 5, 3, 21, 0, tzinfo=UTC)),  # 3 May, 23:00
        event("commented", datetime(2027, 5, 3, 22, 30, tzinfo=UTC)),
        event("support-given", datetime(2027, 5, 4, 7, tzinfo=UTC)),
    ]
    entries = by_day(events, "Europe/Berlin")
    assert [e["kind"] for e in entries] == ["submitted", "supports", "commented", "supports"]
    day = entries[1]
    assert (str(day["day"]), day["given"], day["withdrawn"]) == ("2027-05-03", 2, 1)
    assert day["events"] == events[1:4]


def test_the_page_shows_a_days_supports_as_one_collapsible_line(pp: PpWorld) -> None:  # noqa: F811
    for who in ("member_a", "member_b", "lead"):
        browser = pp.browser(who)
        csrf = csrf_of(pp.page(browser))
        given = browser.post(
            f"/pain-points/{pp.pain_point}/support", data={"csrf": csrf, "action": "give"}
        )
        assert given.status_code in (200, 303), given.text
    pp.runtime.projector.catch_up()
    page = pp.page(pp.browser("board")).text
    history = page[page.index('id="history-heading"') :]
    summary = re.search(r"<summary>\s*3 supports on ([^<]+)</summary>", history)
    assert summary is not None, history[:2000]
    assert history.count("<details") == 1
    assert history.count("supports it.") == 3  # the detail, inside the <details>
