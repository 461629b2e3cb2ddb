"""Leads triage and merge on a pain point's page; members only see the outcome."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.ids import SYSTEM
from service.application import Sprachrohr
from service.security import hash_password
from service.settings import Settings

PASSWORD = "triage-password"


class Ticking:
    def __init__(self) -> None:
        self.now = datetime(2026, 2, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, UUID]]]:
    settings = Settings(data_dir=tmp_path / "var")
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        app: Sprachrohr = client.app.state.runtime.app  # type: ignore[attr-defined]
        app.clock = Ticking()
        secret = hash_password(PASSWORD)
        group = app.found_group("Lizenzen", "thematic", "", by=SYSTEM).id
        ids = {"group": group}
        for name in ("lead", "member", "other"):
            company = app.admit_company(f"{name} GmbH", by=SYSTEM).id
            ids[name] = app.register_person(
                f"{name}@x.example", name, company, secret, by=SYSTEM
            ).id
            app.enrol(group, ids[name], by=SYSTEM)
        app.appoint_lead(group, ids["lead"], by=SYSTEM)
        ids["a"] = app.submit_pain_point(group, "Lizenzportal langsam", "", [], by=ids["member"]).id
        ids["b"] = app.submit_pain_point(
            group, "Portal für Lizenzen lahm", "", [], by=ids["other"]
        ).id
        app.give_support(ids["a"], by=ids["member"])
        app.give_support(ids["b"], by=ids["other"])
        client.app.state.runtime.projector.catch_up()  # type: ignore[attr-defined]
        yield client, ids


def sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert csrf is not None
    form = {"email": email, "password": PASSWORD, "csrf": csrf.group(1), "next": "/"}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def csrf_of(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_a_lead_accepts_a_pain_point_and_members_see_why(
    site: tuple[TestClient, dict[str, UUID]],
) -> None:
    client, ids = site
    sign_in(client, "lead@x.example")
    page = f"/pain-points/{ids['a']}"
    assert "Change the status" in client.get(page).text
    form = {"csrf": csrf_of(client, page), "status": "accepted", "reason": "Betrifft viele"}
    response = client.post(f"{page}/status", data=form, follow_redirects=False)
    assert response.status_code == 303
    sign_in(client, "member@x.example")
    shown = client.get(page).text
    assert "accepted" in shown
    assert "Betrifft viele" in shown
    assert "Change the status" not in shown


def test_a_status_change_without_reason_is_refused_next_to_the_field(
    site: tuple[TestClient, dict[str, UUID]],
) -> None:
    client, ids = site
    sign_in(client, "lead@x.example")
    page = f"/pain-points/{ids['a']}"
    form = {"csrf": csrf_of(client, page), "status": "accepted", "reason": " "}
    response = client.post(f"{page}/status", data=form)
    assert response.status_code == 422
    assert 'id="status-reason-error"' in response.text


def test_a_member_cannot_change_the_status(site: tuple[TestClient, dict[str, UUID]]) -> None:
    client, ids = site
    sign_in(client, "member@x.example")
    page = f"/pain-points/{ids['a']}"
    form = {"csrf": csrf_of(client, page), "status": "accepted", "reason": "ich will"}
    assert client.post(f"{page}/status", data=form).status_code == 403


def test_merge_and_unmerge_from_the_page(site: tuple[TestClient, dict[str, UUID]]) -> None:
    client, ids = site
    sign_in(client, "lead@x.example")
    source, target = f"/pain-points/{ids['b']}", f"/pain-points/{ids['a']}"
    form = {"csrf": csrf_of(client, source), "target": ids["a"].hex, "reason": "Dasselbe"}
    assert client.post(f"{source}/merge", data=form, follow_redirects=False).status_code == 303
    assert "This pain point was merged into" in client.get(source).text
    target_page = client.get(target).text
    assert "Support carried over from:" in target_page
    assert re.search(r"<strong>2</strong>\s*member companies", target_page)
    form = {"csrf": csrf_of(client, source), "reason": "doch verschieden"}
    assert client.post(f"{source}/unmerge", data=form, follow_redirects=False).status_code == 303
    assert "Support carried over from:" not in client.get(target).text
