"""The working-group page (ranking, filters, as of a day) and the search page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from service import security
from service.application import Sprachrohr
from service.settings import Settings

PASSWORD = "correct horse battery"
ROW = re.compile(
    r'<td class="num rank">(\d+|<span[^>]*>—</span>)</td>\s*<td><a href="/pain-points/(\w+)"'
)
LINK = re.compile(r'<td><a href="/pain-points/(\w+)"')


@dataclass
class GsWorld:
    """Groups G1 (anna of A, bernd of B) and G2 (otto of A); berta is on the board.

    In G1: p1 (2025-01-10, tags lizenzen+portal, 2 supporters), p2 (2025-02-10,
    registrierung, 1 supporter), p3 (2025-03-01, withdrawn 2025-03-05). In G2: p4
    (2025-04-01, tag portal), whose title also says "Lizenzportal"."""

    client: TestClient
    g1: str
    g2: str
    p1: str
    p2: str
    p3: str
    p4: str


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


class Timeline:
    """Runs commands with the application's clock standing at chosen moments."""

    def __init__(self, app: Sprachrohr) -> None:
        self.app = app
        self.admin = app.find_person_by_email("admin@verband.example").id  # type: ignore[union-attr]
        self.original = app.clock

    def on(self, moment: datetime) -> Sprachrohr:
        self.app.clock = lambda: moment  # type: ignore[method-assign]
        return self.app

    def person(self, email: str, company: UUID | None, *groups: UUID) -> UUID:
        app, pw = self.on(at("2025-01-06")), security.hash_password(PASSWORD)
        person = app.register_person(email, email.split("@")[0].title(), company, pw, by=self.admin)
        for group in groups:
            app.enrol(group, person.id, by=self.admin)
        return person.id

    def submit(self, day: str, group: UUID, title: str, by: UUID, *tags: str) -> UUID:
        app = self.on(at(day))
        return app.submit_pain_point(group, title, f"{title}: seit Monaten.", list(tags), by=by).id


def gs_build(client: TestClient) -> GsWorld:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    t = Timeline(runtime.app)
    admin, app = t.admin, t.on(at("2025-01-06"))
    a, b = (app.admit_company(n, by=admin).id for n in ("Alpha GmbH", "Beta AG"))
    g1 = app.found_group("G1 Lizenzen", "regional", "Nord", by=admin).id
    g2 = app.found_group("G2 Support", "thematic", "Support", by=admin).id
    anna, bernd = t.person("anna@alpha.example", a, g1), t.person("bernd@beta.example", b, g1)
    otto, berta = t.person("otto@alpha.example", a, g2), t.person("berta@verband.example", None)
    app.grant_role(berta, "board", by=admin)
    app.appoint_lead(g1, bernd, by=admin)
    p1 = t.submit("2025-01-10", g1, "Lizenzportal meldet falsche Restlaufzeiten", anna,
                  "lizenzen", "portal")  # fmt: skip
    t.on(at("2025-01-11")).give_support(p1, by=bernd)
    t.on(at("2025-01-11", 11)).give_support(p1, by=anna)
    p2 = t.submit("2025-02-10", g1, "Partnerregistrierung dauert Wochen", bernd, "registrierung")
    t.on(at("2025-02-11")).give_support(p2, by=anna)
    p3 = t.submit("2025-03-01", g1, "Supportfälle werden ohne Lösung geschlossen", anna, "support")
    t.on(at("2025-03-05")).withdraw_pain_point(p3, "Doppelt", by=anna)
    p4 = t.submit("2025-04-01", g2, "Lizenzportal zeigt G2-Kunden doppelt", otto, "portal")
    app.clock = t.original  # type: ignore[method-assign]
    assert runtime.projector.wait_for(runtime.projector.head(), 10)
    ids = (g1, g2, p1, p2, p3, p4)
    return GsWorld(client, *(i.hex for i in ids))


@pytest.fixture
def gs(settings: Settings) -> Iterator[GsWorld]:
    with TestClient(create_app(settings)) as client:
        yield gs_build(client)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    client.cookies.clear()
    client.headers["Accept-Language"] = "en"
    form = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    data = {"email": email, "password": password, "csrf": csrf}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def ranked(gs: GsWorld, **params: str) -> list[tuple[str, str]]:
    """(rank, pain point id) of the rows the group page shows for G1."""
    response = gs.client.get(f"/groups/{gs.g1}", params=params)
    assert response.status_code == 200, response.text
    return ROW.findall(response.text)


def found(gs: GsWorld, **params: str) -> list[str]:
    response = gs.client.get("/search", params=params)
    assert response.status_code == 200, response.text
    return LINK.findall(response.text)


