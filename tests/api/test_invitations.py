"""Invitations: issued by admins and leads, mailed through the outbox, accepted once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.api.accounts_world import PUBLIC, mails_to, token_in
from tests.api.api_world import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    API,
    PASSWORD,
    PROBLEM,
    Actor,
    World,
    sign_in,
)
from tests.smtp_server import SmtpServer, eventually

NEW = "neu@alpha.example"


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return settings.model_copy(
        update={"smtp_url": smtp.url, "public_url": PUBLIC, "mail_retry_seconds": 0.2}
    )


def invite(world: World, actor: Any = None, **fields: Any) -> Any:
    body = {
        "email": NEW,
        "display_name": "Nora Neu",
        "company_id": str(world.company_a),
        "working_group_ids": [str(world.group_1)],
        **fields,
    }
    answer = world.call("POST", "/invitations", actor or world.admin, json=body)
    if answer.status_code == 201 and answer.json().get("position") is not None:
        world.position = max(world.position, answer.json()["position"])  # later reads see it
    return answer


def accept(client: TestClient, token: str, password: str = PASSWORD) -> Any:
    return client.post(f"{API}/invitations/{token}/accept", json={"password": password})


def later(world: World, delta: timedelta) -> None:
    """Move the application's clock forward."""
    app = world.client.app.state.runtime.app  # type: ignore[attr-defined]
    start = app.clock()
    app.clock = lambda: start + delta


def test_an_invited_person_accepts_signs_in_and_is_in_the_groups(
    world: World, smtp: SmtpServer
) -> None:
    response = invite(world, language="en")

    assert response.status_code == 201, response.text
    body = response.json()
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(expires.tzinfo) <= timedelta(days=7)
    [mail] = mails_to(smtp, NEW)
    assert mail["Subject"] == "Invitation to Sprachrohr (MSPN e.V.)"
    accepted = accept(world.client, token_in(mail))
    assert accepted.status_code == 201, accepted.text
    token = sign_in(world.client, NEW)
    me = world.client.get(
        f"{API}/me",
        headers={"Authorization": f"Bearer {token}"},
        params={"min_position": accepted.json()["position"]},
    ).json()
    assert me["id"] == accepted.json()["person_id"]
    assert [g["id"] for g in me["groups"]] == [str(world.group_1)]
    assert me["company_id"] == str(world.company_a)


def test_the_invitation_mail_is_in_german_by_default(world: World, smtp: SmtpServer) -> None:
    invite(world)

    [mail] = mails_to(smtp, NEW)

    assert mail["Subject"] == "Einladung zu Sprachrohr (MSPN e.V.)"
    assert mail["Message-ID"].endswith("@sprachrohr.test>")


def test_a_used_link_is_gone(world: World, smtp: SmtpServer) -> None:
    invite(world)
    token = token_in(mails_to(smtp, NEW)[0])
    accept(world.client, token)

    again = accept(world.client, token, "another long password")

    assert again.status_code == 410
    assert again.headers["content-type"] == PROBLEM
    assert "accepted" in again.json()["detail"]


def test_a_revoked_invitation_is_gone_and_listed_as_revoked(world: World, smtp: SmtpServer) -> None:
    invitation = invite(world).json()["id"]
    token = token_in(mails_to(smtp, NEW)[0])

    revoked = world.command("DELETE", f"/invitations/{invitation}", world.admin)
    accepted = accept(world.client, token)

    assert revoked["position"] is not None
    assert accepted.status_code == 410
    assert "revoked" in accepted.json()["detail"]
    listed = world.read("/invitations", world.admin).json()
    assert [(i["id"], i["status"]) for i in listed] == [(invitation, "revoked")]


def test_an_invitation_expires_after_seven_days(world: World, smtp: SmtpServer) -> None:
    invitation = invite(world).json()["id"]
    token = token_in(mails_to(smtp, NEW)[0])
    later(world, timedelta(days=7, seconds=1))

    accepted = accept(world.client, token)

    assert accepted.status_code == 410
    assert "expired" in accepted.json()["detail"]
    admin = Actor(world.admin.id, ADMIN_EMAIL, sign_in(world.client, ADMIN_EMAIL, ADMIN_PASSWORD))
    listed = world.read("/invitations", admin, status="expired").json()
    assert [i["id"] for i in listed] == [invitation]


