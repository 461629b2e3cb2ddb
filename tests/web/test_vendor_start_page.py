"""A vendor representative starts in the vendor's area, with what the vendor still owes
on top, instead of on the members' start page."""

from __future__ import annotations

from tests.web.test_rule_parity import PROMISE, Site, site  # noqa: F401 (site is a fixture)


def test_the_vendor_lands_on_its_own_start_page_with_its_open_promises(site: Site) -> None:  # noqa: F811
    site.web_sign_in("vendor", "de")
    start = site.web("/")
    assert start.status_code == 303
    assert start.headers["location"] == "/vendor"
    page = site.web("/vendor").text
    owed = page[page.index('id="owed-heading"') : page.index('id="vendor-intro"')]
    assert "1 offene Zusage" in owed
    assert PROMISE in owed
    assert "fällig am 30.06.2026" in owed


def test_members_still_start_on_their_overview(site: Site) -> None:  # noqa: F811
    site.web_sign_in("member", "de")
    assert site.web("/").status_code == 200
