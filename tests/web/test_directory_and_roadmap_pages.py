"""The working groups' directory and a group's roadmap, as pages in German (issue 17)."""

from __future__ import annotations

import re

from domain.ids import SYSTEM
from tests.web.test_rule_parity import PROMISE, Site, site  # noqa: F401 (site is a fixture)

FLASH = re.compile(r'<p class="flash" role="status">([^<]+)</p>')


def card_of(page: str, group_id: str) -> str:
    """The directory card of one group."""
    start = page.index(f'id="group-{group_id}"')
    return page[start : page.index("</li>", start)]


def test_a_member_asks_to_join_and_withdraws_on_the_directory_page(site: Site) -> None:  # noqa: F811
    g1, g2 = site.ids["g1"].hex, site.ids["g2"].hex
    csrf = site.web_sign_in("member", "de")
    start = site.web("/").text
    assert '<a href="/groups" id="all-groups">Alle Arbeitskreise ansehen' in start
    page = site.web("/groups")
    assert page.status_code == 200
    assert "<h1>Arbeitskreise</h1>" in page.text
    assert "Sie sind Mitglied" in card_of(page.text, g1)
    assert "Leitung: XqLead" in card_of(page.text, g1)  # a member sees the leads' names
    assert "Beitritt beantragen" in card_of(page.text, g2)

    asked = site.client.post(f"/groups/{g2}/join", data={"csrf": csrf}, follow_redirects=False)
    assert asked.status_code == 303
    after = site.web(asked.headers["location"])
    assert FLASH.findall(after.text) == [
        "Ihr Antrag ist gestellt: Die Leitung des Arbeitskreises entscheidet darüber."
    ]
    assert "Antrag offen" in card_of(after.text, g2)
    assert "Antrag zurückziehen" in card_of(after.text, g2)

    taken_back = site.client.post(
        f"/groups/{g2}/join/withdraw", data={"csrf": csrf}, follow_redirects=False
    )
    assert taken_back.status_code == 303
    final = site.web(taken_back.headers["location"])
    assert FLASH.findall(final.text) == ["Ihr Antrag ist zurückgezogen."]
    assert "Beitritt beantragen" in card_of(final.text, g2)


def test_the_lead_sees_the_count_and_agrees_on_the_join_requests_page(site: Site) -> None:  # noqa: F811
    g1 = site.ids["g1"].hex
    outsider_csrf = site.web_sign_in("outsider", "de")
    card = card_of(site.web("/groups").text, g1)
    assert "XqLead" not in card  # no member of G1: no names
    site.client.post(f"/groups/{g1}/join", data={"csrf": outsider_csrf})

    csrf = site.web_sign_in("lead", "de")
    directory = site.web("/groups").text
    assert "1 Person möchte beitreten" in card_of(directory, g1)
    assert "1 Person möchte beitreten" in site.web(f"/groups/{g1}").text
    requests = site.web(f"/groups/{g1}/join-requests").text
    assert "XqOutsider" in requests
    who = site.ids["outsider"].hex
    agreed = site.client.post(
        f"/groups/{g1}/join-requests/{who}/agree", data={"csrf": csrf}, follow_redirects=False
    )
    assert agreed.status_code == 303

    site.web_sign_in("outsider", "de")
    assert "Sie sind Mitglied" in card_of(site.web("/groups").text, g1)
    assert site.web(f"/groups/{g1}").status_code == 200


def test_no_join_without_the_pages_csrf_token_and_none_for_the_vendor(site: Site) -> None:  # noqa: F811
    g2 = site.ids["g2"].hex
    site.web_sign_in("member", "de")
    forged = site.client.post(f"/groups/{g2}/join", data={"csrf": "x"}, follow_redirects=False)
    assert forged.status_code == 403
    assert "Beitritt beantragen" in card_of(site.web("/groups").text, g2)

    site.web_sign_in("vendor", "de")
    assert site.web("/groups").status_code == 404
    assert 'href="/groups"' not in site.web("/vendor").text
    assert site.web(f"/groups/{site.ids['g1'].hex}/roadmap").status_code == 404


def test_an_ended_membership_is_told_before_asking(site: Site) -> None:  # noqa: F811
    site.runtime.app.end_membership(site.ids["company"], "Austritt", by=SYSTEM)
    site.web_sign_in("outsider", "de")
    page = site.web("/groups").text
    assert "Die Mitgliedschaft Ihres Unternehmens ist beendet" in page
    assert "Beitritt beantragen" not in page


def test_the_roadmap_page_shows_the_columns_with_the_promise_in_german(site: Site) -> None:  # noqa: F811
    g1 = site.ids["g1"].hex
    site.web_sign_in("outsider", "de")
    assert site.web(f"/groups/{g1}/roadmap").status_code == 404

    site.web_sign_in("member", "de")
    page = site.web(f"/groups/{g1}/roadmap")

    assert page.status_code == 200
    text = page.text
    assert "<h1>Roadmap: Lizenzen</h1>" in text
    headings = re.findall(r'<h2 id="column-(\w+)">([^<]+)<', text)
    assert [status for status, _ in headings] == ["escalated", "presented", "answered", "resolved"]
    answered = text[text.index('id="roadmap-answered"') : text.index('id="roadmap-resolved"')]
    assert "Partnerregistrierung dauert Wochen" in answered
    assert PROMISE in answered
    assert "Zieldatum 30.06.2026" in answered
    assert ">offen<" in answered
    assert "data-print" in text
    assert re.search(r'src="/static/print\.\w+\.js"', text)


def test_the_page_after_a_form_shows_its_change_without_waiting_in_the_test(site: Site) -> None:  # noqa: F811
    """Post/Redirect/Get reads its own write (api/web/settle.py): the projector lingers
    long here, and the next page is asked for at once, with no catch-up of the test's."""
    assert site.runtime.projector_running
    g2 = site.ids["g2"].hex
    csrf = site.web_sign_in("member", "de")
    site.runtime.projector.linger = 3.0
    asked = site.client.post(f"/groups/{g2}/join", data={"csrf": csrf}, follow_redirects=False)
    assert asked.status_code == 303
    after = site.client.get(asked.headers["location"])
    assert "Antrag offen" in card_of(after.text, g2)
