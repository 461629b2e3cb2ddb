"""@mentions in comments through the JSON API: who may be mentioned (the group's
privacy setting), how a mention reads for each reader, the mentioned person's
notification, and erasure."""

from __future__ import annotations

from typing import Any

from tests.api.api_world import Actor, World
from tests.api.board_world import move, vendor_representative
from tests.api.test_notifications import inbox, processed


def mentionable(world: World, actor: Actor, q: str = "") -> list[str]:
    response = world.read(f"/pain-points/{world.pain_point}/mentionable", actor, q=q)
    assert response.status_code == 200, response.text
    return [p["name"] for p in response.json()]


def comment(world: World, actor: Actor, text: str, *mentioned: Actor, status: int = 201) -> Any:
    body = {"text": text, "mentions": [str(a.id) for a in mentioned]}
    response = world.call("POST", f"/pain-points/{world.pain_point}/comments", actor, json=body)
    assert response.status_code == status, response.text
    if status == 201:
        world.position = response.json()["position"]
    return response.json()


def comments(world: World, actor: Actor) -> list[dict[str, Any]]:
    response = world.read(f"/pain-points/{world.pain_point}/comments", actor)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


def test_whom_a_member_may_mention_follows_the_groups_setting(world: World) -> None:
    # "leads" (the default): the group's leads and the pain point's author, not oneself
    assert mentionable(world, world.member_b) == ["Anna", "Lena"]
    assert mentionable(world, world.member_a) == ["Lena"]
    assert mentionable(world, world.lead) == ["Anna", "Bernd"]  # leads see every name
    assert mentionable(world, world.member_b, "len") == ["Lena"]
    assert mentionable(world, world.member_b, "@AN") == ["Anna"]
    privacy = f"/working-groups/{world.group_1}/privacy"
    world.command("PUT", privacy, world.lead, json={"supporter_names": "members"})
    assert mentionable(world, world.member_a) == ["Bernd", "Lena"]


def test_the_lookup_is_hidden_from_outsiders_and_refused_to_the_vendor(world: World) -> None:
    path = f"/pain-points/{world.pain_point}/mentionable"
    assert world.call("GET", path, world.outsider).status_code == 404
    vendor = vendor_representative(world)
    move(world, world.pain_point, world.lead, "accepted", "escalated")
    assert world.call("GET", path, vendor).status_code == 404  # no comments for the vendor
    world.enrol(world.group_1, vendor.id)  # even a vendor who is a member names nobody
    refused = world.call("GET", path, vendor)
    assert refused.status_code == 403
    assert refused.json()["code"] == "comment.mentions_not_for_vendor"
    too_long = world.call("GET", path, world.member_a, params={"q": "x" * 101})
    assert too_long.status_code == 422


def test_a_mention_is_stored_as_an_id_and_read_as_each_reader_may_see_it(world: World) -> None:
    text = "Danke @Bernd, und @Anna bitte prüfen."
    comment(world, world.lead, text, world.member_b, world.member_a)
    runtime = processed(world)
    with runtime.store.reading() as cur:
        cur.execute("SELECT text FROM v_comments")
        (stored,) = cur.fetchone()
    assert "Bernd" not in stored
    assert "Anna" not in stored
    assert f"<@{world.member_b.id.hex}>" in stored
    # the lead and the board see every name; a member under "leads" sees the author's only
    assert comments(world, world.board)[0]["text"] == "Danke @Bernd, und @Anna bitte prüfen."
    as_anna = comments(world, world.member_a)[0]
    assert as_anna["text"] == "Danke @member, und @Anna bitte prüfen."
    assert as_anna["mentions"] == [
        {"id": str(world.member_b.id), "name": None},
        {"id": str(world.member_a.id), "name": "Anna"},
    ]
    assert comments(world, world.member_b)[0]["text"].startswith("Danke @member")


def test_a_mention_outside_the_writers_reach_is_refused(world: World) -> None:
    # Anna may not see Bernd's name under "leads"; Otto is no member of G1
    refused = comment(world, world.member_a, "@Bernd schau mal", world.member_b, status=422)
    assert refused["code"] == "comment.mention_not_allowed"
    assert refused["errors"][0]["field"] == "mentions"
    refused = comment(world, world.lead, "@Otto schau mal", world.outsider, status=422)
    assert refused["code"] == "comment.mention_not_allowed"
    # a listed person must be named in the text
    refused = comment(world, world.lead, "ohne Namen", world.member_b, status=422)
    assert refused["code"] == "comment.mention_not_in_text"
    bogus = world.call(
        "POST", f"/pain-points/{world.pain_point}/comments", world.lead,
        json={"text": "x", "mentions": ["not-an-id"]},
    )  # fmt: skip
    assert bogus.status_code == 422
    assert comments(world, world.lead) == []


def test_the_mentioned_are_told_once_and_the_writer_never(world: World) -> None:
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_b, 201)
    comment(world, world.lead, "@Bernd und @Anna: bitte Zahlen", world.member_b, world.member_a)
    for mentioned in (world.member_a, world.member_b):
        items = inbox(world, mentioned)["items"]
        assert [i["kind"] for i in items] == ["pain_point.mentioned"]
        assert items[0]["link"].startswith(f"/pain-points/{world.pain_point}#comment-")
        assert "Bernd" not in str(items)
    assert inbox(world, world.lead)["items"] == []


def test_a_mentioned_member_who_left_the_group_is_not_told(world: World) -> None:
    comment(world, world.member_b, "@Anna schau", world.member_a)
    # Anna left the group before the processor sent it: she may no longer see the item
    left = f"/working-groups/{world.group_1}/members/{world.member_a.id}"
    world.command("DELETE", left, world.admin)
    assert [i["kind"] for i in inbox(world, world.member_a)["items"]] == []


def test_erasure_takes_the_name_out_of_every_mention(world: World) -> None:
    comment(world, world.lead, "Danke @Bernd", world.member_b)
    erased = world.call(
        "POST", f"/people/{world.member_b.id}/erasure", world.admin, json={"reason": "Art. 17"}
    )
    assert erased.status_code == 202
    world.position = erased.json()["position"]
    shown = comments(world, world.lead)[0]
    assert shown["text"] == "Danke @former member"
    assert shown["mentions"] == [{"id": str(world.member_b.id), "name": None}]
