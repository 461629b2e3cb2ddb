"""People management through the API: rename, move, deactivate, group removal, history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.api_world import PASSWORD, PROBLEM, World


def ranking(world: World, actor: Any) -> dict[str, Any]:
    response = world.read(f"/working-groups/{world.group_1}/ranking", actor)
    assert response.status_code == 200, response.text
    item: dict[str, Any] = response.json()["items"][0]
    return item


def test_rename_shows_in_the_directory_and_the_history(world: World) -> None:
    world.command(
        "PATCH", f"/people/{world.member_b.id}", world.admin, json={"display_name": "Bernd B."}
    )
    person = world.read(f"/people/{world.member_b.id}", world.admin).json()
    assert person["display_name"] == "Bernd B."
    history = world.read(f"/people/{world.member_b.id}/history", world.admin).json()
    assert [e["what"] for e in history][:1] == ["Registered"]
    renamed = [e for e in history if e["what"] == "Renamed"]
    assert renamed[0]["details"]["display_name"] == "Bernd B."
    assert renamed[0]["by"] == str(world.admin.id)
    assert all("password_hash" not in e["details"] for e in history)
    # people see their own history, not others'
    own = world.call("GET", f"/people/{world.member_b.id}/history", world.member_b)
    assert own.status_code == 200
    assert (
        world.call("GET", f"/people/{world.member_b.id}/history", world.member_a).status_code == 404
    )


def test_deactivation_ends_sessions_at_once_and_stops_the_support_counting(world: World) -> None:
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_b, 201)
    before = ranking(world, world.lead)
    world.command("PATCH", f"/people/{world.member_b.id}", world.admin, json={"active": False})
    assert world.call("GET", "/me", world.member_b).status_code == 401
    signed_in = world.client.post(
        "/api/v1/auth/token", data={"username": world.member_b.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 401
    after = ranking(world, world.lead)
    assert after["supporters"] == before["supporters"] - 1
    history = world.read(f"/people/{world.member_b.id}/history", world.admin).json()
    assert "Deactivated" in [e["what"] for e in history]

    world.command("PATCH", f"/people/{world.member_b.id}", world.admin, json={"active": True})
    assert ranking(world, world.lead)["supporters"] == before["supporters"]
    signed_in = world.client.post(
        "/api/v1/auth/token", data={"username": world.member_b.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 200


def test_a_move_counts_the_support_for_the_new_company(world: World) -> None:
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_a, 201)
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_b, 201)
    assert ranking(world, world.lead)["companies"] == 2
    world.command(
        "PATCH",
        f"/people/{world.member_a.id}",
        world.admin,
        json={"company_id": str(world.company_b)},
    )
    moved = ranking(world, world.lead)
    assert (moved["companies"], moved["supporters"]) == (1, 2)
    person = world.read(f"/people/{world.member_a.id}", world.admin).json()
    assert person["company_id"] == str(world.company_b)


def test_a_lead_removes_a_member_but_not_a_lead_and_an_admin_revokes_a_lead(world: World) -> None:
    group = world.group_1
    world.command("DELETE", f"/working-groups/{group}/members/{world.member_b.id}", world.lead)
    me = world.read("/me", world.member_b).json()
    assert me["groups"] == []
    refused = world.call("DELETE", f"/working-groups/{group}/members/{world.lead.id}", world.lead)
    assert refused.status_code == 403
    world.command("DELETE", f"/working-groups/{group}/leads/{world.lead.id}", world.admin)
    me = world.read("/me", world.lead).json()
    assert [(g["id"], g["is_lead"]) for g in me["groups"]] == [(str(group), False)]
    assert (
        world.call("GET", f"/working-groups/{group}/join-requests", world.lead).status_code == 403
    )


def test_an_admin_cannot_deactivate_themselves(world: World) -> None:
    answer = world.call("PATCH", f"/people/{world.admin.id}", world.admin, json={"active": False})
    assert answer.status_code == 409
    assert answer.json()["code"] == "admin.own_deactivation"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"display_name": ""},
        {"display_name": "x" * 500},
        {"company_id": None},
        {"company_id": "not-a-uuid"},
        {"company_id": "00000000-0000-0000-0000-000000000007"},
        {"active": None},
        {"active": "maybe"},
        {"display_name": "Neu", "surprise": 1},
        [],
    ],
)
def test_bad_bodies_are_422(world: World, body: Any) -> None:
    answer = world.call("PATCH", f"/people/{world.member_b.id}", world.admin, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM


def test_an_unknown_person_is_404(world: World) -> None:
    path = "/people/00000000-0000-0000-0000-000000000009"
    assert world.call("PATCH", path, world.admin, json={"active": False}).status_code == 404
    assert world.call("GET", f"{path}/history", world.admin).status_code == 404


def test_a_refused_change_changes_nothing(world: World) -> None:
    """Name and a company that does not exist: 422, and the name stays."""
    body = {"display_name": "Neuer Name", "company_id": "00000000-0000-0000-0000-000000000007"}
    answer = world.call("PATCH", f"/people/{world.member_b.id}", world.admin, json=body)
    assert answer.status_code == 422
    body = {"display_name": "Neuer Name", "email": world.member_a.email}
    answer = world.call("PATCH", f"/people/{world.member_b.id}", world.admin, json=body)
    assert answer.status_code == 409
    person = world.read(f"/people/{world.member_b.id}", world.admin).json()
    assert person["display_name"] != "Neuer Name"
