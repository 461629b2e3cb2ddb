"""Password reset by mail, password change, and one's own sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.api.accounts_world import PUBLIC, mails_to, token_in
from tests.api.api_world import API, PASSWORD, PROBLEM, Actor, World, sign_in
from tests.smtp_server import SmtpServer, eventually

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return settings.model_copy(
        update={"smtp_url": smtp.url, "public_url": PUBLIC, "mail_retry_seconds": 0.2}
    )


def ask_for_reset(client: TestClient, email: str) -> Any:
    return client.post(f"{API}/auth/password-reset", json={"email": email})


def reset(client: TestClient, token: str, password: str = NEW_PASSWORD) -> Any:
    return client.post(f"{API}/auth/password-reset/{token}", json={"password": password})


def me(client: TestClient, token: str) -> int:
    return client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"}).status_code


def outbox(world: World) -> Any:
    return world.client.app.state.runtime.outbox  # type: ignore[attr-defined]


def test_a_reset_link_sets_a_new_password_and_ends_every_session(
    world: World, smtp: SmtpServer
) -> None:
    other_session = sign_in(world.client, world.member_a.email)

    asked = ask_for_reset(world.client, world.member_a.email)
    [mail] = mails_to(smtp, world.member_a.email)
    done = reset(world.client, token_in(mail))

    assert asked.status_code == 202
    assert mail["Subject"] == "Neues Passwort für Sprachrohr"
    assert f"{PUBLIC}/password-reset/" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert done.status_code == 204
    assert me(world.client, world.member_a.token) == 401
    assert me(world.client, other_session) == 401
    assert sign_in(world.client, world.member_a.email, NEW_PASSWORD)
    wrong = world.client.post(
        f"{API}/auth/token", data={"username": world.member_a.email, "password": PASSWORD}
    )
    assert wrong.status_code == 401


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    world: World, smtp: SmtpServer
) -> None:
    known = ask_for_reset(world.client, world.member_a.email)
    unknown = ask_for_reset(world.client, "niemand@nirgends.example")

    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert known.headers.keys() == unknown.headers.keys()
    mails_to(smtp, world.member_a.email)
    assert len(outbox(world).all()) == 1  # the known address's mail, none for the unknown
    assert all(m["To"] != "niemand@nirgends.example" for m in smtp.inbox.mails)


def test_a_reset_link_works_once(world: World, smtp: SmtpServer) -> None:
    ask_for_reset(world.client, world.member_a.email)
    token = token_in(mails_to(smtp, world.member_a.email)[0])
    reset(world.client, token)

    again = reset(world.client, token, "yet another passphrase")

    assert again.status_code == 410
    assert again.headers["content-type"] == PROBLEM


def test_a_reset_link_expires_after_an_hour(world: World, smtp: SmtpServer) -> None:
    ask_for_reset(world.client, world.member_a.email)
    token = token_in(mails_to(smtp, world.member_a.email)[0])
    app = world.client.app.state.runtime.app  # type: ignore[attr-defined]
    start = app.clock()
    app.clock = lambda: start + timedelta(hours=1, seconds=1)

    assert reset(world.client, token).status_code == 410


def test_an_unknown_reset_link_is_not_found_and_a_weak_password_is_422(
    world: World, smtp: SmtpServer
) -> None:
    ask_for_reset(world.client, world.member_a.email)
    token = token_in(mails_to(smtp, world.member_a.email)[0])

    assert reset(world.client, "no-such-token").status_code == 404
    weak = reset(world.client, token, "password123")
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "password"
    assert reset(world.client, token).status_code == 204


def test_the_reset_mail_keeps_no_link_once_sent(world: World, smtp: SmtpServer) -> None:
    ask_for_reset(world.client, world.member_a.email)
    token = token_in(mails_to(smtp, world.member_a.email)[0])

    assert eventually(lambda: outbox(world).all()[0].status == "sent")
    assert token not in str(outbox(world).all()[0].payload)


def change(world: World, actor: Actor, current: str, new: str) -> Any:
    body = {"current_password": current, "new_password": new}
    return world.call("PUT", "/me/password", actor, json=body)


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(world: World) -> None:
    elsewhere = sign_in(world.client, world.member_a.email)

    changed = change(world, world.member_a, PASSWORD, NEW_PASSWORD)

    assert changed.status_code == 204
    assert me(world.client, world.member_a.token) == 200
    assert me(world.client, elsewhere) == 401
    assert sign_in(world.client, world.member_a.email, NEW_PASSWORD)


def test_a_wrong_current_password_is_422_naming_the_field(world: World) -> None:
    response = change(world, world.member_a, "not my password", NEW_PASSWORD)

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "current_password"
    assert error["code"] == "password.current_wrong"


def test_a_common_new_password_is_422_naming_the_field(world: World) -> None:
    response = change(world, world.member_a, PASSWORD, "1q2w3e4r5t")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "new_password"


def test_i_see_my_sessions_and_end_one(world: World) -> None:
    elsewhere = sign_in(world.client, world.member_a.email)
    position = world.call("GET", "/me/sessions", world.member_a)  # warm
    assert position.status_code == 200

    def listed() -> list[dict[str, Any]]:
        body: list[dict[str, Any]] = world.call("GET", "/me/sessions", world.member_a).json()
        return body

    assert eventually(lambda: len(listed()) == 2)
    [current] = [s for s in listed() if s["current"]]
    [other] = [s for s in listed() if not s["current"]]
    ended = world.call("DELETE", f"/me/sessions/{other['id']}", world.member_a)

    assert ended.status_code == 204
    assert me(world.client, elsewhere) == 401
    assert me(world.client, world.member_a.token) == 200
    assert eventually(lambda: [s["id"] for s in listed()] == [current["id"]])


def test_nobody_ends_someone_elses_session(world: World) -> None:
    sessions = world.call("GET", "/me/sessions", world.member_b).json()
    assert eventually(lambda: len(world.call("GET", "/me/sessions", world.member_b).json()) == 1)
    theirs = world.call("GET", "/me/sessions", world.member_b).json()[0]["id"]

    response = world.call("DELETE", f"/me/sessions/{theirs}", world.member_a)

    assert response.status_code == 404
    assert me(world.client, world.member_b.token) == 200
    assert isinstance(sessions, list)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"current_password", "new_password"}),
        ({"current_password": PASSWORD}, {"new_password"}),
        ({"current_password": 1, "new_password": ["x"]}, {"current_password", "new_password"}),
        ({"current_password": PASSWORD, "new_password": "x" * 257}, {"new_password"}),
        ({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "extra": 1}, {"extra"}),
    ],
)
def test_a_bad_password_change_body_is_422_naming_the_fields(
    world: World, body: dict[str, Any], fields: set[str]
) -> None:
    response = world.call("PUT", "/me/password", world.member_a, json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert {e["field"] for e in response.json()["errors"]} == fields


def test_a_session_id_that_is_not_a_uuid_is_422(world: World) -> None:
    response = world.call("DELETE", "/me/sessions/not-a-uuid", world.member_a)

    assert response.status_code == 422


def test_an_admin_cannot_give_a_new_person_a_common_password(world: World) -> None:
    person = {"email": "neu@alpha.example", "display_name": "Neu",
              "company_id": str(world.company_a), "password": "qwertyuiop123"}  # fmt: skip

    response = world.call("POST", "/people", world.admin, json=person)

    assert response.status_code == 422
    assert response.json()["code"] == "password.common"


def test_a_flood_of_reset_requests_for_one_address_sends_one_mail(
    world: World, smtp: SmtpServer
) -> None:
    answers = {ask_for_reset(world.client, world.member_a.email).status_code for _ in range(5)}
    token = token_in(mails_to(smtp, world.member_a.email)[0])

    assert answers == {202}
    assert len(outbox(world).all()) == 1
    assert reset(world.client, token).status_code == 204
