"""Editing a pain point (PATCH /pain-points/{id}) and the leads' triage inbox (GET /me/triage)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.search_view import matching
from tests.api.api_world import PROBLEM, Actor, World


def edit(world: World, actor: Actor, status: int = 200, **fields: Any) -> dict[str, Any]:
    return world.command("PATCH", f"/pain-points/{world.pain_point}", actor, status, json=fields)


def problem(world: World, actor: Actor, status: int, **fields: Any) -> dict[str, Any]:
    response = world.call("PATCH", f"/pain-points/{world.pain_point}", actor, json=fields)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    return body


def test_the_author_edits_and_details_history_search_and_as_of_follow(world: World) -> None:
    before = world.read(f"/pain-points/{world.pain_point}", world.member_a).json()
    old_title = before["title"]
    moment_before = datetime.now().astimezone().isoformat()

    edit(world, world.member_a, title="Lizenzportal zeigt falsche Laufzeiten",
         tags=["Lizenzen", "portal"])  # fmt: skip

    after = world.read(f"/pain-points/{world.pain_point}", world.member_a).json()
    assert after["title"] == "Lizenzportal zeigt falsche Laufzeiten"
    assert after["description"] == before["description"]
    assert after["tags"] == ["lizenzen", "portal"]
    history = world.read(f"/pain-points/{world.pain_point}/history", world.member_a).json()
    assert history[-1]["kind"] == "edited"
    assert history[-1]["detail"] == {
        "title": {"from": old_title, "to": "Lizenzportal zeigt falsche Laufzeiten"},
        "tags": {"added": ["lizenzen"], "removed": []},
    }
    runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.store.reading() as cur:  # the full-text index has the new words
        assert matching(cur, runtime.store.dialect, "zeigt", [world.group_1.hex], 5) == [
            world.pain_point.hex
        ]
    listed = world.read(f"/working-groups/{world.group_1}/pain-points", world.member_a).json()
    assert [i["title"] for i in listed["items"]] == ["Lizenzportal zeigt falsche Laufzeiten"]
    exported = world.read(f"/working-groups/{world.group_1}/pain-points", world.member_a,
                          format="csv")  # fmt: skip
    assert "Lizenzportal zeigt falsche Laufzeiten" in exported.text
    assert old_title not in exported.text
    ranking = world.read(f"/working-groups/{world.group_1}/ranking", world.member_a).json()
    assert [i["title"] for i in ranking["items"]] == ["Lizenzportal zeigt falsche Laufzeiten"]
    then = world.read(
        f"/working-groups/{world.group_1}/ranking", world.member_a, as_of=moment_before
    ).json()
    assert [i["title"] for i in then["items"]] == [old_title]


def test_an_edit_that_changes_nothing_has_no_position(world: World) -> None:
    title = world.read(f"/pain-points/{world.pain_point}", world.member_a).json()["title"]
    assert edit(world, world.member_a, title=f"  {title} ")["position"] is None
    assert edit(world, world.member_a)["position"] is None  # an empty patch changes nothing
    assert problem(world, world.member_b, 403)["code"] == "pain_point.edit_not_allowed"


def test_others_may_not_edit_and_outsiders_do_not_see_it(world: World) -> None:
    assert problem(world, world.member_b, 403, title="Meins")["code"] == (
        "pain_point.edit_not_allowed"
    )
    problem(world, world.outsider, 404, title="Meins")
    assert problem(world, world.board, 403, title="Meins")["code"] == "pain_point.edit_not_allowed"


def test_after_triage_only_the_leads_edit(world: World) -> None:
    accept = {"status": "accepted", "reason": "klar beschrieben"}
    world.command("POST", f"/pain-points/{world.pain_point}/status", world.lead, json=accept)

    refused = problem(world, world.member_a, 409, title="Noch eine Änderung")
    assert (refused["code"], refused["params"]) == (
        "pain_point.edit_after_triage",
        {"status": "accepted"},
    )
    edit(world, world.lead, description="Betrifft alle Verträge seit März.")
    after = world.read(f"/pain-points/{world.pain_point}", world.member_a).json()
    assert after["description"] == "Betrifft alle Verträge seit März."


def test_edits_are_validated_like_submissions(world: World) -> None:
    too_long = problem(world, world.member_a, 422, title="t" * 201)
    assert too_long["code"] == "text.too_long"
    assert too_long["errors"][0]["field"] == "title"
    assert problem(world, world.member_a, 422, tags=[f"t{n}" for n in range(11)])["code"] == (
        "tags.too_many"
    )
    problem(world, world.member_a, 422, title="   ")
    problem(world, world.member_a, 422, colour="rot")


def test_the_triage_inbox_lists_what_waits_in_the_groups_one_leads(world: World) -> None:
    second = world.submit(world.group_1, world.member_b, "Zweiter Punkt")
    world.submit(world.group_2, world.outsider, "Nicht in Lenas Gruppe")

    inbox = world.read("/me/triage", world.lead)
    assert inbox.status_code == 200, inbox.text
    body = inbox.json()
    assert body["total"] == 2
    assert [i["id"] for i in body["items"]] == [str(world.pain_point), str(second)]
    assert {i["group_name"] for i in body["items"]} == {"G1 Lizenzen"}
    page = world.read("/me/triage", world.lead, limit=1, offset=1).json()
    assert (page["total"], [i["id"] for i in page["items"]]) == (2, [str(second)])

    decline = {"status": "declined", "reason": "doppelt"}
    world.command("POST", f"/pain-points/{second}/status", world.lead, json=decline)
    ask = {"status": "needs-info", "reason": "welche Version?"}
    world.command("POST", f"/pain-points/{world.pain_point}/status", world.lead, json=ask)
    body = world.read("/me/triage", world.lead).json()
    assert [(i["id"], i["status"]) for i in body["items"]] == [
        (str(world.pain_point), "needs-info")
    ]


def test_the_triage_inbox_is_not_there_for_who_leads_no_group(world: World) -> None:
    for actor in (world.member_a, world.board, world.admin):
        response = world.read("/me/triage", actor)
        assert response.status_code == 404, actor.email
