"""Voting rules over HTTP: budgets refuse the vote too many, rounds freeze results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.api_world import PROBLEM, World


def test_a_budget_refuses_one_vote_too_many_with_a_clear_problem(world: World) -> None:
    group = f"/working-groups/{world.group_1}"
    rules = {"vote_budget": 1, "rounds": False, "reason": "Punktabstimmung"}
    world.command("PUT", f"{group}/voting", world.lead, json=rules)
    second = world.submit(world.group_1, world.member_b, "Zweiter Punkt")
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_a, 201)

    refused = world.call("PUT", f"/pain-points/{second}/support", world.member_a)

    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    assert "used all 1 votes" in refused.json()["detail"]
    voting = world.read(f"{group}/voting", world.member_a).json()
    assert voting["my_votes"] == {"budget": 1, "used": 1, "left": 0, "round": None}
    assert voting["in_force"]["vote_budget"] == 1
    world.command("DELETE", f"/pain-points/{world.pain_point}/support", world.member_a)
    world.command("PUT", f"/pain-points/{second}/support", world.member_a, 201)


def test_a_closed_rounds_result_never_changes(world: World) -> None:
    group = f"/working-groups/{world.group_1}"
    rounds = {"vote_budget": None, "rounds": True, "reason": "Abstimmung in Runden"}
    world.command("PUT", f"{group}/voting", world.lead, json=rounds)
    world.command("POST", f"{group}/rounds", world.lead, json={"title": "Frühjahr"})
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_a, 201)
    while_open = world.read(f"{group}/rounds/1", world.member_a).json()
    assert while_open["closed_at"] is None
    assert [item["supporters"] for item in while_open["result"]] == [1]
    world.command("POST", f"{group}/rounds/current/close", world.lead)
    closed = world.read(f"{group}/rounds/1", world.member_a).json()

    # After the close: new rules, new votes, a duplicate merged in, a new round.
    budget = {"vote_budget": 2, "rounds": True, "reason": "knapper"}
    world.command("PUT", f"{group}/voting", world.lead, json=budget)
    world.command("PUT", f"/pain-points/{world.pain_point}/support", world.member_b, 201)
    duplicate = world.submit(world.group_1, world.member_b, "Dasselbe nochmal")
    world.command("PUT", f"/pain-points/{duplicate}/support", world.lead, 201)
    merge = {"target_id": str(world.pain_point), "reason": "Duplikat"}
    world.command("POST", f"/pain-points/{duplicate}/merge", world.lead, json=merge)
    world.command("POST", f"{group}/rounds", world.lead, json={"title": "Herbst"})

    assert world.read(f"{group}/rounds/1", world.member_a).json() == closed
    assert closed["result"][0]["supporters"] == 1
    live = world.read(f"{group}/rounds/2", world.member_a).json()
    assert live["result"][0]["supporters"] == 3  # votes after the close count for round 2
    voting = world.read(f"{group}/voting", world.member_a).json()
    assert [r["number"] for r in voting["rounds"]] == [2, 1]
    assert [v["version"] for v in voting["versions"]] == [1, 2]


def test_rules_as_of_a_past_moment_show_what_was_in_force_then(world: World) -> None:
    group = f"/working-groups/{world.group_1}"
    before = datetime.now(UTC)
    world.command(
        "PUT", f"{group}/voting", world.lead, json={"vote_budget": 4, "reason": "vier Punkte"}
    )
    then = world.read(f"{group}/voting", world.member_a, as_of=before.isoformat()).json()
    now = world.read(f"{group}/voting", world.member_a).json()

    assert (then["in_force"]["version"], then["versions"], then["my_votes"]) == (0, [], None)
    assert now["in_force"]["vote_budget"] == 4


def test_bad_rules_are_refused_and_change_nothing(world: World) -> None:
    group = f"/working-groups/{world.group_1}"
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for body in (
        {"vote_budget": 0, "reason": "null"},
        {"vote_budget": 51, "reason": "zu viel"},
        {"vote_budget": "drei", "reason": "Text"},
        {"vote_budget": 3},
        {"vote_budget": 3, "reason": "rückwirkend", "effective_from": past},
        {"vote_budget": 3, "reason": "ohne Zone", "effective_from": "2030-01-01T00:00:00"},
    ):
        response = world.call("PUT", f"{group}/voting", world.lead, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == PROBLEM
    assert world.read(f"{group}/voting", world.lead).json()["versions"] == []
    not_open = world.call("POST", f"{group}/rounds", world.lead, json={"title": "x"})
    assert not_open.status_code == 409
    missing = world.read(f"{group}/rounds/7", world.lead)
    assert missing.status_code == 404
