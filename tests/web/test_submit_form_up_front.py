"""A member whose company's membership ended is told so on the submit form, before
writing anything, instead of being refused only when they submit."""

from __future__ import annotations

from domain.ids import SYSTEM
from tests.web.test_rule_parity import Site, site  # noqa: F401 (site is a fixture)


def test_an_ended_membership_is_said_before_the_form(site: Site) -> None:  # noqa: F811
    site.web_sign_in("member", "de")
    before = site.web("/pain-points/new")
    assert before.status_code == 200
    assert 'name="title"' in before.text
    assert "Mitgliedschaft Ihres Unternehmens ist beendet" not in before.text

    site.runtime.app.end_membership(site.ids["company"], "Austritt", by=SYSTEM)
    site.runtime.projector.catch_up()
    after = site.web("/pain-points/new")

    assert after.status_code == 200
    assert "Die Mitgliedschaft Ihres Unternehmens ist beendet" in after.text
    assert 'name="title"' not in after.text
