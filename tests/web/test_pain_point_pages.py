"""The pain-point pages: the page, support (PRG and htmx), submitting, comments, evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.ids import SYSTEM
from projections.ranking_view import find_tally
from service import security
from service.runtime import Runtime
from service.settings import Settings

PASSWORD = "correct horse battery"
ADMIN = ("admin@verband.example", "admin-password")
TITLE = "Lizenzportal meldet falsche Restlaufzeiten"


@dataclass
class PpWorld:
    """Group G1 (member_a of Alpha, member_b of Beta, lead of Beta, nobody without a
    company, ended of a former member), group G2 (outsider), a board member, the admin;
    member_a submitted `pain_point` in G1."""

    client: TestClient
    runtime: Runtime
    group: UUID
    other_group: UUID
    pain_point: UUID

    def browser(self, who: str) -> TestClient:
        """A client signed in as `who` (an e-mail local part, or 'admin')."""
        email, password = ADMIN if who == "admin" else (f"{who}@example.com", PASSWORD)
        browser = TestClient(self.client.app, headers={"Accept-Language": "en"})  # no 2nd lifespan
        csrf = csrf_of(browser.get("/login"))
        form = {"email": email, "password": password, "csrf": csrf, "next": "/"}
        assert browser.post("/login", data=form, follow_redirects=False).status_code == 303
        return browser

    @property
    def events(self) -> int:
        return int(self.runtime.app.recorder.max_notification_id() or 0)

    def page(self, browser: TestClient, pain_point: UUID | None = None) -> httpx.Response:
        return browser.get(f"/pain-points/{pain_point or self.pain_point}")


def csrf_of(response: httpx.Response) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', response.text)
    assert match, response.text
    return match[1]


def build(runtime: Runtime) -> tuple[UUID, UUID, UUID]:
    app = runtime.app
    secret = security.hash_password(PASSWORD)
    alpha, beta, gone = (app.admit_company(n, by=SYSTEM).id for n in ("Alpha", "Beta", "Gamma"))
    group = app.found_group("G1 Lizenzen", "thematic", "", by=SYSTEM).id
    other = app.found_group("G2 Support", "thematic", "", by=SYSTEM).id
    people = {}
    for name, company in [
        ("member_a", alpha), ("member_b", beta), ("lead", beta), ("nobody", None),
        ("ended", gone), ("outsider", alpha), ("board", None),
    ]:  # fmt: skip
        email = f"{name}@example.com"
        people[name] = app.register_person(email, name.title(), company, secret, by=SYSTEM).id
    for name in ("member_a", "member_b", "nobody", "ended"):
        app.enrol(group, people[name], by=SYSTEM)
    app.enrol(other, people["outsider"], by=SYSTEM)
    app.appoint_lead(group, people["lead"], by=SYSTEM)
    app.grant_role(people["board"], "board", by=SYSTEM)
    app.end_membership(gone, "left the association", by=SYSTEM)
    pain_point = app.submit_pain_point(
        group, TITLE, "Seit März.\nJeden Tag.", ["portal"], by=people["member_a"]
    ).id
    return group, other, pain_point


@pytest.fixture
def pp(settings: Settings) -> Iterator[PpWorld]:
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        group, other, pain_point = build(runtime)
        assert runtime.projector.wait_for(runtime.app.recorder.max_notification_id(), 10)
        yield PpWorld(client, runtime, group, other, pain_point)


def counts(pp: PpWorld) -> tuple[int, int]:
    with pp.runtime.store.reading() as cur:
        tally = find_tally(cur, pp.pain_point.hex)
    assert tally is not None
    return tally.companies, tally.supporters


def test_page_shows_the_pain_point_to_members_leads_board_and_admins(pp: PpWorld) -> None:
    for who in ("member_a", "lead", "board", "admin"):
        page = pp.page(pp.browser(who))
        assert page.status_code == 200, who
        assert TITLE in page.text
        assert "Seit März.<br>Jeden Tag." in page.text
        assert f'href="/groups/{pp.group.hex}"' in page.text
        assert "Alpha" in page.text
        assert "portal" in page.text
    assert pp.page(pp.browser("outsider")).status_code == 404
    anonymous = TestClient(pp.client.app).get(
        f"/pain-points/{pp.pain_point}", follow_redirects=False
    )
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")


def test_support_and_withdraw_without_javascript(pp: PpWorld) -> None:
    browser = pp.browser("member_b")
    csrf = csrf_of(pp.page(browser))
    path = f"/pain-points/{pp.pain_point}/support"
    given = browser.post(path, data={"csrf": csrf, "action": "give"}, follow_redirects=False)
    assert given.status_code == 303
    assert given.headers["location"] == f"/pain-points/{pp.pain_point}?done=support-given#support"
    assert counts(pp) == (1, 1)
    page = browser.get(given.headers["location"])
    assert 'aria-pressed="true"' in page.text
    assert "Supported by: Beta" in page.text
    withdrawn = browser.post(path, data={"csrf": csrf, "action": "withdraw"})
    assert withdrawn.status_code == 200
    assert 'aria-pressed="false"' in withdrawn.text
    assert counts(pp) == (0, 0)
    assert browser.post(path, data={"action": "give"}).status_code == 403  # no CSRF token


def test_support_with_htmx_answers_the_support_box(pp: PpWorld) -> None:
    browser = pp.browser("lead")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(pp.page(browser))}
    path = f"/pain-points/{pp.pain_point}/support"
    given = browser.post(path, data={"action": "give"}, headers=headers, follow_redirects=False)
    assert given.status_code == 200
    assert given.text.lstrip().startswith("<section")
    assert "<html" not in given.text
    assert 'aria-pressed="true"' in given.text
    assert 'id="support-live" hx-swap-oob="innerHTML"' in given.text
    assert "Supported by 1 member company" in given.text
    assert counts(pp) == (1, 1)
    gone = browser.post(path, data={"action": "withdraw"}, headers=headers)
    assert gone.status_code == 200
    assert 'aria-pressed="false"' in gone.text
    assert counts(pp) == (0, 0)


@pytest.mark.parametrize(
    ("who", "why"),
    [
        ("board", "Only members of this working group can support it."),
        ("nobody", "Only people of a member company can support pain points."),
        ("ended", "membership has ended"),
    ],
)
def test_who_cannot_support_sees_why_instead_of_the_button(pp: PpWorld, who: str, why: str) -> None:
    page = pp.page(pp.browser(who))
    assert page.status_code == 200
    assert 'id="support-button"' not in page.text
    assert why in page.text.replace("&#39;", "'")


def submit_form(browser: TestClient, group: UUID) -> tuple[str, str]:
    page = browser.get(f"/pain-points/new?group={group}")
    assert page.status_code == 200
    key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert key
    return csrf_of(page), key[1]


def test_a_double_submit_creates_one_pain_point(pp: PpWorld) -> None:
    browser = pp.browser("member_b")
    csrf, key = submit_form(browser, pp.group)
    form = {"csrf": csrf, "key": key, "group": pp.group.hex, "title": "Partnerstatus"}
    form |= {"description": "Zwei\nZeilen", "tags": "status, Portal"}
    before = pp.events
    first = browser.post("/pain-points/new", data=form, follow_redirects=False)
    second = browser.post("/pain-points/new", data=form, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert pp.events == before + 1
    page = browser.get(first.headers["location"])
    assert "Partnerstatus" in page.text
    assert "Your pain point has been submitted." in page.text
    assert '<span class="tag">portal</span><span class="tag">status</span>' in page.text


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Title must not be empty"), ("x" * 201, "Title must be at most 200 characters")],
)
def test_bad_submissions_keep_the_input_and_create_nothing(
    pp: PpWorld, title: str, message: str
) -> None:
    browser = pp.browser("member_a")
    csrf, key = submit_form(browser, pp.group)
    form = {"csrf": csrf, "key": key, "group": pp.group.hex, "title": title}
    form |= {"description": "Beschreibung <b>bleibt</b>", "tags": "eins, zwei"}
    before = pp.events
    response = browser.post("/pain-points/new", data=form)
    assert response.status_code == 422
    assert f'<p class="error" id="title-error">{message}' in response.text
    assert 'aria-describedby="title-hint title-error"' in response.text
    assert f'value="{title}"' in response.text
    assert 'value="eins, zwei"' in response.text
    assert "Beschreibung &lt;b&gt;bleibt&lt;/b&gt;</textarea>" in response.text
    assert f'name="key" value="{key}"' in response.text
    assert pp.events == before


def test_submitting_to_a_group_one_is_not_in_is_refused(pp: PpWorld) -> None:
    browser = pp.browser("member_a")
    csrf, key = submit_form(browser, pp.group)
    form = {"csrf": csrf, "key": key, "group": pp.other_group.hex, "title": "Fremd"}
    before = pp.events
    response = browser.post("/pain-points/new", data=form)
    assert response.status_code == 422
    assert 'id="group-error"' in response.text
    assert pp.events == before


def test_similar_pain_points_while_typing_and_without_javascript(pp: PpWorld) -> None:
    browser = pp.browser("member_b")
    params = {"group": pp.group.hex, "title": "lizenzport restlauf", "description": ""}
    found = browser.get("/pain-points/similar", params=params, headers={"HX-Request": "true"})
    assert found.status_code == 200
    assert TITLE in found.text
    assert f'href="/pain-points/{pp.pain_point.hex}#support"' in found.text
    nothing = browser.get("/pain-points/similar", params={**params, "title": "Drucker"})
    assert nothing.status_code == 200
    assert nothing.text == ""
    csrf, key = submit_form(browser, pp.group)
    form = {"csrf": csrf, "key": key, "group": pp.group.hex, "title": "Lizenzportal falsch"}
    before = pp.events
    checked = browser.post("/pain-points/new", data={**form, "check": "1"})
    assert checked.status_code == 200
    assert TITLE in checked.text
    assert 'value="Lizenzportal falsch"' in checked.text
    assert pp.events == before


def test_evidence_with_bad_input_keeps_it_and_creates_nothing(pp: PpWorld) -> None:
    browser = pp.browser("member_b")
    csrf = csrf_of(pp.page(browser))
    path = f"/pain-points/{pp.pain_point}/evidence"
    good = {"csrf": csrf, "affected_customers": "12", "revenue_band": "10k-100k"}
    good |= {"product_area": "Lizenzen", "link": "https://example.org/case/1", "note": "Notiz"}
    before = pp.events
    for field, value, message in [
        ("affected_customers", "zwölf", "Enter a whole number"),
        ("link", "javascript:alert(1)", "Link must be an http(s) address"),
    ]:
        response = browser.post(path, data={**good, field: value})
        assert response.status_code == 422
        assert f'<p class="error" id="evidence-{field}-error">{message}' in response.text
        assert f'value="{value}"' in response.text
        assert 'value="Lizenzen"' in response.text
    assert pp.events == before


def test_comments_and_evidence_appear_and_go_with_the_history(pp: PpWorld) -> None:
    author, lead = pp.browser("member_b"), pp.browser("lead")
    csrf = csrf_of(pp.page(author))
    base = f"/pain-points/{pp.pain_point}"
    posted = author.post(f"{base}/comments", data={"csrf": csrf, "text": "Bei uns auch."})
    assert posted.status_code == 200
    assert "Bei uns auch." in posted.text
    comment = re.search(r'id="comment-([0-9a-f]{32})"', posted.text)
    assert comment
    assert f"?edit={comment[1]}" in posted.text
    assert f"?edit={comment[1]}" not in pp.page(lead).text  # only the author edits
    edit = author.get(f"{base}?edit={comment[1]}")
    assert 'id="edit-' in edit.text
    edited = author.post(
        f"{base}/comments/{comment[1]}/edit", data={"csrf": csrf, "text": "Bei uns seit Mai."}
    )
    assert "Bei uns seit Mai." in edited.text
    assert "edited" in edited.text
    lead_csrf = csrf_of(pp.page(lead))
    removal = f"{base}/comments/{comment[1]}/remove"
    assert lead.post(removal, data={"csrf": lead_csrf, "reason": ""}).status_code == 422
    assert author.post(removal, data={"csrf": csrf, "reason": "x"}).status_code == 403
    removed = lead.post(removal, data={"csrf": lead_csrf, "reason": "Off-Topic"})
    assert "Removed by the moderators: Off-Topic" in removed.text
    assert "Bei uns seit Mai." not in removed.text

    facts = {"csrf": csrf, "affected_customers": "12", "revenue_band": "10k-100k"}
    facts |= {"product_area": "Lizenzen", "link": "https://example.org/case/1", "note": ""}
    added = author.post(f"{base}/evidence", data=facts)
    assert added.status_code == 200
    assert "€10k to €100k" in added.text
    assert 'href="https://example.org/case/1" rel="noopener nofollow"' in added.text
    assert "Beta) added evidence: 12 affected customers, revenue €10k to €100k." in added.text
    evidence = re.search(r'id="evidence-([0-9a-f]{32})"', added.text)
    assert evidence
    gone = lead.post(
        f"{base}/evidence/{evidence[1]}/remove", data={"csrf": lead_csrf, "reason": "doppelt"}
    )
    assert 'rel="noopener nofollow"' not in gone.text
    for sentence in (
        "Member_A (Alpha) submitted this pain point.",
        "Member_B (Beta) commented.",
        "Lead removed a comment.",
        "Lead removed evidence.",
        "Reason: doppelt",
    ):
        assert sentence in gone.text


def test_the_edit_link_disappears_after_the_edit_window(
    pp: PpWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    author = pp.browser("member_b")
    csrf = csrf_of(pp.page(author))
    base = f"/pain-points/{pp.pain_point}"
    posted = author.post(f"{base}/comments", data={"csrf": csrf, "text": "Früher Kommentar"})
    comment = re.search(r'id="comment-([0-9a-f]{32})"', posted.text)
    assert comment
    assert f"?edit={comment[1]}" in posted.text
    app = pp.runtime.app
    later = app.clock() + timedelta(minutes=31)
    monkeypatch.setattr(app, "clock", lambda: later)
    assert f"?edit={comment[1]}" not in pp.page(author).text
    late = author.post(f"{base}/comments/{comment[1]}/edit", data={"csrf": csrf, "text": "neu"})
    assert late.status_code == 422
    assert "Comments can be edited for 30 minutes" in late.text
    assert ">neu</textarea>" in late.text


def test_withdrawing_the_pain_point(pp: PpWorld) -> None:
    assert "/withdraw" not in pp.page(pp.browser("member_b")).text
    author = pp.browser("member_a")
    csrf = csrf_of(pp.page(author))
    response = author.post(
        f"/pain-points/{pp.pain_point}/withdraw", data={"csrf": csrf, "reason": "erledigt"}
    )
    assert response.status_code == 200
    assert "Member_A withdrew this pain point." in response.text
    assert "Reason: erledigt" in response.text
    assert 'id="support-button"' not in response.text
    assert "/withdraw" not in response.text


def test_the_page_lists_similar_pain_points_of_the_group(pp: PpWorld) -> None:
    app, runtime = pp.runtime.app, pp.runtime
    author = app.find_person_by_email("member_b@example.com")
    assert author is not None
    similar = app.submit_pain_point(
        pp.group, "Falsche Laufzeiten im Lizenzportal", "", [], by=author.id
    )
    unrelated = app.submit_pain_point(pp.group, "Drucker streiken", "", [], by=author.id)
    assert runtime.projector.wait_for(unrelated.position or 0, 5)
    page = pp.page(pp.browser("member_a")).text
    section = page[page.index('id="similar-heading"') :]
    assert f'href="/pain-points/{similar.id.hex}"' in section
    assert f'href="/pain-points/{pp.pain_point.hex}"' not in section
    assert "Drucker" not in section
    form = pp.browser("member_a").get(f"/pain-points/new?group={pp.group}").text
    assert 'hx-get="/pain-points/similar"' in form
    assert 'hx-trigger="keyup changed delay:300ms"' in form
    assert '<div class="suggestions" id="suggestions" aria-live="polite"></div>' in form


def test_mentions_from_the_comment_form_with_and_without_javascript(pp: PpWorld) -> None:
    app = pp.runtime.app
    people = {
        n: app.find_person_by_email(f"{n}@example.com") for n in ("lead", "member_a", "nobody")
    }
    ids = {n: p.id for n, p in people.items() if p is not None}
    writer = pp.browser("member_b")
    base = f"/pain-points/{pp.pain_point}"
    page = pp.page(writer)
    assert f'data-mentions="/pain-points/{pp.pain_point.hex}/mentionable"' in page.text
    assert re.search(r'<script src="/static/mentions\.[0-9a-f]+\.js" defer>', page.text)
    # the autocomplete's lookup: leads and the author, not a member under "leads"
    assert writer.get(f"{base}/mentionable", params={"q": "LE"}).json() == [
        {"id": ids["lead"].hex, "name": "Lead"}
    ]
    assert writer.get(f"{base}/mentionable", params={"q": "nob"}).json() == []
    assert pp.browser("outsider").get(f"{base}/mentionable").status_code == 404
    csrf = csrf_of(page)
    # without the script: "@Lead" is recognised; "@Nobody" (not mentionable) stays text;
    # the script's hidden field names the author; a forged one for Nobody is ignored
    form = {"csrf": csrf, "text": "Danke @Lead, @Member_A und @Nobody",
            "mentions": [ids["member_a"].hex, ids["nobody"].hex]}  # fmt: skip
    posted = writer.post(f"{base}/comments", data=form)
    assert posted.status_code == 200
    assert "Danke @Lead, @Member_A und @Nobody" in posted.text
    with pp.runtime.store.reading() as cur:
        cur.execute("SELECT text FROM v_comments")
        (stored,) = cur.fetchone()
    assert stored == f"Danke <@{ids['lead'].hex}>, <@{ids['member_a'].hex}> und @Nobody"
    assert "@Lead, @Member_A" in pp.page(pp.browser("nobody")).text
