"""The admin's import page: upload → the dry run's report → apply; the template; German."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from service.settings import Settings
from tests.web.test_admin_pages import PASSWORD, AdminWorld, _populate, as_admin, sign_in

DATA = Path(__file__).resolve().parents[1] / "service" / "data"
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def admin_world(settings: Settings) -> Iterator[AdminWorld]:
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        yield _populate(client, client.app.state.runtime)  # type: ignore[attr-defined]


def upload(world: AdminWorld, csrf: str, folder: str, language: str = "en") -> tuple[int, str]:
    files = [
        ("files", (p.name, p.read_bytes(), "text/csv"))
        for p in sorted((DATA / folder).glob("*.csv"))
    ]
    response = world.client.post(
        "/admin/import/check", data={"csrf": csrf}, files=files,
        headers={"Accept-Language": language},
    )  # fmt: skip
    return response.status_code, response.text


def test_an_admin_checks_then_applies_an_import(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    before = admin_world.count("v_pain_points")
    status, page = upload(admin_world, csrf, "good")
    assert status == 200
    assert "Every row passes: 11 new, 0 already there" in page
    assert admin_world.count("v_pain_points") == before  # a dry run writes nothing
    token = TOKEN.search(page)
    assert token is not None
    applied = admin_world.client.post(
        "/admin/import/apply", data={"csrf": csrf, "token": token.group(1)}, follow_redirects=False
    )
    assert applied.status_code == 303
    done = admin_world.client.get(applied.headers["location"]).text
    assert "Imported: 21 events were written." in done
    assert admin_world.count("v_pain_points") == before + 2
    mailed = [m.id for m in admin_world.runtime.outbox.all()]  # recipients go once sent
    assert sum(m.startswith("password-reset-") for m in mailed) == 1  # bert's row: invite
    again = admin_world.client.post(
        "/admin/import/apply", data={"csrf": csrf, "token": token.group(1)}
    )
    assert again.status_code == 409  # a token is used once


def test_a_failing_file_gets_a_german_report_and_no_apply_button(admin_world: AdminWorld) -> None:
    csrf = as_admin(admin_world)
    status, page = upload(admin_world, csrf, "bad", language="de")
    assert status == 422
    assert "20 Zeilen sind fehlerhaft; nichts wird geschrieben." in page
    assert "das Datum liegt in der Zukunft" in page
    assert "unbekannter Arbeitskreis" in page
    assert 'name="token"' not in page


def test_the_template_downloads_and_others_do_not_see_the_page(admin_world: AdminWorld) -> None:
    as_admin(admin_world)
    template = admin_world.client.get("/admin/import/template.xlsx")
    assert template.status_code == 200
    assert template.content.startswith(b"PK")
    sign_in(admin_world.client, "member@alpha.example", PASSWORD)
    assert admin_world.client.get("/admin/import").status_code == 404
    assert admin_world.client.get("/admin/import/template.xlsx").status_code == 404


def test_the_group_page_offers_its_ranking_as_a_file_like_the_api(admin_world: AdminWorld) -> None:
    as_admin(admin_world)
    group = admin_world.group.hex
    page = admin_world.client.get(f"/groups/{group}").text
    assert f"/groups/{group}/ranking/export?format=xlsx" in page
    xlsx = admin_world.client.get(f"/groups/{group}/ranking/export?format=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    csv = admin_world.client.get(f"/groups/{group}/pain-points/export?format=csv&as_of=x")
    assert csv.content.startswith(b"\xef\xbb\xbfTitle,Status")
    assert (
        admin_world.client.get(f"/groups/{group}/ranking/export?as_of=gestern").status_code == 422
    )
    assert admin_world.client.get("/board/promises/export?format=xlsx").status_code == 200
    sign_in(admin_world.client, "member@alpha.example", PASSWORD)
    assert admin_world.client.get("/board/promises/export").status_code == 404