def test_an_unknown_link_is_not_found(world: World) -> None:
    assert accept(world.client, "not-a-token-we-sent").status_code == 404


def test_inviting_an_address_that_has_an_account_is_a_conflict(world: World) -> None:
    response = invite(world, email=world.member_b.email.upper())

    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "email"


def test_a_lead_invites_into_their_group_but_not_into_another(world: World) -> None:
    own = invite(world, world.lead)
    other = invite(
        world, world.lead, email="x@alpha.example", working_group_ids=[str(world.group_2)]
    )
    none = invite(world, world.lead, email="y@alpha.example", working_group_ids=[])
    member = invite(world, world.member_a, email="z@alpha.example")

    assert own.status_code == 201
    assert [other.status_code, none.status_code, member.status_code] == [403, 403, 403]


def test_a_lead_lists_their_own_invitations_and_a_member_none(world: World) -> None:
    by_lead = invite(world, world.lead).json()["id"]
    invite(world, email="admin-invited@alpha.example")

    assert [i["id"] for i in world.read("/invitations", world.lead).json()] == [by_lead]
    assert len(world.read("/invitations", world.admin).json()) == 2
    assert world.read("/invitations", world.member_a).status_code == 403


def test_only_its_issuer_or_an_admin_revokes_an_invitation(world: World) -> None:
    invitation = invite(world).json()["id"]

    by_lead = world.call("DELETE", f"/invitations/{invitation}", world.lead)
    by_admin = world.call("DELETE", f"/invitations/{invitation}", world.admin)

    assert (by_lead.status_code, by_admin.status_code) == (404, 200)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"language": "fr"}, "language"),
        ({"display_name": ""}, "display_name"),
        ({"company_id": "nope"}, "company_id"),
        ({"working_group_ids": ["00000000-0000-0000-0000-000000000009"]}, "working_group_ids"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_invitations_are_422_naming_the_field(
    world: World, fields: dict[str, Any], field: str
) -> None:
    response = invite(world, **fields)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize("password", ["too short", "1234567890", "qwertyuiop", "x" * 257])
def test_a_short_long_or_common_password_is_refused_and_the_link_stays_valid(
    world: World, smtp: SmtpServer, password: str
) -> None:
    invite(world)
    token = token_in(mails_to(smtp, NEW)[0])

    refused = accept(world.client, token, password)

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "password"
    assert accept(world.client, token).status_code == 201


def test_with_smtp_down_the_invitation_is_201_and_the_mail_comes_once_smtp_is_back(
    world: World, smtp: SmtpServer
) -> None:
    smtp.stop()

    response = invite(world)

    assert response.status_code == 201
    outbox = world.client.app.state.runtime.outbox  # type: ignore[attr-defined]
    assert eventually(lambda: outbox.all()[0].attempts >= 1)
    assert smtp.inbox.mails == []
    smtp.start()
    assert len(mails_to(smtp, NEW)) == 1
    assert eventually(lambda: outbox.all()[0].status == "sent")
    eventually(lambda: False, timeout=1)  # the sender keeps running: nothing more arrives
    assert len(smtp.inbox.mails) == 1


def test_erasing_the_person_who_accepted_blanks_the_invitations_copy_of_them(
    world: World, smtp: SmtpServer
) -> None:
    invitation = invite(world).json()["id"]
    accepted = accept(world.client, token_in(mails_to(smtp, NEW)[0])).json()
    erasure = {"reason": "Austritt"}
    erased = world.call(
        "POST", f"/people/{accepted['person_id']}/erasure", world.admin, json=erasure
    )
    world.position = max(world.position, erased.json()["position"])

    [listed] = world.read("/invitations", world.admin).json()

    assert erased.status_code == 202
    assert (listed["id"], listed["status"]) == (invitation, "accepted")
    assert (listed["email"], listed["display_name"]) == ("", "")
