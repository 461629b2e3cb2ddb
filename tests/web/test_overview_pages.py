"""“Pain points I submitted or support” shows every one of them, a page at a time."""

from __future__ import annotations

import re

from tests.web.test_pain_point_pages import PpWorld, pp  # noqa: F401 (pp is a fixture)

ROW = re.compile(r'<tr><td><a href="/pain-points/([0-9a-f]{32})">')


def mine(html: str) -> list[str]:
    section = html[html.index('id="mine"') :]
    return ROW.findall(section)


def test_the_list_of_my_pain_points_is_paginated(pp: PpWorld) -> None:  # noqa: F811
    app = pp.runtime.app
    author = app.find_person_by_email("member_a@example.com")
    assert author is not None
    for n in range(24):  # 25 with the one already submitted
        app.submit_pain_point(pp.group, f"Problem Nummer {n:02d}", "Text.", [], by=author.id)
    pp.runtime.projector.catch_up()
    browser = pp.browser("member_a")

    first = browser.get("/").text
    second = browser.get("/?mine_page=2").text
    assert len(mine(first)) == 20
    assert len(mine(second)) == 5
    assert not set(mine(first)) & set(mine(second))
    assert 'href="/?mine_page=2#mine" rel="next"' in first
    assert 'href="/?mine_page=1#mine" rel="prev"' in second
    assert 'rel="next"' not in second[second.index('id="mine"') :]
    assert browser.get("/?mine_page=0").status_code == 422
