"""The pain point's edit form and the leads' triage inbox with its count in the header."""

from __future__ import annotations

import re
from uuid import UUID

from fastapi.testclient import TestClient

from tests.web.test_triage_pages import csrf_of, sign_in, site

__all__ = ["site"]  # the fixture, shared with the triage pages' tests

Site = tuple[TestClient, dict[str, UUID]]


def badge(html: str) -> str | None:
    """The number beside the header's triage link; None without the link's number."""
    found = re.search(r'data-testid="triage-count">(\d+)<', html)
    return found.group(1) if found else None


def test_the_author_edits_and_the_history_shows_the_change(site: Site) -> None:
    client, ids = site
    sign_in(client, "member@x.example")
    page = f"/pain-points/{ids['a']}"
    html = client.get(page).text
    assert "Edit title, description and tags" in html
    assert "You can edit it until the working group" in html

    form = {"csrf": csrf_of(client, page), "title": "Lizenzportal sehr langsam",
            "description": "Seit März.", "tags": "Portal, lizenzen"}  # fmt: skip
    response = client.post(f"{page}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text

    html = client.get(page).text
    assert '<h1 id="pp-title">Lizenzportal sehr langsam</h1>' in html
    assert "Title changed from “Lizenzportal langsam” to “Lizenzportal sehr langsam”." in html
    assert "The description was changed." in html
    assert "Tags added: lizenzen, portal." in html


def test_a_refused_edit_shows_the_rule_on_the_form(site: Site) -> None:
    client, ids = site
    sign_in(client, "member@x.example")
    page = f"/pain-points/{ids['a']}"
    form = {"csrf": csrf_of(client, page), "title": " ", "description": "", "tags": ""}
    response = client.post(f"{page}/edit", data=form)
    assert response.status_code == 422
    assert 'id="edit-title-error"' in response.text
    assert "Title must not be empty" in response.text


def test_others_neither_see_the_form_nor_may_edit(site: Site) -> None:
    client, ids = site
    sign_in(client, "other@x.example")
    page = f"/pain-points/{ids['a']}"
    assert "Edit title, description and tags" not in client.get(page).text
    form = {"csrf": csrf_of(client, page), "title": "Meins", "description": "", "tags": ""}
    assert client.post(f"{page}/edit", data=form).status_code == 403


def test_the_lead_triages_from_the_inbox_and_the_count_goes_down(site: Site) -> None:
    client, ids = site
    sign_in(client, "lead@x.example")
    inbox = client.get("/triage")
    assert inbox.status_code == 200
    assert badge(inbox.text) == "2"
    assert inbox.text.index(f"/pain-points/{ids['a'].hex}") < inbox.text.index(
        f"/pain-points/{ids['b'].hex}"
    )  # oldest first
    assert "Lizenzen" in inbox.text

    csrf = csrf_of(client, "/triage")
    refused = client.post(f"/triage/{ids['b']}", data={"csrf": csrf, "status": "accepted"})
    assert refused.status_code == 422
    assert f'id="move-{ids["b"].hex}-error"' in refused.text

    form = {"csrf": csrf, "status": "accepted", "reason": "Betrifft viele"}
    moved = client.post(f"/triage/{ids['b']}", data=form, follow_redirects=False)
    assert moved.status_code == 303
    after = client.get(moved.headers["location"])
    assert "The status has been changed." in after.text
    assert badge(after.text) == "1"
    assert f"/pain-points/{ids['b'].hex}" not in after.text
    assert f"/pain-points/{ids['a'].hex}" in after.text
    lead_view = client.get(f"/pain-points/{ids['a']}").text
    assert badge(lead_view) == "1"  # on every page
    assert "As a lead you can edit it as long as it is neither withdrawn nor merged" in lead_view


def test_who_leads_no_group_has_no_inbox_and_no_count(site: Site) -> None:
    client, ids = site
    sign_in(client, "member@x.example")
    home = client.get("/")
    assert 'href="/triage"' not in home.text
    assert client.get("/triage").status_code == 404
    csrf = csrf_of(client, "/")
    form = {"csrf": csrf, "status": "accepted", "reason": "x"}
    assert client.post(f"/triage/{ids['b']}", data=form).status_code == 403