# -- the group page -----------------------------------------------------------------


def test_members_board_and_admins_see_the_group_others_get_404(gs: GsWorld) -> None:
    for email in ("anna@alpha.example", "berta@verband.example"):
        sign_in(gs.client, email)
        page = gs.client.get(f"/groups/{gs.g1}").text
        assert "G1 Lizenzen" in page
        assert "Regional working group" in page
        assert "Lead: Bernd" in page
        assert "2 members" in page
        assert ("Submit a pain point" in page) == (email.startswith("anna"))
    sign_in(gs.client, "admin@verband.example", "admin-password")
    assert ranked(gs) == [("1", gs.p1), ("2", gs.p2)]
    sign_in(gs.client, "otto@alpha.example")
    for path in (gs.g1, UUID(int=7).hex, "not-a-group", "%00"):
        response = gs.client.get(f"/groups/{path}")
        assert response.status_code == 404, path
        assert "G1 Lizenzen" not in response.text


def test_filters_combine_and_keep_community_ranks(gs: GsWorld) -> None:
    sign_in(gs.client, "anna@alpha.example")
    assert ranked(gs) == [("1", gs.p1), ("2", gs.p2)]
    assert ranked(gs, tag="registrierung") == [("2", gs.p2)]
    assert ranked(gs, q="partner") == [("2", gs.p2)]
    assert ranked(gs, q="partner", tag="portal") == []
    assert ranked(gs, q="lizenz", tag="PORTAL", status="new") == [("1", gs.p1)]
    withdrawn = ranked(gs, status="withdrawn")
    assert [pid for _, pid in withdrawn] == [gs.p3]
    assert [pid for _, pid in ranked(gs, status="withdrawn", q="supportf")] == [gs.p3]
    assert ranked(gs, status="withdrawn", tag="portal") == []


def test_as_of_shows_the_list_as_it_stood_at_the_end_of_that_day(gs: GsWorld) -> None:
    sign_in(gs.client, "anna@alpha.example")
    page = gs.client.get(f"/groups/{gs.g1}", params={"as_of": "2025-01-31"}).text
    assert "As of Jan 31, 2025" in page
    assert "back to today" in page
    assert ranked(gs, as_of="2025-01-31") == [("1", gs.p1)]  # p2 came later
    assert ranked(gs, as_of="2025-01-10") == [("1", gs.p1)]
    assert ranked(gs, as_of="2025-01-09") == []
    # p3 was still open on 3 March; it was withdrawn on 5 March.
    assert [pid for _, pid in ranked(gs, as_of="2025-03-03")] == [gs.p1, gs.p2, gs.p3]
    assert ranked(gs, as_of="2025-03-03", status="withdrawn") == []
    assert [pid for _, pid in ranked(gs, as_of="2025-03-06", status="withdrawn")] == [gs.p3]
    assert ranked(gs, as_of="2025-03-03", q="supportf") == [("3", gs.p3)]
    today = datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
    for params in ({}, {"as_of": today}):  # the end of today is still to come: live list
        page = gs.client.get(f"/groups/{gs.g1}", params=params).text
        assert "back to today" not in page
        assert "field-invalid" not in page


def test_invalid_filters_show_the_unfiltered_page_with_a_field_error(gs: GsWorld) -> None:
    sign_in(gs.client, "anna@alpha.example")
    for params, message in (
        ({"as_of": "14.03.2025"}, "Enter a date like"),
        ({"as_of": "2025-02-30"}, "Enter a date like"),
        ({"as_of": "2999-01-01"}, "not in the future"),
        ({"status": "escalate"}, "Choose one of the listed statuses"),
    ):
        response = gs.client.get(f"/groups/{gs.g1}", params=params)
        assert response.status_code == 200
        assert message in response.text
        assert 'class="field-invalid"' in response.text
        assert ROW.findall(response.text) == [("1", gs.p1), ("2", gs.p2)]


def test_htmx_gets_the_rows_and_the_summary_only(gs: GsWorld) -> None:
    sign_in(gs.client, "anna@alpha.example")
    headers = {"HX-Request": "true", "HX-Target": "ranking-results"}
    response = gs.client.get(f"/groups/{gs.g1}", params={"tag": "portal"}, headers=headers)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'hx-swap-oob="innerHTML"' in response.text
    assert ROW.findall(response.text) == [("1", gs.p1)]
    bad = gs.client.get(f"/groups/{gs.g1}", params={"as_of": "x"}, headers=headers)
    assert bad.headers["HX-Redirect"].endswith("as_of=x")


