"""The main flow through the JSON API: sign in, submit, support, read the ranking."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from tests.api.api_world import API, PROBLEM, Actor, World, sign_in


def ranking(world: World, **params: Any) -> dict[str, Any]:
    response = world.read(f"/working-groups/{world.group_1}/ranking", world.member_a, **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def support(world: World, actor: Actor, pain_point: UUID | None = None) -> int:
    """Support a pain point (by default the world's) and answer the status code."""
    path = f"/pain-points/{pain_point or world.pain_point}/support"
    response = world.call("PUT", path, actor)
    body = response.json()
    if body.get("position") is not None:
        world.position = max(world.position, body["position"])
    return response.status_code


def test_signed_in_member_submits_supports_and_sees_it_ranked(client: TestClient) -> None:
    token = client.post(
        f"{API}/auth/token",
        data={"username": "admin@verband.example", "password": "admin-password"},
    ).json()["access_token"]
    admin = {"Authorization": f"Bearer {token}"}
    company = client.post(f"{API}/companies", json={"name": "Alpha GmbH"}, headers=admin).json()
    group = client.post(
        f"{API}/working-groups", json={"name": "Lizenzen", "kind": "thematic"}, headers=admin
    ).json()
    person = {
        "email": "anna@alpha.example",
        "display_name": "Anna Schmidt",
        "company_id": company["id"],
        "password": "a long enough password",
    }
    anna = client.post(f"{API}/people", json=person, headers=admin).json()
    enrolled = client.post(
        f"{API}/working-groups/{group['id']}/members",
        json={"person_id": anna["id"]},
        headers=admin,
    )
    assert enrolled.status_code == 200
    anna_token = sign_in(client, "anna@alpha.example", "a long enough password")
    as_anna = {"Authorization": f"Bearer {anna_token}"}

    submitted = client.post(
        f"{API}/working-groups/{group['id']}/pain-points",
        json={"title": "Lizenzportal ist langsam", "description": "Seit dem Update.", "tags": []},
        headers=as_anna,
    )
    assert submitted.status_code == 201
    pain_point = submitted.json()["id"]
    supported = client.put(f"{API}/pain-points/{pain_point}/support", headers=as_anna)
    assert supported.status_code == 201
    position = supported.json()["position"]
    listed = client.get(
        f"{API}/working-groups/{group['id']}/ranking",
        params={"min_position": position},
        headers=as_anna,
    )

    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["pain_point_id"] == pain_point
    assert (item["rank"], item["companies"], item["supporters"], item["score"]) == (1, 1, 1, 0.5)


def test_support_answers_201_when_new_and_200_when_already_given(world: World) -> None:
    assert support(world, world.member_b) == 201
    assert support(world, world.member_b) == 200

    [item] = ranking(world)["items"]
    assert item["supporters"] == 1


def test_repeated_support_records_no_new_event(world: World) -> None:
    support(world, world.member_b)
    again = world.call("PUT", f"/pain-points/{world.pain_point}/support", world.member_b)

    assert again.json() == {
        "pain_point_id": str(world.pain_point),
        "supported": True,
        "position": None,
    }


def test_support_given_again_after_withdrawal_answers_201(world: World) -> None:
    assert support(world, world.member_b) == 201
    withdrawn = world.call("DELETE", f"/pain-points/{world.pain_point}/support", world.member_b)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["supported"] is False
    world.position = withdrawn.json()["position"]
    assert ranking(world)["items"][0]["supporters"] == 0

    assert support(world, world.member_b) == 201
    assert ranking(world)["items"][0]["supporters"] == 1


def test_withdrawing_support_never_given_is_a_no_op(world: World) -> None:
    response = world.call("DELETE", f"/pain-points/{world.pain_point}/support", world.member_b)

    assert response.status_code == 200
    assert response.json()["position"] is None


def test_ranking_counts_companies_before_people(world: World) -> None:
    second = world.submit(world.group_1, world.member_b, "Rechnungen kommen doppelt")
    for actor in (world.member_a, world.member_b):
        support(world, actor)
    for actor in (world.member_b, world.lead):
        support(world, actor, second)

    items = ranking(world)["items"]

    summary = [(i["pain_point_id"], i["companies"], i["supporters"], i["score"]) for i in items]
    assert summary == [
        (str(world.pain_point), 2, 2, 1.0),
        (str(second), 1, 2, 0.75),
    ]
    assert [i["rank"] for i in items] == [1, 2]


def test_pain_point_shows_its_breadth_and_whether_i_support_it(world: World) -> None:
    support(world, world.member_b)

    mine = world.read(f"/pain-points/{world.pain_point}", world.member_b).json()
    theirs = world.read(f"/pain-points/{world.pain_point}", world.member_a).json()

    assert mine["supported_by_me"] is True
    assert theirs["supported_by_me"] is False
    assert theirs["submitted_for_company"] == str(world.company_a)
    assert (theirs["companies"], theirs["supporters"], theirs["score"]) == (1, 1, 0.5)
    assert theirs["tags"] == ["portal"]


def submitted_at(world: World) -> datetime:
    body = world.read(f"/pain-points/{world.pain_point}", world.member_a).json()
    return datetime.fromisoformat(body["submitted_at"])


def test_ranking_as_of_a_moment_before_the_submission_is_empty(world: World) -> None:
    support(world, world.member_b)
    before = submitted_at(world) - timedelta(microseconds=1)

    past = ranking(world, as_of=before.isoformat())

    assert past["items"] == []
    assert past["total"] == 0
    assert datetime.fromisoformat(past["as_of"]) == before


def test_ranking_as_of_a_moment_shows_the_supports_given_until_then(world: World) -> None:
    just_submitted = submitted_at(world)
    support(world, world.member_b)

    then = ranking(world, as_of=just_submitted.isoformat())["items"]
    now = ranking(world, as_of=datetime.now(just_submitted.tzinfo).isoformat())["items"]

    assert [(i["pain_point_id"], i["supporters"]) for i in then] == [(str(world.pain_point), 0)]
    assert [i["supporters"] for i in now] == [1]


def test_ranking_as_of_without_time_zone_is_rejected(world: World) -> None:
    response = world.read(
        f"/working-groups/{world.group_1}/ranking", world.member_a, as_of="2025-03-14T12:00:00"
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "query.as_of"  # refused by the AsOfQuery type


def test_history_lists_submission_and_supports_with_display_names(world: World) -> None:
    support(world, world.member_b)
    withdrawn = world.call("DELETE", f"/pain-points/{world.pain_point}/support", world.member_b)
    world.position = withdrawn.json()["position"]
    support(world, world.lead)

    response = world.read(f"/pain-points/{world.pain_point}/history", world.lead)
    to_member = world.read(f"/pain-points/{world.pain_point}/history", world.member_a)

    assert response.status_code == 200
    entries = [(e["kind"], e["by"], e["company"]) for e in response.json()]
    assert entries == [
        ("submitted", "Anna", "Alpha Systemhaus GmbH"),
        ("support-given", "Bernd", "Beta IT AG"),
        ("support-withdrawn", "Bernd", None),
        ("support-given", "Lena", "Beta IT AG"),
    ]
    positions = [e["position"] for e in response.json()]
    assert positions == sorted(positions)
    # The group's default privacy setting: members see supporting companies, not people.
    assert [e["by"] for e in to_member.json()][1:] == ["Beta IT AG", "", "Beta IT AG"]


def test_history_pages_with_limit_and_offset(world: World) -> None:
    support(world, world.member_b)
    support(world, world.lead)

    page = world.read(f"/pain-points/{world.pain_point}/history", world.lead, limit=1, offset=1)

    assert [e["by"] for e in page.json()] == ["Bernd"]


def test_signing_out_revokes_the_token(world: World) -> None:
    assert world.call("GET", "/me", world.member_a).status_code == 200

    signed_out = world.call("POST", "/auth/logout", world.member_a)
    after = world.call("GET", "/me", world.member_a)

    assert signed_out.status_code == 204
    assert after.status_code == 401
    assert after.headers["www-authenticate"] == "Bearer"
    assert after.headers["content-type"] == PROBLEM
    assert world.call("GET", "/me", world.member_b).status_code == 200


def test_signing_in_with_a_wrong_password_or_unknown_address_is_401(client: TestClient) -> None:
    for username, password in [
        ("admin@verband.example", "wrong-password"),
        ("nobody@verband.example", "admin-password"),
        ("not an address", "admin-password"),
    ]:
        response = client.post(
            f"{API}/auth/token", data={"username": username, "password": password}
        )
        assert response.status_code == 401, username
        assert response.headers["content-type"] == PROBLEM


def test_signing_in_ignores_the_case_of_the_address(client: TestClient) -> None:
    token = sign_in(client, "Admin@Verband.EXAMPLE", "admin-password")

    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"})

    assert me.json()["email"] == "admin@verband.example"


def test_me_shows_roles_and_groups_with_leadership(world: World) -> None:
    lead = world.read("/me", world.lead).json()
    board = world.read("/me", world.board).json()

    assert [(g["id"], g["is_lead"]) for g in lead["groups"]] == [(str(world.group_1), True)]
    assert lead["company_id"] == str(world.company_b)
    assert board["roles"] == ["board"]
    assert board["company_id"] is None


def test_idempotency_key_makes_a_retried_company_admission_create_one_company(
    world: World,
) -> None:
    key = {"Idempotency-Key": "admit-gamma-1"}

    first = world.call("POST", "/companies", world.admin, json={"name": "Gamma"}, headers=key)
    retry = world.call("POST", "/companies", world.admin, json={"name": "Gamma"}, headers=key)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert first.json()["id"] == retry.json()["id"]
    assert retry.json()["position"] is None
    world.position = first.json()["position"]
    names = [c["name"] for c in world.read("/companies", world.admin).json()["items"]]
    assert names == ["Alpha Systemhaus GmbH", "Beta IT AG", "Gamma"]


def test_same_company_name_without_idempotency_key_is_a_conflict(world: World) -> None:
    response = world.call("POST", "/companies", world.admin, json={"name": "beta it ag "})

    assert response.status_code == 409
    problem = response.json()
    [error] = problem["errors"]
    assert error == {"field": "name", "message": problem["detail"], "code": "key.taken"}
    assert (problem["code"], problem["params"]) == ("key.taken", {"key": "'beta it ag'"})


def test_registering_an_address_already_taken_in_any_case_is_a_conflict(world: World) -> None:
    person = {
        "email": "ANNA@Alpha.example",
        "display_name": "Anna Zwei",
        "company_id": None,
        "password": "a long enough password",
    }

    response = world.call("POST", "/people", world.admin, json=person)

    assert response.status_code == 409
    assert [e["field"] for e in response.json()["errors"]] == ["email"]


def test_idempotency_key_makes_a_retried_submission_create_one_pain_point(world: World) -> None:
    body = {"title": "Hotline nicht erreichbar"}
    key = {"Idempotency-Key": "b1b2c3"}
    path = f"/working-groups/{world.group_1}/pain-points"

    first = world.call("POST", path, world.member_b, json=body, headers=key)
    retry = world.call("POST", path, world.member_b, json=body, headers=key)
    other = world.call("POST", path, world.member_a, json=body, headers=key)

    assert first.json()["id"] == retry.json()["id"]
    assert other.json()["id"] != first.json()["id"]
    world.position = other.json()["position"]
    assert ranking(world)["total"] == 3


def test_companies_and_groups_are_listed_and_shown(world: World) -> None:
    companies = world.read("/companies", world.member_a, limit=1).json()
    company = world.read(f"/companies/{world.company_a}", world.member_a).json()
    groups = world.read("/working-groups", world.member_a).json()
    group = world.read(f"/working-groups/{world.group_1}", world.member_a).json()

    assert (companies["total"], len(companies["items"])) == (2, 1)
    assert (company["name"], company["people"]) == ("Alpha Systemhaus GmbH", 2)
    assert [g["name"] for g in groups["items"]] == ["G1 Lizenzen", "G2 Support"]
    assert group["members"] == 3
    assert group["leads"] == [str(world.lead.id)]


def test_withdrawn_pain_point_can_no_longer_be_supported(world: World) -> None:
    path = f"/pain-points/{world.pain_point}"
    world.command("POST", f"{path}/withdraw", world.member_a, json={"reason": "erledigt"})

    refused = world.call("PUT", f"{path}/support", world.member_b)
    shown = world.read(path, world.member_b).json()

    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    assert shown["status"] == "withdrawn"


def test_ended_membership_stops_the_company_from_submitting(world: World) -> None:
    end = f"/companies/{world.company_a}/end-membership"
    world.command("POST", end, world.admin, json={"reason": "gekündigt"})

    refused = world.call(
        "POST",
        f"/working-groups/{world.group_1}/pain-points",
        world.member_a,
        json={"title": "Noch ein Problem"},
    )
    company = world.read(f"/companies/{world.company_a}", world.admin).json()

    assert refused.status_code == 403
    assert company["membership_ended_at"] is not None


def test_liveness_and_readiness_are_ok(world: World) -> None:
    live = world.call("GET", "/health/live")
    world.read("/me", world.admin)  # the views include every write
    ready = world.call("GET", "/health/ready")

    assert (live.status_code, live.json()["status"]) == (200, "ok")
    assert (ready.status_code, ready.json()["status"]) == (200, "ok")
    assert ready.json()["view_position"] == ready.json()["log_position"]


def test_openapi_document_describes_the_api(client: TestClient) -> None:
    document = client.get(f"{API}/openapi.json").json()

    assert "/api/v1/pain-points/{pain_point_id}/support" in document["paths"]
    assert document["info"]["title"] == "Sprachrohr"
