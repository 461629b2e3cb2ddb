"""The lead's curated list on the group page and its editor; the vendor's area and
the vendor's answers on a pain point's page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.web.pages.groups import curation
from api.web.pages.vendor import portal as vendor
from domain.ids import SYSTEM
from projections.board_queries import community_ranks, curated_list
from projections.painpoint_view import find_pain_point
from service.application import Sprachrohr
from service.security import hash_password
from service.settings import Settings

PASSWORD = "curated-password"
PEOPLE = {  # key: (display name, company)
    "lead": ("Anna Leitner", "Alpha Systemhaus GmbH"),
    "member": ("Bert Mitglied", "Beta Netzwerke GmbH"),
    "third": ("Clara Dritte", "Gamma Daten GmbH"),
    "fourth": ("Dieter Vierter", "Delta Service GmbH"),
}
SECRET_NAMES = [name for pair in PEOPLE.values() for name in pair]


class Ticking:
    def __init__(self) -> None:
        self.now = datetime(2026, 2, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


Site = tuple[TestClient, dict[str, UUID]]


def with_pages(client: TestClient) -> None:
    """Register this area's routers unless api.web.app does it already."""
    paths = {getattr(route, "path", "") for route in client.app.routes}  # type: ignore[attr-defined]
    for module, path in ((curation, "/groups/{group_id}/curated/edit"), (vendor, "/vendor")):
        if path not in paths:
            client.app.include_router(module.router)  # type: ignore[attr-defined]


def people(app: Sprachrohr, group: UUID, secret: str) -> dict[str, UUID]:
    ids = {}
    for key, (name, company) in PEOPLE.items():
        company_id = app.admit_company(company, by=SYSTEM).id
        ids[key] = app.register_person(f"{key}@x.example", name, company_id, secret, by=SYSTEM).id
        app.enrol(group, ids[key], by=SYSTEM)
    app.appoint_lead(group, ids["lead"], by=SYSTEM)
    other = app.found_group("Andere", "regional", "", by=SYSTEM).id
    epsilon = app.admit_company("Epsilon AG", by=SYSTEM).id
    ids["outsider"] = app.register_person(
        "outsider@x.example", "Olaf", epsilon, secret, by=SYSTEM
    ).id
    app.enrol(other, ids["outsider"], by=SYSTEM)
    for role in ("vendor", "admin"):
        ids[role] = app.register_person(
            f"{role}@x.example", role.title(), None, secret, by=SYSTEM
        ).id
        app.grant_role(ids[role], role, by=SYSTEM)
    return ids


def pain_points(app: Sprachrohr, ids: dict[str, UUID]) -> None:
    """a, b, c, d ranked 1 to 4 (4, 3, 2 and 1 supporting companies); a is escalated."""
    group, keys = ids["group"], list(PEOPLE)
    for n, name in enumerate("abcd"):
        title = f"Punkt {name.upper()}: Lizenzportal"
        ids[name] = app.submit_pain_point(group, title, "Beschreibung", [], by=ids["member"]).id
        for key in keys[: 4 - n]:
            app.give_support(ids[name], by=ids[key])
    for status in ("accepted", "escalated"):
        app.change_status(ids["a"], status, f"Prüfung: {status}", by=ids["lead"])
    app.add_evidence(
        ids["a"], affected_customers=12, revenue_band="10k-100k", product_area="Portal",
        link="", note="Bei Beta Netzwerke GmbH", by=ids["member"],
    )  # fmt: skip


@pytest.fixture
def site(settings: Settings) -> Iterator[Site]:
    """On SQLite and PostgreSQL (the `settings` fixture of tests/conftest.py)."""
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        with_pages(client)
        app: Sprachrohr = client.app.state.runtime.app  # type: ignore[attr-defined]
        app.clock = Ticking()
        group = app.found_group("Lizenzen", "thematic", "", by=SYSTEM).id
        ids = {"group": group, **people(app, group, hash_password(PASSWORD))}
        pain_points(app, ids)
        catch_up(client)
        yield client, ids


def catch_up(client: TestClient) -> None:
    client.app.state.runtime.projector.catch_up()  # type: ignore[attr-defined]


def read(client: TestClient, query: Any, *args: Any) -> Any:
    catch_up(client)
    with client.app.state.runtime.store.reading() as cur:  # type: ignore[attr-defined]
        return query(cur, *args)