def test_pages_of_fifty_keep_the_filters(gs: GsWorld) -> None:
    app = gs.client.app.state.runtime.app  # type: ignore[attr-defined]
    anna = app.find_person_by_email("anna@alpha.example").id
    for n in range(52):
        app.submit_pain_point(UUID(gs.g1), f"Massenthema {n:02d}", "x", ["bulk"], by=anna)
    runtime = gs.client.app.state.runtime  # type: ignore[attr-defined]
    assert runtime.projector.wait_for(runtime.projector.head(), 10)
    sign_in(gs.client, "anna@alpha.example")
    first = gs.client.get(f"/groups/{gs.g1}", params={"tag": "bulk"}).text
    assert len(ROW.findall(first)) == 50
    assert "Page 1 of 2" in first
    assert f'href="/groups/{gs.g1}?tag=bulk&amp;page=2"' in first
    second = ranked(gs, tag="bulk", page="2")
    assert [rank for rank, _ in second] == ["53", "54"]  # p1 and p2 rank first
    assert len(ranked(gs, tag="bulk", page="99")) == 2  # kept in range


# -- the search page ------------------------------------------------------------------


def test_search_never_shows_pain_points_of_groups_the_member_cannot_see(gs: GsWorld) -> None:
    sign_in(gs.client, "anna@alpha.example")
    assert found(gs, q="lizenzportal") == [gs.p1]
    assert set(found(gs)) == {gs.p1, gs.p2, gs.p3}
    assert found(gs, tag="portal") == [gs.p1]
    assert found(gs, group=gs.g2) == found(gs)  # an unknown group is ignored…
    page = gs.client.get("/search", params={"group": gs.g2}).text
    assert "Choose one of the listed working groups" in page
    assert "G2 Support" not in page
    sign_in(gs.client, "otto@alpha.example")
    assert found(gs, q="lizenzportal") == [gs.p4]
    assert found(gs) == [gs.p4]
    assert found(gs, q="geschlossen") == found(gs, status="withdrawn") == []  # p3 is in G1
    sign_in(gs.client, "berta@verband.example")
    assert set(found(gs, q="lizenzportal")) == {gs.p1, gs.p4}
    assert found(gs, q="lizenzportal", group=gs.g2) == [gs.p4]


def test_search_filters_and_orders(gs: GsWorld) -> None:
    sign_in(gs.client, "admin@verband.example", "admin-password")
    assert found(gs, sort="newest") == [gs.p4, gs.p3, gs.p2, gs.p1]
    assert found(gs, sort="oldest") == [gs.p1, gs.p2, gs.p3, gs.p4]
    assert found(gs, sort="rank")[:2] == [gs.p1, gs.p2]
    assert found(gs, sort="companies")[:2] == [gs.p1, gs.p2]
    assert found(gs, status="withdrawn") == [gs.p3]
    assert found(gs, status="new", tag="portal", sort="oldest") == [gs.p1, gs.p4]
    assert found(gs, q="geschlossen") == [gs.p3]  # withdrawn, still findable
    assert found(gs, q="geschlossen", status="new") == []
    assert found(gs, q="lizenzportal", tag="lizenzen", group=gs.g1) == [gs.p1]
    headers = {"HX-Request": "true", "HX-Target": "search-results"}
    partial = gs.client.get("/search", params={"q": "partner"}, headers=headers).text
    assert "<html" not in partial
    assert LINK.findall(partial) == [gs.p2]


GARBAGE = [
    "\x00",
    "%",
    "_",
    "'; DROP TABLE v_pain_points; --",
    '"*',
    "NEAR(a b)",
    "a:* & !",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ü ß",
    "x" * 5000,
    "-1",
    "0",
    "99999999999999999999",
    "1e9",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2025-13-01",
    "١٢",
    " ",
]
PARAMS = ("q", "status", "tag", "group", "sort", "page", "as_of")


def test_garbage_in_any_query_parameter_never_breaks_a_page(gs: GsWorld) -> None:
    sign_in(gs.client, "bernd@beta.example")
    for value in GARBAGE:
        for name in PARAMS:
            for path in (f"/groups/{gs.g1}", "/search"):
                response = gs.client.get(path, params={name: value})
                assert response.status_code == 200, (path, name, repr(value)[:40])
        both = dict.fromkeys(PARAMS, value)
        assert gs.client.get(f"/groups/{gs.g1}", params=both).status_code == 200
        assert gs.client.get("/search", params=both).status_code == 200
    for raw in ("status=new&status=x&page=2&page=", "q=%ED%A0%80", "tag=%FF%FE", "as_of=%00"):
        assert gs.client.get(f"/groups/{gs.g1}?{raw}").status_code == 200, raw
        assert gs.client.get(f"/search?{raw}&group=%C0").status_code == 200, raw
