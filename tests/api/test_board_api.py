"""Triage, curated lists, meetings and the vendor's side through the JSON API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from tests.api.api_world import PROBLEM, Actor, World
from tests.api.board_world import (
    BoardWorld,
    build_board_world,
    clock_ahead,
    curate,
    move,
    respond,
    schedule,
    signed_in_again,
    today,
)


@pytest.fixture
def board(world: World) -> BoardWorld:
    return build_board_world(world)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def support(world: World, pain_point: UUID, *actors: Actor) -> None:
    for actor in actors:
        world.command("PUT", f"/pain-points/{pain_point}/support", actor, 201)


# -- triage -----------------------------------------------------------------------


def test_lead_triages_a_pain_point_and_members_cannot(world: World) -> None:
    path = f"/pain-points/{world.pain_point}/status"
    accept = {"status": "accepted", "reason": "Betrifft viele"}

    by_member = world.call("POST", path, world.member_a, json=accept)
    by_lead = world.command("POST", path, world.lead, json=accept)
    to_the_vendor = world.call(
        "POST", path, world.lead, json={"status": "presented", "reason": "x"}
    )

    assert problem(by_member, 403)["detail"]
    assert by_lead["position"] is not None
    assert problem(to_the_vendor, 422)["errors"][0]["field"] == "status"
    shown = ok(world.read(f"/pain-points/{world.pain_point}", world.member_a))
    assert shown["status"] == "accepted"
    history = ok(world.read(f"/pain-points/{world.pain_point}/history", world.lead))
    assert history[-1]["kind"] == "status-changed"


def test_a_status_change_needs_a_reason(world: World) -> None:
    response = world.call(
        "POST",
        f"/pain-points/{world.pain_point}/status",
        world.lead,
        json={"status": "accepted", "reason": "  "},
    )

    assert problem(response, 422)["errors"][0]["field"] == "reason"


def test_lead_merges_a_duplicate_and_unmerges_it(world: World) -> None:
    duplicate = world.submit(world.group_1, world.member_b, "Lizenzportal: Laufzeit falsch")
    support(world, world.pain_point, world.member_a)
    support(world, duplicate, world.member_b)
    merge = {"target_id": str(world.pain_point), "reason": "Duplikat"}

    refused = world.call("POST", f"/pain-points/{duplicate}/merge", world.member_b, json=merge)
    world.command("POST", f"/pain-points/{duplicate}/merge", world.lead, json=merge)
    merged = ok(world.read(f"/working-groups/{world.group_1}/ranking", world.member_a))
    world.command("POST", f"/pain-points/{duplicate}/unmerge", world.lead, json={"reason": "nein"})
    apart = ok(world.read(f"/working-groups/{world.group_1}/ranking", world.member_a))

    assert problem(refused, 403)
    assert [(i["pain_point_id"], i["companies"]) for i in merged["items"]] == [
        (str(world.pain_point), 2)
    ]
    assert {i["pain_point_id"]: i["companies"] for i in apart["items"]} == {
        str(world.pain_point): 1,
        str(duplicate): 1,
    }


# -- curated lists ------------------------------------------------------------------


def curated_list(world: World, actor: Actor, edition: int | None = None) -> httpx.Response:
    path = f"/working-groups/{world.group_1}/curated-list"
    return world.read(path if edition is None else f"{path}/editions/{edition}", actor)


def test_curated_list_is_published_edition_by_edition_with_if_match(world: World) -> None:
    second = world.submit(world.group_1, world.member_b, "Rechnungen kommen doppelt")
    support(world, second, world.member_a, world.member_b)
    empty = curated_list(world, world.member_a)
    assert (ok(empty)["edition"], empty.headers["etag"]) == (0, '"0"')

    missing = world.call(
        "PUT",
        f"/working-groups/{world.group_1}/curated-list",
        world.lead,
        json={"items": []},
    )
    first = curate(world, world.lead, world.group_1, [world.pain_point, second], edition=0)
    stale = curate(world, world.lead, world.group_1, [second], edition=0)
    world.position = ok(first)["position"]
    current = curated_list(world, world.member_b)

    assert problem(missing, 428)["title"] == "Precondition required"
    assert (ok(first)["edition"], first.headers["etag"]) == (1, '"1"')
    assert problem(stale, 412)["title"] == "Precondition failed"
    assert (problem(stale, 412)["code"], problem(stale, 412)["params"]) == (
        "curated.stale_edition",
        {"edition": 1, "expected": 0},
    )
    assert current.headers["etag"] == '"1"'
    rows = ok(current)["rows"]
    assert [(r["pain_point_id"], r["community_rank"], r["departs"]) for r in rows] == [
        (str(world.pain_point), 2, False),
        (str(second), 1, False),
    ]
    assert [r["community_rank_when_published"] for r in rows] == [2, 1]

    world.position = ok(curate(world, world.lead, world.group_1, [second], edition=1))["position"]
    latest = ok(curated_list(world, world.member_a))
    past = ok(curated_list(world, world.member_a, edition=1))
    assert (latest["edition"], latest["latest_edition"], len(latest["rows"])) == (2, 2, 1)
    assert (past["edition"], past["latest_edition"], len(past["rows"])) == (1, 2, 2)
    assert problem(curated_list(world, world.member_a, edition=3), 404)


def test_if_match_that_is_no_etag_is_412_and_star_means_current(world: World) -> None:
    path = f"/working-groups/{world.group_1}/curated-list"
    body = {"items": [{"pain_point_id": str(world.pain_point), "rationale": "wichtig"}]}

    none_yet = world.call("PUT", path, world.lead, json=body, headers={"If-Match": "*"})
    garbage = world.call("PUT", path, world.lead, json=body, headers={"If-Match": "W/abc"})
    first = world.call("PUT", path, world.lead, json=body, headers={"If-Match": "0"})
    star = world.call("PUT", path, world.lead, json=body, headers={"If-Match": "*"})

    assert problem(none_yet, 412)
    assert problem(garbage, 412)
    assert ok(first)["edition"] == 1
    assert ok(star)["edition"] == 2


def test_a_lead_cannot_curate_another_groups_list_nor_a_member_their_own(world: World) -> None:
    other = curate(world, world.lead, world.group_2, [], edition=0)
    own = curate(world, world.member_a, world.group_1, [world.pain_point], edition=0)

    # Another group's contents are not visible to a non-member: 404, not 403.
    assert problem(other, 404)["code"] == "working_group.not_found"
    assert problem(own, 403)["code"] == "group.leads_only_curate"


def test_a_row_far_from_its_community_rank_needs_a_rationale(world: World) -> None:
    items = [world.submit(world.group_1, world.member_a, f"Punkt {n}") for n in range(4)]
    support(world, items[0], world.member_a)
    world.read(f"/working-groups/{world.group_1}/ranking", world.member_a)
    rows = [{"pain_point_id": str(item)} for item in [*items[1:], items[0]]]

    response = world.call(
        "PUT",
        f"/working-groups/{world.group_1}/curated-list",
        world.lead,
        json={"items": rows},
        headers={"If-Match": '"0"'},
    )

    assert problem(response, 422)["errors"][0]["field"].endswith("rationale")


def test_every_row_departing_without_a_reason_is_reported_at_once(world: World) -> None:
    items = [world.submit(world.group_1, world.member_a, f"Punkt {n}") for n in range(8)]
    for n, item in enumerate(items):  # Punkt 0 has the most support, Punkt 7 the least
        support(world, item, *[world.member_a, world.member_b, world.lead][: max(0, 3 - n)])
    ranking = ok(world.read(f"/working-groups/{world.group_1}/ranking", world.member_a))
    rank = {UUID(r["pain_point_id"]): r["rank"] for r in ranking["items"]}
    order = list(reversed(items))  # the least supported first: most rows depart
    rows = [{"pain_point_id": str(item)} for item in order]
    rows[0]["rationale"] = "Strategisch wichtig"  # this row is not reported

    response = world.call(
        "PUT",
        f"/working-groups/{world.group_1}/curated-list",
        world.lead,
        json={"items": rows},
        headers={"If-Match": '"0"'},
    )

    body = problem(response, 422)
    departing = [
        (position, rank[item])
        for position, item in enumerate(order, start=1)
        if position > 1 and abs(position - rank[item]) >= 3
    ]
    assert len(departing) >= 2  # the world ranks so that several rows depart
    positions = ", ".join(str(position) for position, _ in departing)
    assert (body["code"], body["params"]) == (
        "curated.reasons_missing",
        {"count": len(departing), "positions": positions},
    )
    assert [(e["field"], e["code"], e["params"]) for e in body["errors"]] == [
        (
            f"items.{position}.rationale",
            "curated.departure_needs_reason",
            {"position": position, "rank": then},
        )
        for position, then in departing
    ]


def test_a_listed_pain_point_that_leaves_the_ranking_departs(board: BoardWorld) -> None:
    board.position = ok(curate(board, board.lead, board.group_1, [board.pain_point], 1))["position"]
    board.command("POST", f"/pain-points/{board.pain_point}/withdraw", board.member_a, json={})

    [row] = ok(curated_list(board, board.member_a))["rows"]

    assert (row["status"], row["community_rank"], row["departs"]) == ("withdrawn", None, True)


# -- meetings ---------------------------------------------------------------------


def test_board_presents_an_agenda_item_and_it_becomes_presented(board: BoardWorld) -> None:
    path = f"/meetings/{board.meeting}/presented"
    body = {"pain_point_id": str(board.escalated)}

    refused = board.call("POST", path, board.lead, json=body)
    not_on_agenda = board.call(
        "POST", path, board.board, json={"pain_point_id": str(board.pain_point)}
    )
    board.command("POST", path, board.board, json=body)
    meeting = ok(board.read(f"/meetings/{board.meeting}", board.board))

    assert problem(refused, 403)
    assert problem(not_on_agenda, 409)
    [item] = meeting["agenda"]
    assert (item["status"], item["presented_at"] is not None) == ("presented", True)
    assert [p["pain_point_id"] for p in meeting["presented"]] == [str(board.escalated)]


def test_agendas_show_only_what_the_caller_may_see(board: BoardWorld) -> None:
    path = f"/meetings/{board.meeting}"
    seen = {
        name: [a["pain_point_id"] for a in ok(board.read(path, actor))["agenda"]]
        for name, actor in [
            ("member", board.member_a),
            ("outsider", board.outsider),
            ("vendor", board.vendor),
        ]
    }
    listed = ok(board.read("/meetings", board.outsider))

    assert seen == {
        "member": [str(board.escalated)],
        "outsider": [],
        "vendor": [str(board.escalated)],
    }
    assert listed["total"] == 1
    assert listed["items"][0]["agenda"] == []


def test_only_escalated_items_go_on_an_agenda(board: BoardWorld) -> None:
    response = board.call(
        "PUT",
        f"/meetings/{board.meeting}/agenda",
        board.board,
        json={"items": [str(board.pain_point)]},
    )

    assert problem(response, 422)["errors"][0]["field"] == "items.1"


def test_the_board_reorders_the_agenda_and_only_the_board(board: BoardWorld) -> None:
    second = board.submit(board.group_1, board.member_b, "Lizenzportal meldet Fehler")
    move(board, second, board.lead, "accepted", "escalated")
    agenda, order = f"/meetings/{board.meeting}/agenda", f"/meetings/{board.meeting}/agenda/order"
    board.command("PUT", agenda, board.board, json={"items": [str(board.escalated), str(second)]})
    swapped = {"items": [str(second), str(board.escalated)]}

    by_lead = board.call("PUT", order, board.lead, json=swapped)
    by_outsider = board.call("PUT", order, board.outsider, json=swapped)
    unknown = board.call("PUT", f"/meetings/{uuid4()}/agenda/order", board.board, json=swapped)
    missing_one = board.call("PUT", order, board.board, json={"items": [str(second)]})
    another = board.call(
        "PUT", order, board.board, json={"items": [str(second), str(board.pain_point)]}
    )
    garbage = board.call("PUT", order, board.board, json={"items": ["eins", "zwei"]})
    done = ok(board.call("PUT", order, board.board, json=swapped))
    board.position = max(board.position, done["position"])
    again = ok(board.call("PUT", order, board.board, json=swapped))
    meeting = ok(board.read(f"/meetings/{board.meeting}", board.board))

    assert problem(by_lead, 403)["code"] == "board.required"
    assert problem(by_outsider, 403)["code"] == "board.required"
    assert problem(unknown, 404)["code"] == "meeting.not_found"
    assert problem(missing_one, 409)["code"] == "agenda.reorder_same_items"
    assert problem(another, 409)["code"] == "agenda.reorder_same_items"
    assert problem(garbage, 422)["errors"][0]["field"].startswith("items")
    assert (done["position"] is None, again["position"] is None) == (False, True)
    assert [(a["position"], a["pain_point_id"]) for a in meeting["agenda"]] == [
        (1, str(second)),
        (2, str(board.escalated)),
    ]


def test_meetings_are_created_once_per_idempotency_key(board: BoardWorld) -> None:
    headers = {"Idempotency-Key": "qb-2026-q3"}
    body = {"name": "QB Q3", "kind": "quality-board", "held_on": "2026-07-01"}

    first = ok(board.call("POST", "/meetings", board.board, json=body, headers=headers), 201)
    again = ok(board.call("POST", "/meetings", board.board, json=body, headers=headers), 201)

    assert first["id"] == again["id"]
    assert again["position"] is None


def test_changes_between_two_moments_show_what_happened(board: BoardWorld) -> None:
    support(board, board.pain_point, board.lead)  # ranks first, ahead of the escalated one
    since = datetime.now(UTC)
    support(board, board.escalated, board.member_a, board.member_b)
    fresh = board.submit(board.group_1, board.member_a, "Support-Hotline nicht erreichbar")
    answer = respond(board, board.vendor, board.escalated, kind="shipped", text="Erledigt.")
    edition = curate(board, board.lead, board.group_1, [board.escalated, board.pain_point], 1)
    board.position = ok(edition)["position"]
    until = datetime.now(UTC)

    body = ok(
        board.read(
            f"/meetings/{board.meeting}/changes",
            board.board,
            since=since.isoformat(),
            until=until.isoformat(),
        )
    )

    assert [n["pain_point_id"] for n in body["new_pain_points"]] == [str(fresh)]
    moves = {m["pain_point_id"]: m for m in body["rank_moves"]}
    escalated = moves[str(board.escalated)]
    assert (escalated["rank_before"], escalated["rank_after"]) == (2, 1)
    assert {c["kind"] for c in escalated["causes"]} == {"companies-gained"}
    assert {c["kind"] for c in moves[str(board.pain_point)]["causes"]} == {"others-moved"}
    assert moves[str(fresh)]["causes"][0]["kind"] == "new"
    assert [r["response_id"] for r in body["vendor_responses"]] == [str(answer)]
    assert [e["edition"] for e in body["curated_editions"]] == [2]
    assert set(body["group_ids"]) == {str(board.group_1), str(board.group_2)}


def test_changes_default_from_the_previous_meeting_and_reject_bad_windows(
    board: BoardWorld,
) -> None:
    path = f"/meetings/{board.meeting}/changes"

    everything = ok(board.read(path, board.member_a))
    naive = board.read(path, board.board, since="2026-01-01T00:00:00")
    backwards = board.read(
        path, board.board, since="2026-02-01T00:00:00Z", until="2026-01-01T00:00:00Z"
    )
    schedule(board, board.board, name="Künftig", held_on="2099-01-01")
    later = schedule(board, board.board, name="Später", held_on="2099-01-02")
    after_it = ok(board.read(f"/meetings/{later}/changes", board.board))
    for_vendor = board.read(path, board.vendor)

    assert datetime.fromisoformat(everything["since"]) == datetime(1970, 1, 1, tzinfo=UTC)
    assert everything["group_ids"] == [str(board.group_1)]
    assert {n["pain_point_id"] for n in everything["new_pain_points"]} == {
        str(board.pain_point),
        str(board.escalated),
    }
    assert problem(naive, 422)["errors"][0]["field"] == "query.since"  # refused by the Moment type
    assert problem(backwards, 422)["errors"][0]["field"] == "since"
    assert after_it["since"] == after_it["until"]  # its previous meeting is yet to come
    assert problem(for_vendor, 403)


# -- the vendor's side ---------------------------------------------------------------


def test_vendor_sees_escalated_items_with_support_in_numbers_only(board: BoardWorld) -> None:
    support(board, board.escalated, board.member_a, board.member_b, board.lead)

    page = ok(board.read("/vendor/pain-points", board.vendor))
    one = board.read(f"/vendor/pain-points/{board.escalated}", board.vendor)

    assert page["total"] == 1
    [item] = page["items"]
    assert item == ok(one)
    assert (item["id"], item["companies"], item["supporters"]) == (str(board.escalated), 2, 3)
    assert (item["group_name"], item["responses"]) == ("G1 Lizenzen", 1)
    assert set(item) == {
        "id", "group_id", "group_name", "title", "description", "tags", "status", "score",
        "score_units", "companies", "supporters", "escalated_at", "responses",
    }  # fmt: skip
    text = one.text + board.read("/vendor/pain-points", board.vendor).text
    for person in (board.member_a, board.member_b, board.lead):
        assert str(person.id) not in text
        assert person.email not in text
    assert "Bernd" not in text
    assert "Alpha" not in text
    assert "Beta" not in text


def test_vendor_gets_404_on_everything_not_escalated(board: BoardWorld) -> None:
    vendor, hidden = board.vendor, board.pain_point
    answer = {"kind": "acknowledged", "text": "Gesehen."}

    statuses = [
        board.read(f"/vendor/pain-points/{hidden}", vendor).status_code,
        board.call("POST", f"/pain-points/{hidden}/responses", vendor, json=answer).status_code,
        board.read(f"/pain-points/{hidden}/responses", vendor).status_code,
        board.read(f"/pain-points/{hidden}", vendor).status_code,
        board.read(f"/pain-points/{hidden}/history", vendor).status_code,
        board.read(f"/pain-points/{board.escalated}/history", vendor).status_code,
        board.read(f"/pain-points/{board.escalated}", vendor).status_code,
    ]

    assert statuses == [404] * 7


def test_members_read_the_vendors_answers_on_their_groups_items(board: BoardWorld) -> None:
    answers = ok(board.read(f"/pain-points/{board.escalated}/responses", board.member_a))
    hidden = board.read(f"/pain-points/{board.escalated}/responses", board.outsider)

    [answer] = answers
    assert (answer["id"], answer["by"], answer["state"]) == (str(board.response), "Vera", "open")
    assert (answer["due_on"], answer["product_group"]) == (
        board.due_on.isoformat(),
        "Partner Center",
    )
    assert problem(hidden, 404)


def test_a_commitment_needs_a_target_date_and_a_known_kind(board: BoardWorld) -> None:
    path = f"/pain-points/{board.escalated}/responses"

    undated = board.call(
        "POST", path, board.vendor, json={"kind": "planned", "text": "t", "commitment": "bald"}
    )
    unknown = board.call("POST", path, board.vendor, json={"kind": "maybe", "text": "t"})

    assert problem(undated, 422)["errors"][0]["field"] == "due_on"
    assert problem(unknown, 422)["errors"][0]["field"] == "kind"


def test_a_promise_for_a_day_that_has_passed_is_refused_one_for_today_is_taken(
    board: BoardWorld,
) -> None:
    path = f"/pain-points/{board.escalated}/responses"
    promise = {"kind": "planned", "text": "Kommt.", "commitment": "Ein Schritt"}
    yesterday, day = today(board) - timedelta(days=1), today(board)

    past = board.call("POST", path, board.vendor, json={**promise, "due_on": str(yesterday)})
    on_the_day = board.call("POST", path, board.vendor, json={**promise, "due_on": str(day)})

    body = problem(past, 422)
    assert body["code"] == "commitment.target_date_past"
    assert body["errors"][0]["field"] == "due_on"
    assert ok(on_the_day, 201)["id"]


def test_an_item_is_presented_only_from_the_meetings_day_on(board: BoardWorld) -> None:
    tomorrow = today(board) + timedelta(days=1)
    meeting = schedule(board, board.board, "Inner Circle", held_on=tomorrow.isoformat())
    on_agenda = {"items": [str(board.escalated)]}
    board.command("PUT", f"/meetings/{meeting}/agenda", board.board, json=on_agenda)
    path, item = f"/meetings/{meeting}/presented", {"pain_point_id": str(board.escalated)}

    early = board.call("POST", path, board.board, json=item)
    clock_ahead(board, timedelta(days=1))
    chair = signed_in_again(board, board.board)
    board.command("POST", path, chair, json=item)

    body = problem(early, 409)
    assert (body["code"], body["params"]) == ("meeting.not_held_yet", {"held_on": str(tomorrow)})
    [shown] = ok(board.read(f"/meetings/{meeting}", chair))["presented"]
    assert shown["pain_point_id"] == str(board.escalated)


def test_promises_are_overdue_only_after_their_day_and_settled_once(board: BoardWorld) -> None:
    day_after = (board.due_on + timedelta(days=1)).isoformat()
    on_the_day = ok(board.read("/promises", board.board, today=board.due_on.isoformat()))
    overdue = ok(board.read("/promises", board.lead, today=day_after))
    refused = board.read("/promises", board.member_a)
    settle = f"/responses/{board.response}/settle"
    too_early = board.call("POST", settle, board.board, json={"met": False})
    clock_ahead(board, board.due_on - today(board) + timedelta(days=1))
    chair = signed_in_again(board, board.board)  # the old session has expired by then
    board.command("POST", settle, chair, json={"met": False, "note": "nicht geliefert"})
    again = board.call("POST", settle, chair, json={"met": True})
    settled = ok(board.read("/promises", chair, today=day_after))

    assert [(p["state"], p["overdue"]) for p in on_the_day["items"]] == [("open", False)]
    assert [(p["state"], p["overdue"]) for p in overdue["items"]] == [("open", True)]
    assert problem(refused, 404)  # the ledger does not exist for a plain member
    assert problem(too_early, 409)["code"] == "commitment.missed_too_early"
    assert problem(again, 409)
    [promise] = settled["items"]
    assert (promise["state"], promise["overdue"], promise["settle_note"]) == (
        "missed",
        False,
        "nicht geliefert",
    )


def test_a_lead_sees_only_the_promises_on_their_groups_items(board: BoardWorld) -> None:
    other_lead = board.person("olga@alpha.example", board.company_a, board.group_2)
    ref = {"person_id": str(other_lead.id)}
    board.command("POST", f"/working-groups/{board.group_2}/leads", board.admin, json=ref)

    theirs = ok(board.read("/promises", other_lead))

    assert theirs["total"] == 0


def test_response_times_run_from_escalation_to_the_first_answer(board: BoardWorld) -> None:
    report = ok(board.read("/reports/response-times", board.board))
    refused = board.read("/reports/response-times", board.lead)

    [item] = report["pain_points"]
    assert item["pain_point_id"] == str(board.escalated)
    assert item["response_seconds"] is not None
    assert item["response_seconds"] >= 0
    assert item["product_group"] == "Partner Center"
    assert {"escalated", "answered"} <= item["seconds_in_status"].keys()
    [group] = report["product_groups"]
    assert (group["product_group"], group["answered"]) == ("Partner Center", 1)
    assert problem(refused, 404)  # the report is the board's


# -- bad input ---------------------------------------------------------------------


def test_garbage_on_the_new_routes_is_a_precise_4xx_never_a_500(
    board: BoardWorld, subtests: pytest.Subtests
) -> None:
    attempts: list[tuple[str, str, Actor, dict[str, Any], int]] = [
        ("POST", f"/pain-points/{board.pain_point}/status", board.lead, {"json": []}, 422),
        ("POST", f"/pain-points/{board.pain_point}/merge", board.lead,
         {"json": {"target_id": 7}}, 422),
        ("POST", f"/pain-points/{board.pain_point}/merge", board.lead,
         {"json": {"target_id": str(uuid4()), "reason": "x"}}, 404),
        ("POST", f"/pain-points/{board.pain_point}/unmerge", board.lead, {"json": {}}, 422),
        ("PUT", f"/working-groups/{board.group_1}/curated-list", board.lead,
         {"json": {"items": [{"pain_point_id": "nope"}]}, "headers": {"If-Match": '"1"'}}, 422),
        ("PUT", f"/working-groups/{board.group_1}/curated-list", board.lead,
         {"json": {"items": [{"pain_point_id": str(uuid4()), "rationale": "r"}]},
          "headers": {"If-Match": '"1"'}}, 422),
        ("PUT", f"/working-groups/{board.group_1}/curated-list", board.lead,
         {"json": {"items": []}, "headers": {"If-Match": "x" * 101}}, 422),
        ("PUT", f"/working-groups/{uuid4()}/curated-list", board.admin,
         {"json": {"items": []}, "headers": {"If-Match": '"0"'}}, 404),
        ("GET", f"/working-groups/{board.group_1}/curated-list/editions/0", board.lead, {}, 422),
        ("GET", f"/working-groups/{uuid4()}/curated-list", board.lead, {}, 404),
        ("POST", "/meetings", board.board,
         {"json": {"name": "QB", "kind": "quality-board", "held_on": "14.03.2026"}}, 422),
        ("POST", "/meetings", board.board,
         {"json": {"name": "Q\x00B", "kind": "quality-board", "held_on": "2026-03-14"}}, 422),
        ("PUT", f"/meetings/{board.meeting}/agenda", board.board, {"json": {"items": "x"}}, 422),
        ("PUT", f"/meetings/{uuid4()}/agenda", board.board, {"json": {"items": []}}, 404),
        ("PUT", f"/meetings/{board.meeting}/agenda/order", board.board,
         {"json": {"items": "x"}}, 422),
        ("PUT", f"/meetings/{board.meeting}/agenda/order", board.board, {"json": []}, 422),
        ("GET", "/meetings/not-a-uuid", board.board, {}, 422),
        ("GET", f"/meetings/{uuid4()}", board.board, {}, 404),
        ("GET", f"/meetings/{uuid4()}/changes", board.board, {}, 404),
        ("GET", f"/meetings/{board.meeting}/changes", board.board,
         {"params": {"since": "gestern"}}, 422),
        ("POST", f"/pain-points/{board.escalated}/responses", board.vendor,
         {"json": {"kind": "planned", "text": "t", "due_on": "bald"}}, 422),
        ("POST", f"/pain-points/{uuid4()}/responses", board.vendor,
         {"json": {"kind": "planned", "text": "t"}}, 404),
        ("GET", f"/pain-points/{uuid4()}/responses", board.board, {}, 404),
        ("POST", f"/responses/{uuid4()}/settle", board.board, {"json": {"met": True}}, 404),
        ("POST", f"/responses/{board.response}/settle", board.board,
         {"json": {"met": "vielleicht"}}, 422),
        ("GET", "/promises", board.board, {"params": {"today": "morgen"}}, 422),
        ("GET", "/vendor/pain-points", board.vendor, {"params": {"limit": 101}}, 422),
        ("GET", f"/vendor/pain-points/{board.group_1}", board.vendor, {}, 404),
    ]  # fmt: skip
    for method, path, actor, request, status in attempts:
        with subtests.test(method=method, path=path, status=status):
            response = board.call(method, path, actor, **request)
            problem(response, status)
