"""Members browse the working groups and ask to join one; the leads decide and the
person is told. A group's roadmap: its escalated pain points by column, with the
vendor's promises (issue 17)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from tests.api.api_world import Actor, World
from tests.api.board_world import move, respond, vendor_representative
from tests.api.test_notifications import kinds, processed


def directory(world: World, actor: Actor) -> dict[str, dict[str, Any]]:
    """The directory as `actor` reads it, by group id."""
    response = world.read("/working-groups", actor)
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()["items"]}


def ask(world: World, actor: Actor, group: UUID) -> dict[str, Any]:
    return world.command("POST", f"/working-groups/{group}/join-requests", actor)


def test_a_member_asks_to_join_the_lead_agrees_and_the_member_is_told(world: World) -> None:
    g1, otto = str(world.group_1), world.outsider
    before = directory(world, otto)
    assert before[g1]["my_status"] == "none"
    assert before[str(world.group_2)]["my_status"] == "member"
    # Otto is no member of G1: its leads' names are not his to see (ids only).
    assert before[g1]["lead_names"] is None
    assert before[g1]["leads"] == [str(world.lead.id)]
    assert before[g1]["join_requests"] is None

    asked = ask(world, otto, world.group_1)
    again = ask(world, otto, world.group_1)

    assert asked["position"] is not None
    assert again["position"] is None  # a pending request: nothing new
    assert directory(world, otto)[g1]["my_status"] == "pending"
    for_lead = directory(world, world.lead)[g1]
    assert for_lead["my_status"] == "lead"
    assert for_lead["join_requests"] == 1
    assert for_lead["lead_names"] == ["Lena"]
    assert directory(world, world.member_a)[g1]["join_requests"] is None  # not a lead
    assert kinds(world, world.lead) == ["join.requested"]
    waiting = world.read(f"/working-groups/{g1}/join-requests", world.lead).json()
    assert waiting == [{"person_id": str(otto.id), "display_name": "Otto"}]

    world.command("POST", f"/working-groups/{g1}/join-requests/{otto.id}/approve", world.lead)

    after = directory(world, otto)[g1]
    assert after["my_status"] == "member"
    assert after["lead_names"] == ["Lena"]
    assert after["members"] == before[g1]["members"] + 1
    assert directory(world, world.lead)[g1]["join_requests"] == 0
    assert kinds(world, otto) == ["join.approved"]
    assert world.read(f"/working-groups/{g1}/ranking", otto).status_code == 200


def test_a_declined_request_is_told_and_may_be_made_again(world: World) -> None:
    g1, otto = world.group_1, world.outsider
    ask(world, otto, g1)
    world.command("POST", f"/working-groups/{g1}/join-requests/{otto.id}/decline", world.lead)
    assert directory(world, otto)[str(g1)]["my_status"] == "none"
    assert kinds(world, otto) == ["join.declined"]
    assert ask(world, otto, g1)["position"] is not None


def test_the_person_who_asked_withdraws_the_request_and_no_one_else_can(world: World) -> None:
    g1, otto = world.group_1, world.outsider
    ask(world, otto, g1)
    path = f"/working-groups/{g1}/join-requests/{otto.id}"

    by_lead = world.call("DELETE", path, world.lead)
    assert by_lead.status_code == 403
    assert by_lead.json()["code"] == "join.own_request_only"
    world.command("DELETE", path, otto)
    again = world.call("DELETE", path, otto)

    assert again.status_code == 409
    assert again.json()["code"] == "join.no_request"
    assert directory(world, otto)[str(g1)]["my_status"] == "none"
    approve = f"/working-groups/{g1}/join-requests/{otto.id}/approve"
    assert world.call("POST", approve, world.lead).status_code == 409


def test_an_ended_membership_and_the_vendor_cannot_ask(world: World) -> None:
    vendor = vendor_representative(world)
    for path in ("/working-groups", f"/working-groups/{world.group_1}"):
        assert world.read(path, vendor).status_code == 404
    refused = world.call("POST", f"/working-groups/{world.group_1}/join-requests", vendor)
    assert refused.status_code == 404
    assert refused.json()["code"] == "working_group.not_found"

    reason = {"reason": "Austritt zum Jahresende"}
    world.command("POST", f"/companies/{world.company_a}/end-membership", world.admin, json=reason)
    ended = world.call("POST", f"/working-groups/{world.group_1}/join-requests", world.outsider)

    assert ended.status_code == 403
    assert ended.json()["code"] == "membership.ended"
    assert directory(world, world.outsider)[str(world.group_1)]["my_status"] == "none"


def test_unknown_or_malformed_groups_answer_404_and_422(world: World) -> None:
    unknown = world.call("POST", f"/working-groups/{UUID(int=5)}/join-requests", world.outsider)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "working_group.not_found"
    malformed = world.call("POST", "/working-groups/not-a-group/join-requests", world.outsider)
    assert malformed.status_code == 422
    assert world.call("GET", "/working-groups/not-a-group/roadmap", world.lead).status_code == 422


def test_the_roadmap_puts_each_escalated_pain_point_in_its_column_with_its_promises(
    world: World,
) -> None:
    vendor = vendor_representative(world)
    escalated = world.submit(world.group_1, world.member_b, "Partnerregistrierung dauert Wochen")
    answered = world.submit(world.group_1, world.member_a, "Lizenzschlüssel kommen zu spät")
    for item in (escalated, answered):
        move(world, item, world.lead, "accepted", "escalated")
    world.command("PUT", f"/pain-points/{answered}/support", world.member_b, 201)
    due = (date.today() + timedelta(days=90)).isoformat()
    promise = {"commitment": "Schlüssel binnen eines Tages", "due_on": due}
    response = respond(world, vendor, answered, **promise)
    processed(world)

    roadmap = world.read(f"/working-groups/{world.group_1}/roadmap", world.member_a)

    assert roadmap.status_code == 200, roadmap.text
    body = roadmap.json()
    columns = {column["status"]: column["items"] for column in body["columns"]}
    assert list(columns) == ["escalated", "presented", "answered", "resolved"]
    assert [card["pain_point_id"] for card in columns["escalated"]] == [str(escalated)]
    [card] = columns["answered"]
    assert card["pain_point_id"] == str(answered)
    assert card["companies"] == 1
    assert card["score_units"] > 0
    assert card["since"] is not None
    assert card["commitments"] == [
        {
            "response_id": str(response),
            "commitment": "Schlüssel binnen eines Tages",
            "due_on": due,
            "state": "open",
        }
    ]
    # the pain point still in triage is not on the roadmap
    listed = {c["pain_point_id"] for cards in columns.values() for c in cards}
    assert str(world.pain_point) not in listed

    settled = {"met": True, "note": "geliefert"}
    world.command("POST", f"/responses/{response}/settle", world.board, json=settled)
    world.command("POST", f"/pain-points/{answered}/status", world.board,
                  json={"status": "resolved", "reason": "erledigt"})  # fmt: skip
    later = world.read(f"/working-groups/{world.group_1}/roadmap", world.board).json()
    columns = {column["status"]: column["items"] for column in later["columns"]}
    assert columns["answered"] == []
    [card] = columns["resolved"]
    assert card["commitments"][0]["state"] == "met"


def test_the_roadmap_is_for_the_groups_members_the_board_and_admins(world: World) -> None:
    vendor = vendor_representative(world)
    path = f"/working-groups/{world.group_1}/roadmap"
    assert world.read(path, world.outsider).status_code == 404
    assert world.read(path, vendor).status_code == 404
    assert world.read(path, world.board).status_code == 200
    assert world.read(path, world.admin).status_code == 200
