"""Changing a person's e-mail address: a link to the new address confirms it."""

from __future__ import annotations

import re

import pytest

from service.settings import Settings
from tests.api.accounts_world import PUBLIC, mails_to
from tests.api.api_world import API, PASSWORD, World
from tests.smtp_server import SmtpServer, text_of

LINK = re.compile(rf"{re.escape(PUBLIC)}/email-change/([A-Za-z0-9_-]+)")
NEW = "bernd.neu@beta.example"


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return settings.model_copy(
        update={"smtp_url": smtp.url, "public_url": PUBLIC, "mail_retry_seconds": 0.2}
    )


def token_of(smtp: SmtpServer, address: str) -> str:
    [mail] = mails_to(smtp, address)
    found = LINK.search(text_of(mail))
    assert found, text_of(mail)
    return found.group(1)


def sign_in_status(world: World, email: str) -> int:
    answer = world.client.post(f"{API}/auth/token", data={"username": email, "password": PASSWORD})
    return answer.status_code


def test_the_address_changes_only_when_the_mailed_link_is_confirmed(
    world: World, smtp: SmtpServer
) -> None:
    person = f"/people/{world.member_b.id}"
    world.command("PATCH", person, world.admin, json={"email": NEW})
    token = token_of(smtp, NEW)
    assert world.read(person, world.admin).json()["email"] == world.member_b.email
    assert sign_in_status(world, NEW) == 401

    page = world.client.get(f"/email-change/{token}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert NEW in page.text
    confirmed = world.client.post(f"{API}/email-changes/{token}/confirm")
    assert confirmed.status_code == 204
    assert world.read(person, world.admin).json()["email"] == NEW
    assert sign_in_status(world, NEW) == 200
    assert sign_in_status(world, world.member_b.email) == 401
    again = world.client.post(f"{API}/email-changes/{token}/confirm")
    assert again.status_code == 410
    history = world.read(f"{person}/history", world.admin).json()
    changed = [e for e in history if e["what"] == "EmailChanged"]
    assert changed[0]["details"]["email"] == NEW


def test_an_address_of_another_account_is_refused(world: World) -> None:
    answer = world.call(
        "PATCH", f"/people/{world.member_b.id}", world.admin, json={"email": world.member_a.email}
    )
    assert answer.status_code == 409


def test_an_unknown_link_is_404_and_a_malformed_address_422(world: World) -> None:
    assert world.client.post(f"{API}/email-changes/{'x' * 43}/confirm").status_code == 404
    answer = world.call(
        "PATCH", f"/people/{world.member_b.id}", world.admin, json={"email": "kein-at"}
    )
    assert answer.status_code == 422


def test_the_web_page_confirms_with_a_form(world: World, smtp: SmtpServer) -> None:
    world.command("PATCH", f"/people/{world.member_b.id}", world.admin, json={"email": NEW})
    token = token_of(smtp, NEW)
    page = world.client.get(f"/email-change/{token}")
    form = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert form is not None  # the page's token, masked per response
    done = world.client.post(f"/email-change/{token}", data={"csrf": form[1]})
    assert done.status_code == 200
    assert 'id="email-changed"' in done.text
    assert page.status_code == 200
    assert world.client.get(f"/email-change/{token}").status_code == 410
