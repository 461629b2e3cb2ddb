"""Personal data through the API: a copy, erasure that keeps every number, who sees names,
and comments and evidence as JSON."""

from __future__ import annotations

from uuid import UUID

from projections.catalog import all_views
from projections.runner import Projector
from projections.store import SQLiteViewStore
from service.runtime import Runtime
from tests.api.api_world import API, PASSWORD, World


def test_a_member_copy_holds_their_own_texts_and_nothing_of_others(world: World) -> None:
    on = f"/pain-points/{world.pain_point}"
    world.command("POST", on + "/comments", world.member_a, 201, json={"text": "Annas Text"})
    world.command("POST", on + "/comments", world.member_b, 201, json={"text": "Bernds Text"})
    world.command("PUT", on + "/support", world.member_b, 201)
    world.command("PUT", on + "/support", world.member_a, 201)

    copy = world.read(f"/people/{world.member_a.id}/personal-data", world.member_a)

    assert copy.status_code == 200
    body = copy.json()
    assert body["person"]["email"] == "anna@alpha.example"
    assert [c["text"] for c in body["comments"]] == ["Annas Text"]
    assert [s["pain_point_id"] for s in body["supports"]] == [world.pain_point.hex]
    assert [p["id"] for p in body["pain_points_submitted"]] == [world.pain_point.hex]
    assert "Bernd" not in copy.text
    assert "bernd@" not in copy.text
    assert body["sign_ins"]


def test_erasure_keeps_every_count_and_shows_a_former_member(world: World) -> None:
    on = f"/pain-points/{world.pain_point}"
    world.command("PUT", on + "/support", world.member_b, 201)
    world.command("POST", on + "/comments", world.member_b, 201, json={"text": "Bernds Text"})
    facts = {"affected_customers": 3, "note": "Bernds Notiz", "product_area": "Lizenzen"}
    world.command("POST", on + "/evidence", world.member_b, 201, json=facts)
    before = world.read(on, world.lead).json()

    erased = world.call(
        "POST", f"/people/{world.member_b.id}/erasure", world.admin, json={"reason": "Art. 17"}
    )

    assert erased.status_code == 202
    world.position = erased.json()["position"]
    shown = world.read(f"/people/{world.member_b.id}", world.admin).json()
    assert (shown["erased"], shown["display_name"], shown["email"]) == (True, "former member", "")
    after = world.read(on, world.lead).json()
    assert (after["companies"], after["supporters"], after["score"]) == (
        before["companies"],
        before["supporters"],
        before["score"],
    )
    comments = world.read(on + "/comments", world.lead).json()
    assert [(c["author"], c["text"], c["erased"]) for c in comments] == [
        ("former member", "", True)
    ]
    evidence = world.read(on + "/evidence", world.lead).json()
    assert [(e["note"], e["product_area"], e["affected_customers"]) for e in evidence] == [
        ("", "Lizenzen", 3)
    ]
    supporters = world.read(on + "/supporters", world.lead).json()
    assert [s["name"] for s in supporters] == ["former member"]
    assert world.read("/me", world.member_b).status_code == 401
    again = world.client.post(
        f"{API}/auth/token", data={"username": world.member_b.email, "password": PASSWORD}
    )
    assert again.status_code == 401
    assert world.call("POST", f"/people/{world.admin.id}/erasure", world.admin,
                      json={"reason": "x"}).status_code == 409  # fmt: skip


def test_views_rebuilt_from_the_log_after_erasure_equal_the_scrubbed_views(
    world: World,
) -> None:
    runtime: Runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    if runtime.store.dialect != "sqlite":
        return  # the live views' dump is compared with a scratch SQLite rebuild
    on = f"/pain-points/{world.pain_point}"
    world.command("POST", on + "/comments", world.member_b, 201, json={"text": "Bernds Text"})
    world.command("POST", on + "/evidence", world.member_b, 201, json={"note": "Notiz"})
    world.command("PUT", on + "/support", world.member_b, 201)
    world.command("POST", f"/people/{world.member_b.id}/erasure", world.admin, 202,
                  json={"reason": "Art. 17"})  # fmt: skip
    world.read("/me", world.admin)

    scratch = Projector(
        runtime.app.recorder, runtime.app.mapper, SQLiteViewStore(":memory:"), all_views("sqlite")
    )
    scratch.setup()
    scratch.catch_up()

    assert scratch.dump() == runtime.projector.dump()


def test_a_member_asks_for_erasure_and_the_admin_sees_the_request(world: World) -> None:
    path = f"/people/{world.member_a.id}/erasure-request"

    asked = world.command("POST", path, world.member_a)
    again = world.command("POST", path, world.member_a)

    assert asked["position"] is not None
    assert again["position"] is None
    copy = world.read(f"/people/{world.member_a.id}/personal-data", world.admin).json()
    assert copy["person"]["erasure_requested_at"] is not None


def test_the_email_of_an_erased_person_can_be_registered_again(world: World) -> None:
    world.command("POST", f"/people/{world.member_b.id}/erasure", world.admin, 202,
                  json={"reason": "Art. 17"})  # fmt: skip

    again = world.register(world.member_b.email, world.company_b)

    assert again != world.member_b.id
    shown = world.read(f"/people/{again}", world.admin).json()
    assert (shown["email"], shown["erased"]) == (world.member_b.email, False)


def test_supporter_names_follow_the_groups_setting(world: World) -> None:
    on = f"/pain-points/{world.pain_point}"
    world.command("PUT", on + "/support", world.member_b, 201)

    def names(actor: object) -> list[str | None]:
        return [s["name"] for s in world.read(on + "/supporters", actor).json()]  # type: ignore[arg-type]

    assert names(world.member_a) == [None]
    assert names(world.lead) == ["Bernd"]
    assert names(world.board) == ["Bernd"]

    privacy = f"/working-groups/{world.group_1}/privacy"
    world.command("PUT", privacy, world.lead, json={"supporter_names": "members"})
    assert names(world.member_a) == ["Bernd"]
    refused = world.call("PUT", privacy, world.lead, json={"supporter_names": "everyone"})
    assert refused.status_code == 422


def test_comments_are_edited_by_their_author_and_removed_by_a_lead(world: World) -> None:
    on = f"/pain-points/{world.pain_point}"
    posted = world.command("POST", on + "/comments", world.member_a, 201, json={"text": "Erst"})
    comment = UUID(posted["id"])

    world.command("PATCH", f"/comments/{comment}", world.member_a, json={"text": "Zweit"})
    by_other = world.call("PATCH", f"/comments/{comment}", world.member_b, json={"text": "X"})
    world.command("POST", f"/comments/{comment}/remove", world.lead, json={"reason": "OT"})

    assert by_other.status_code == 403
    (shown,) = world.read(on + "/comments", world.member_a).json()
    assert (shown["text"], shown["removal_reason"]) == ("", "OT")
    assert shown["edited_at"] is not None
