"""Personal data on the web: my profile (download, ask for erasure), the admin confirms,
the group's privacy setting decides whether members see supporters' names."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from service.settings import Settings
from tests.web.test_admin_pages import (
    PASSWORD,
    AdminWorld,
    _populate,
    as_admin,
    follow,
    post,
    sign_in,
)


@pytest.fixture
def world(settings: Settings) -> Iterator[AdminWorld]:
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        yield _populate(client, client.app.state.runtime)  # type: ignore[attr-defined]


def test_a_member_downloads_their_data_and_asks_for_erasure(world: AdminWorld) -> None:
    csrf = sign_in(world.client, "member@alpha.example", PASSWORD)

    page = world.client.get("/profile")
    download = world.client.get("/profile/personal-data.json")
    asked = post(world, "/profile/erasure-request", csrf)

    assert page.status_code == 200
    assert "member@alpha.example" in page.text
    assert "attachment" in download.headers["content-disposition"]
    assert json.loads(download.text)["person"]["email"] == "member@alpha.example"
    assert asked.status_code == 303
    assert "You asked for erasure" in world.client.get(asked.headers["location"]).text


def test_the_admin_confirms_an_erasure_and_the_person_becomes_a_former_member(
    world: AdminWorld,
) -> None:
    csrf = as_admin(world)

    erased = post(world, f"/admin/people/{world.member.hex}/erase", csrf, reason="Art. 17")

    text = follow(world, erased, "erased")
    assert "former member" in text
    assert "member@alpha.example" not in text
    german = world.client.get(
        f"/admin/people/{world.member.hex}", headers={"Accept-Language": "de"}
    )
    assert "ehemaliges Mitglied" in german.text or "former member" in german.text


def test_members_see_supporters_names_only_when_the_group_allows_it(
    world: AdminWorld,
) -> None:
    app = world.runtime.app
    other = app.register_person("kollegin@alpha.example", "Kollegin", world.company, "h",
                                by=world.admin).id  # fmt: skip
    app.enrol(world.group, other, by=world.admin)
    pain_point = app.submit_pain_point(
        world.group, "Lizenzportal zählt falsch", "Restlaufzeiten stimmen nicht", [], by=world.lead
    ).id
    app.give_support(pain_point, by=other)
    world.runtime.projector.catch_up()

    sign_in(world.client, "member@alpha.example", PASSWORD)
    hidden = world.client.get(f"/pain-points/{pain_point.hex}").text
    lead_csrf = sign_in(world.client, "lead@alpha.example", PASSWORD)
    shown_to_lead = world.client.get(f"/pain-points/{pain_point.hex}").text
    saved = post(world, f"/groups/{world.group.hex}/privacy", lead_csrf, supporter_names="members")
    sign_in(world.client, "member@alpha.example", PASSWORD)
    shown = world.client.get(f"/pain-points/{pain_point.hex}").text

    assert "Kollegin (Alpha Systemhaus GmbH)" not in hidden
    assert "Supported by: Alpha Systemhaus GmbH" in hidden
    assert "Kollegin (Alpha Systemhaus GmbH)" in shown_to_lead
    assert saved.status_code == 303
    assert "Kollegin (Alpha Systemhaus GmbH)" in shown