def sign_in(client: TestClient, who: str) -> None:
    client.cookies.clear()
    csrf = csrf_of(client, "/login")
    form = {"email": f"{who}@x.example", "password": PASSWORD, "csrf": csrf, "next": "/"}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def csrf_of(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def publish(
    client: TestClient, ids: dict[str, UUID], rows: list[tuple[str, str]], edition: int
) -> None:
    """Publish through the domain: rows of (pain point key, reason)."""
    app: Sprachrohr = client.app.state.runtime.app  # type: ignore[attr-defined]
    ranks = read(client, community_ranks, ids["group"].hex)
    items = [
        {"pain_point_id": str(ids[k]), "rationale": why, "community_rank": ranks.get(ids[k].hex)}
        for k, why in rows
    ]
    app.publish_curated_list(ids["group"], items, "Stand", edition=edition, by=ids["lead"])
    catch_up(client)


def editor_form(
    client: TestClient, ids: dict[str, UUID], rows: list[tuple[str, str]], **extra: Any
) -> dict[str, Any]:
    """The editor's fields for rows of (pain point key, reason), in this order."""
    path = f"/groups/{ids['group']}/curated/edit"
    return {
        "csrf": csrf_of(client, path),
        "pain_point": [ids[key].hex for key, _ in rows],
        "rationale": [why for _, why in rows],
        "edition": "0",
        "action": "publish",
        **extra,
    }


def listed(html: str) -> list[str]:
    """The pain points of the editor's rows, in their order."""
    return re.findall(r'name="pain_point" value="([0-9a-f]{32})"', html)


# -- the curated list -------------------------------------------------------------------


def test_members_see_the_curated_list_its_departures_and_earlier_editions(site: Site) -> None:
    client, ids = site
    publish(client, ids, [("b", ""), ("a", "")], edition=0)
    publish(client, ids, [("d", "Kunde droht mit Wechsel"), ("a", ""), ("b", "")], edition=1)
    sign_in(client, "member")
    page = client.get(f"/groups/{ids['group']}").text
    assert "The lead's curated list" in page
    assert "Edition 2, published by Anna Leitner" in page
    assert "Departs from the community rank" in page
    assert "Kunde droht mit Wechsel" in page
    assert f'href="/groups/{ids["group"].hex}/curated/1"' in page
    assert "Edit the curated list" not in page
    first = client.get(f"/groups/{ids['group']}/curated/1")
    assert first.status_code == 200
    assert "Edition 1, published by Anna Leitner" in first.text
    assert "Punkt D" not in first.text
    assert "Punkt B" in first.text
    assert client.get(f"/groups/{ids['group']}/curated/3").status_code == 404


def test_only_leads_and_admins_edit_the_list(site: Site) -> None:
    client, ids = site
    path = f"/groups/{ids['group']}/curated/edit"
    sign_in(client, "member")
    assert client.get(path).status_code == 403
    form = editor_form(client, ids, [("a", "")])
    assert client.post(path, data=form).status_code == 403
    sign_in(client, "outsider")
    assert client.get(path).status_code == 404
    assert client.get(f"/groups/{ids['group']}/curated/1").status_code == 404
    assert read(client, curated_list, ids["group"].hex) is None
    for who in ("lead", "admin"):
        sign_in(client, who)
        assert client.get(path).status_code == 200
        assert "Publish a curated list" in client.get(f"/groups/{ids['group']}").text


def test_a_lead_starts_from_the_community_top_moves_rows_and_publishes(site: Site) -> None:
    client, ids = site
    sign_in(client, "lead")
    path = f"/groups/{ids['group']}/curated/edit"
    assert listed(client.get(path).text) == [ids[k].hex for k in "abcd"]
    # Without JavaScript, "Up" on C's row is a round trip that moves it one place up.
    moved = client.post(
        path,
        data=editor_form(
            client, ids, [("a", ""), ("b", ""), ("c", "")], move=f"up:{ids['c'].hex}", action=""
        ),
    )
    assert moved.status_code == 200
    assert listed(moved.text) == [ids[k].hex for k in "acb"]
    assert "“Punkt C: Lizenzportal” is now at position 2 of 3." in moved.text
    assert re.search(rf'value="up:{ids["c"].hex}" data-move="up"\s+aria-label="[^"]+" autofocus',
                     moved.text)  # fmt: skip
    assert read(client, curated_list, ids["group"].hex) is None  # only moved
    form = editor_form(client, ids, [("c", ""), ("a", ""), ("b", "")], edition="0")
    form["pinned"] = [ids["c"].hex]
    response = client.post(path, data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/groups/{ids['group']}?done=curated#curated"
    listing = read(client, curated_list, ids["group"].hex)
    assert [(r["pain_point_id"], r["pinned"], r["community_rank"]) for r in listing["rows"]] == [
        (ids["c"].hex, True, 3),
        (ids["a"].hex, False, 1),
        (ids["b"].hex, False, 2),
    ]
    page = client.get(response.headers["location"]).text
    assert "The new edition of the curated list has been published." in page
    assert "Edition 1, published by Anna Leitner" in page


def test_rows_are_added_and_removed_without_javascript(site: Site) -> None:
    client, ids = site
    sign_in(client, "lead")
    path = f"/groups/{ids['group']}/curated/edit"
    form = editor_form(client, ids, [("a", ""), ("b", "")], action="add", add=ids["d"].hex)
    added = client.post(path, data=form)
    assert listed(added.text) == [ids[k].hex for k in "abd"]
    again = client.post(path, data={**form, "pain_point": listed(added.text)})
    assert again.status_code == 422
    assert 'id="curated-add-error"' in again.text
    removed = client.post(path, data=editor_form(client, ids, [("a", ""), ("b", "")],
                                                 remove=ids["a"].hex, action=""))  # fmt: skip
    assert listed(removed.text) == [ids["b"].hex]
    assert read(client, curated_list, ids["group"].hex) is None


def test_a_stale_edition_is_refused_without_overwriting(site: Site) -> None:
    client, ids = site
    sign_in(client, "lead")
    path = f"/groups/{ids['group']}/curated/edit"
    form = editor_form(client, ids, [("b", "")], edition="0")  # read before …
    publish(client, ids, [("a", ""), ("b", "")], edition=0)  # … someone else published
    response = client.post(path, data=form, follow_redirects=False)
    assert response.status_code == 409
    assert "Someone published a newer edition meanwhile." in response.text
    assert f'href="/groups/{ids["group"].hex}/curated/edit"' in response.text
    listing = read(client, curated_list, ids["group"].hex)
    assert listing["edition"] == 1
    assert [r["pain_point_id"] for r in listing["rows"]] == [ids["a"].hex, ids["b"].hex]
    assert 'name="edition" value="1"' in client.get(path).text  # reloaded: the new edition


def test_every_departure_without_reason_is_shown_at_once_next_to_its_row(site: Site) -> None:
    client, ids = site
    sign_in(client, "lead")
    path = f"/groups/{ids['group']}/curated/edit"
    # Ranks: a 1, b 2, c 3, d 4. D at 1 and A at 4 depart; C and B do not.
    rows = [("d", ""), ("c", ""), ("b", ""), ("a", "")]
    response = client.post(path, data=editor_form(client, ids, rows))
    assert response.status_code == 422
    assert "2 rows depart from their community rank without a reason: rows 1, 4" in response.text
    for index, rank in ((0, 4), (3, 1)):
        assert f'id="row-{index}-rationale-error"' in response.text
        assert f"This row departs from its community rank ({rank}): give the reason." in (
            response.text
        )
        assert f'aria-describedby="row-{index}-rationale-error"' in response.text
        assert f'href="#row-{index}-rationale"' in response.text
    assert 'id="row-1-rationale-error"' not in response.text
    assert listed(response.text) == [ids[k].hex for k in "dcba"]  # input kept
    assert read(client, curated_list, ids["group"].hex) is None


def test_the_as_of_view_shows_the_edition_current_then_or_none(site: Site) -> None:
    client, ids = site
    app: Sprachrohr = client.app.state.runtime.app  # type: ignore[attr-defined]
    publish(client, ids, [("b", ""), ("a", "")], edition=0)  # 2026-02-01
    app.clock.now = datetime(2026, 2, 10, 12, tzinfo=UTC)  # type: ignore[attr-defined]
    publish(client, ids, [("c", ""), ("d", ""), ("a", "")], edition=1)
    sign_in(client, "member")
    path = f"/groups/{ids['group']}"

    def curated_titles(html: str) -> list[str]:
        section = html.split('id="curated"', 1)[1].split("</section>", 1)[0]
        return re.findall(r'href="/pain-points/[0-9a-f]{32}">Punkt (\w)', section)

    today = client.get(path).text
    assert "Edition 2, published by" in today
    assert curated_titles(today) == ["C", "D", "A"]
    between = client.get(path, params={"as_of": "2026-02-05"}).text
    assert "Edition 1, published by" in between
    assert "This is the edition that was current at the end of" in between
    assert curated_titles(between) == ["B", "A"]
    assert "Edit the curated list" not in between
    before = client.get(path, params={"as_of": "2026-01-31"}).text
    assert "the lead had not published a curated list yet" in before
    assert curated_titles(before) == []
    partial = client.get(
        path,
        params={"as_of": "2026-02-05"},
        headers={"HX-Request": "true", "HX-Target": "ranking-results"},
    ).text
    assert 'id="curated" aria-labelledby="curated-heading" hx-swap-oob="outerHTML"' in partial
    assert curated_titles(partial) == ["B", "A"]


# -- the vendor's area ------------------------------------------------------------------


def assert_anonymous(html: str) -> None:
    for name in SECRET_NAMES:
        assert name not in html, name


def test_the_vendor_sees_only_escalated_pain_points_and_no_names(site: Site) -> None:
    client, ids = site
    publish(client, ids, [("a", ""), ("b", "")], edition=0)
    sign_in(client, "vendor")
    listing = client.get("/vendor")
    assert listing.status_code == 200
    assert "Punkt A" in listing.text
    assert "Punkt B" not in listing.text
    assert_anonymous(listing.text)
    item = client.get(f"/vendor/pain-points/{ids['a']}")
    assert item.status_code == 200
    assert_anonymous(item.text)
    assert "12 affected customers in all" in item.text
    assert "position 1 of 2" in item.text
    assert client.get(f"/vendor/pain-points/{ids['b']}").status_code == 404
    assert client.get(f"/pain-points/{ids['a']}").status_code == 404


def test_a_response_answers_the_pain_point_and_members_see_it(site: Site) -> None:
    client, ids = site
    sign_in(client, "vendor")
    path = f"/vendor/pain-points/{ids['a']}"
    form = {
        "csrf": csrf_of(client, path), "kind": "planned", "text": "Wir bauen das Portal um.",
        "product_group": "Partner Center", "commitment": "Neues Portal", "due_on": "2026-06-30",
        "key": "k1",
    }  # fmt: skip
    response = client.post(f"{path}/responses", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert read(client, find_pain_point, ids["a"].hex)["status"] == "answered"
    again = client.post(f"{path}/responses", data=form, follow_redirects=False)
    assert again.status_code == 303  # the same form twice: one response
    assert "Wir bauen das Portal um." in client.get(path).text
    late = {**form, "key": "k2", "text": "Zweiter Teil.", "due_on": "2026-02-01"}  # today
    assert client.post(f"{path}/responses", data=late, follow_redirects=False).status_code == 303
    client.app.state.runtime.app.clock.now += timedelta(days=2)  # type: ignore[attr-defined]
    sign_in(client, "member")
    page = client.get(f"/pain-points/{ids['a']}").text
    assert "Answers and promises from the vendor" in page
    assert page.count("Wir bauen das Portal um.") == 1
    assert "Partner Center" in page
    assert "Neues Portal" in page
    assert "Jun 30, 2026" in page  # the target date, localised
    assert "status-promise-open" in page
    assert "status-promise-overdue" in page
    assert "Answers and promises" not in client.get(f"/pain-points/{ids['b']}").text


def test_a_promise_without_target_date_is_shown_next_to_the_field(site: Site) -> None:
    client, ids = site
    sign_in(client, "vendor")
    path = f"/vendor/pain-points/{ids['a']}"
    form = {"csrf": csrf_of(client, path), "kind": "planned", "text": "Bald.",
            "commitment": "Neues Portal", "due_on": ""}  # fmt: skip
    response = client.post(f"{path}/responses", data=form)
    assert response.status_code == 422
    assert 'id="response-due_on-error"' in response.text
    assert "Neues Portal" in response.text
    assert read(client, find_pain_point, ids["a"].hex)["status"] == "escalated"


def test_a_promise_for_a_past_day_is_refused_next_to_the_field(site: Site) -> None:
    client, ids = site
    sign_in(client, "vendor")
    path = f"/vendor/pain-points/{ids['a']}"
    page = client.get(path).text
    form = {"csrf": csrf_of(client, path), "kind": "planned", "text": "Bald.",
            "commitment": "Neues Portal", "due_on": "2026-01-31"}  # fmt: skip

    response = client.post(f"{path}/responses", data=form)

    assert 'min="2026-02-01"' in page  # the date picker offers today and later
    assert response.status_code == 422
    assert "The target date must not lie in the past" in response.text
    assert 'id="response-due_on-error"' in response.text
    assert read(client, find_pain_point, ids["a"].hex)["status"] == "escalated"


def test_people_without_the_vendor_role_get_404(site: Site) -> None:
    client, ids = site
    for who in ("member", "lead"):
        sign_in(client, who)
        assert client.get("/vendor").status_code == 404
        assert client.get(f"/vendor/pain-points/{ids['a']}").status_code == 404
        form = {"csrf": csrf_of(client, "/"), "kind": "planned", "text": "x"}
        response = client.post(f"/vendor/pain-points/{ids['a']}/responses", data=form)
        assert response.status_code == 404
    assert read(client, find_pain_point, ids["a"].hex)["status"] == "escalated"


def test_admins_see_the_vendor_area_as_the_api_does_but_do_not_respond(site: Site) -> None:
    client, ids = site
    sign_in(client, "admin")
    assert client.get("/vendor").status_code == 200
    item = client.get(f"/vendor/pain-points/{ids['a']}")
    assert item.status_code == 200
    assert 'id="respond-heading"' not in item.text
    form = {"csrf": csrf_of(client, "/"), "kind": "planned", "text": "x"}
    response = client.post(f"/vendor/pain-points/{ids['a']}/responses", data=form)
    assert response.status_code == 403
    assert read(client, find_pain_point, ids["a"].hex)["status"] == "escalated"
