"""Invitations, password reset and change, and sessions, through the web pages.

Without an SMTP server the mails are .eml files in DATA_DIR/outbox/; the links are
read from there, as an operator running `make run` would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from service.runtime import Runtime
from service.settings import Settings
from tests.smtp_server import eventually
from tests.web.test_admin_pages import (
    CSRF,
    PASSWORD,
    AdminWorld,
    _populate,
    as_admin,
    post,
    sign_in,
)


@pytest.fixture
def world(settings: Settings) -> Iterator[AdminWorld]:
    with TestClient(create_app(settings), headers={"Accept-Language": "en"}) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        yield _populate(client, runtime)


LINK = re.compile(r"http://[^/\s]+/(?:invitations|password-reset)/([A-Za-z0-9_-]+)")


def mails(world: AdminWorld) -> list[EmailMessage]:
    folder = Path(world.runtime.settings.data_dir) / "outbox"
    found = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in found]  # type: ignore[misc]


def link_token(world: AdminWorld, to: str) -> str:
    assert eventually(lambda: any(m["To"] == to for m in mails(world)), 20)
    [mail] = [m for m in mails(world) if m["To"] == to]
    body = mail.get_body(("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found is not None
    return found.group(1)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None
    return found.group(1)


def test_an_admin_invites_and_the_invited_person_sets_a_password_and_is_signed_in(
    world: AdminWorld,
) -> None:
    csrf = as_admin(world)
    sent = post(world, "/invitations", csrf, display_name="Nora Neu", email="nora@alpha.example",
                company=str(world.company), groups=str(world.group), language="en")  # fmt: skip
    assert sent.status_code == 303, sent.text
    listed = world.client.get("/invitations").text
    assert "nora@alpha.example" in listed
    assert "pending" in listed

    token = link_token(world, "nora@alpha.example")
    world.client.cookies.clear()
    page = world.client.get(f"/invitations/{token}")
    assert page.status_code == 200
    assert "Welcome, Nora Neu" in page.text
    weak = world.client.post(
        f"/invitations/{token}", data={"csrf": csrf_of(page.text), "password": "1234567890"}
    )
    assert weak.status_code == 422
    assert "too common" in weak.text
    form = {"csrf": csrf_of(weak.text), "password": PASSWORD}
    done = world.client.post(f"/invitations/{token}", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert world.client.get("/account").status_code == 200
    nora = world.runtime.app.find_person_by_email("nora@alpha.example")
    assert nora is not None
    world.runtime.projector.catch_up()
    with world.runtime.store.reading() as cur:
        cur.execute("SELECT group_id FROM v_group_members WHERE person_id = ?", (nora.id.hex,))
        assert [row[0] for row in cur.fetchall()] == [world.group.hex]
    assert world.client.get(f"/invitations/{token}").status_code == 410


def test_the_accept_page_speaks_german(world: AdminWorld) -> None:
    csrf = as_admin(world)
    post(world, "/invitations", csrf, display_name="Nora Neu", email="nora@alpha.example",
         company=str(world.company), groups=str(world.group))  # fmt: skip
    token = link_token(world, "nora@alpha.example")
    world.client.cookies.clear()

    page = world.client.get(f"/invitations/{token}", headers={"Accept-Language": "de"})

    assert "Willkommen, Nora Neu" in page.text
    assert "Passwort festlegen und anmelden" in page.text


def test_a_lead_invites_into_their_group_and_a_member_finds_no_invitations(
    world: AdminWorld,
) -> None:
    csrf = sign_in(world.client, "lead@alpha.example")
    page = world.client.get("/invitations")
    sent = post(world, "/invitations", csrf, display_name="Lea", email="lea@alpha.example",
                company=str(world.company), groups=str(world.group))  # fmt: skip
    refused = post(world, "/invitations", csrf, display_name="Leo", email="leo@alpha.example",
                   company=str(world.company))  # fmt: skip
    sign_in(world.client, "member@alpha.example")

    assert page.status_code == 200
    assert sent.status_code == 303
    assert refused.status_code == 422
    assert world.client.get("/invitations").status_code == 404


def test_forgot_password_mails_a_link_that_sets_a_new_one_and_signs_out_everywhere(
    world: AdminWorld,
) -> None:
    sign_in(world.client, "member@alpha.example")
    old_session = dict(world.client.cookies)
    world.client.cookies.clear()
    form = world.client.get("/password-reset")
    sent = world.client.post(
        "/password-reset", data={"csrf": csrf_of(form.text), "email": "member@alpha.example"}
    )
    assert "If an account exists" in sent.text

    token = link_token(world, "member@alpha.example")
    page = world.client.get(f"/password-reset/{token}")
    form = {"csrf": csrf_of(page.text), "password": "ein ganz neues Passwort"}
    done = world.client.post(f"/password-reset/{token}", data=form, follow_redirects=False)

    assert done.headers["location"] == "/login?done=password-reset"
    assert world.client.get(f"/password-reset/{token}").status_code == 410
    world.client.cookies.clear()
    world.client.cookies.update(old_session)
    assert world.client.get("/account", follow_redirects=False).status_code == 303
    sign_in(world.client, "member@alpha.example", "ein ganz neues Passwort")


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    world: AdminWorld,
) -> None:
    sign_in(world.client, "member@alpha.example")
    other = dict(world.client.cookies)
    csrf = sign_in(world.client, "member@alpha.example")
    sessions = world.client.get("/account").text
    assert sessions.count("Sign out there") == 1

    wrong = post(world, "/account/password", csrf, current_password="nope nope nope",
                 new_password="ein ganz neues Passwort")  # fmt: skip
    changed = post(world, "/account/password", csrf, current_password=PASSWORD,
                   new_password="ein ganz neues Passwort")  # fmt: skip

    assert wrong.status_code == 422
    assert "current password is wrong" in wrong.text
    assert changed.headers["location"] == "/account?done=password-changed"
    assert world.client.get("/account").status_code == 200
    world.client.cookies.clear()
    world.client.cookies.update(other)
    assert world.client.get("/account", follow_redirects=False).status_code == 303
