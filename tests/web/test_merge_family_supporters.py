"""After a merge the target names every company whose support counts for it, the
duplicates' supporters included: the names agree with the counts."""

from __future__ import annotations

import re

from tests.web.test_pain_point_pages import PpWorld, pp  # noqa: F401 (pp is a fixture)


def test_the_target_names_the_companies_of_its_merged_duplicates(pp: PpWorld) -> None:  # noqa: F811
    app = pp.runtime.app
    people = {
        who: app.find_person_by_email(f"{who}@example.com")
        for who in ("member_a", "member_b", "lead")
    }
    ids = {who: person.id for who, person in people.items() if person is not None}
    duplicate = app.submit_pain_point(
        pp.group, "Restlaufzeiten im Portal falsch", "Doppelt.", [], by=ids["member_b"]
    ).id
    app.give_support(duplicate, by=ids["member_b"])
    app.give_support(pp.pain_point, by=ids["member_a"])
    app.merge(duplicate, pp.pain_point, "Dasselbe Problem", by=ids["lead"])
    pp.runtime.projector.catch_up()

    # Names of people or of companies, as the group's privacy setting lets each reader see.
    for who in ("member_a", "lead", "board"):
        page = pp.page(pp.browser(who)).text
        counted = re.search(r"<strong>(\d+)</strong>\s*member compan", page)
        named = re.search(r"Supported by:?\s+([^<]+)</p>", page)
        assert counted is not None, page
        assert named is not None, page
        assert counted.group(1) == "2"
        assert "Alpha" in named.group(1), who
        assert "Beta" in named.group(1), who
