"""Poison input: values that, once accepted, broke pages for good. One definition of a
business day, a moment and an integer range (domain/moments.py) refuses them at the
door (422 naming the field), and what an older log already holds is still shown."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from domain.workinggroup import WorkingGroup
from tests.api.api_world import PROBLEM, World
from tests.api.board_world import schedule

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def refused(response: object, field: str) -> None:
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    fields = [e["field"] for e in response.json()["errors"]]  # type: ignore[attr-defined]
    assert any(field in f for f in fields), fields


@pytest.mark.parametrize(
    "effective_from",
    [
        "9999-12-31T23:59:59-14:00",
        "2100-12-31T23:59:59-14:00",  # 2101-01-01 in UTC
        "1999-12-31T23:59:59Z",
        "2030-01-01T00:00:00",  # no time zone
        1893456000,  # a Unix time is not a moment
        "1893456000",
    ],
)
def test_voting_rules_refuse_a_moment_outside_the_business_range(
    world: World, effective_from: object
) -> None:
    group = f"/working-groups/{world.group_1}/voting"
    body = {"rounds": False, "reason": "Punktabstimmung", "effective_from": effective_from}

    refused(world.call("PUT", group, world.lead, json=body), "effective_from")

    assert world.read(group, world.member_a).status_code == 200


def test_voting_rules_accept_the_last_moment_of_the_range(world: World) -> None:
    group = f"/working-groups/{world.group_1}/voting"
    body = {"rounds": False, "reason": "Weit voraus", "effective_from": "2100-12-31T23:59:59Z"}
    world.command("PUT", group, world.lead, json=body)

    voting = world.read(group, world.member_a)

    assert voting.status_code == 200
    assert voting.json()["versions"][-1]["effective_from"].startswith("2100-12-31T23:59:59")


@pytest.mark.parametrize("held_on", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_a_meeting_day_outside_the_business_range_is_refused(world: World, held_on: str) -> None:
    body = {"name": "Quality Board", "kind": "quality-board", "held_on": held_on}

    refused(world.call("POST", "/meetings", world.board, json=body), "held_on")


def test_a_promise_due_outside_the_business_range_is_refused(world: World) -> None:
    from tests.api.board_world import move, vendor_representative

    vendor = vendor_representative(world)
    move(world, world.pain_point, world.lead, "accepted", "escalated")
    body = {"kind": "planned", "text": "Bald.", "commitment": "Fix", "due_on": "0001-01-01"}

    answer = world.call("POST", f"/pain-points/{world.pain_point}/responses", vendor, json=body)

    refused(answer, "due_on")


@pytest.mark.parametrize("until", ["9999-12-31", "9999-12-31T23:59:59Z", "0.5", "1e308"])
def test_a_meetings_changes_refuse_a_moment_outside_the_range(world: World, until: str) -> None:
    meeting = schedule(world, world.board)

    answer = world.read(f"/meetings/{meeting}/changes", world.board, until=until)

    refused(answer, "until")


@pytest.mark.parametrize("as_of", ["0.5", "1700000000", "9999-12-31T00:00:00Z", "2020-01-01"])
def test_a_ranking_as_of_takes_only_moments(world: World, as_of: str) -> None:
    answer = world.read(f"/working-groups/{world.group_1}/ranking", world.member_a, as_of=as_of)

    refused(answer, "as_of")


@pytest.mark.parametrize("number", ["9223372036854775808", "0", "-1", "1000001"])
def test_a_round_number_out_of_range_is_refused_not_a_server_error(
    world: World, number: str
) -> None:
    answer = world.read(f"/working-groups/{world.group_1}/rounds/{number}", world.member_a)

    refused(answer, "number")


def test_a_position_beyond_64_bits_is_refused(world: World) -> None:
    path = f"/api/v1/working-groups/{world.group_1}/ranking"
    params = {"min_position": str(2**63)}

    refused(world.client.get(path, params=params, headers=world.member_a.auth), "min_position")


def test_a_position_not_yet_written_asks_to_retry(world: World) -> None:
    path = f"/api/v1/working-groups/{world.group_1}/ranking"
    params = {"min_position": str(2**63 - 1)}

    answer = world.client.get(path, params=params, headers=world.member_a.auth)

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"


def test_a_moment_an_older_log_holds_past_the_range_is_still_shown(world: World) -> None:
    """A log written before the rule may hold a moment no datetime can hold in UTC:
    the voting page and the API show it (as the nearest they can) instead of failing."""
    runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    app = runtime.app
    group = app.load(WorkingGroup, world.group_1, "working group")
    far = datetime.fromisoformat("9999-12-31T23:59:59-14:00")
    group._change_rules(
        version=1, vote_budget=None, rounds=False, effective_from=far, reason="alt",
        by=world.lead.id, timestamp=datetime.now(UTC),
    )  # fmt: skip
    position = app.save(group)[-1].notification.id
    runtime.news.announce()

    answer = world.client.get(
        f"/api/v1/working-groups/{world.group_1}/voting",
        params={"min_position": position},
        headers=world.member_a.auth,
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["versions"][-1]["effective_from"].startswith("9999-12-31")
    web_sign_in(world.client, world.member_a.email)
    assert world.client.get(f"/groups/{world.group_1}/voting").status_code == 200


def web_sign_in(client: TestClient, email: str) -> None:
    from tests.api.api_world import PASSWORD

    client.cookies.clear()
    csrf = CSRF.search(client.get("/login").text)
    assert csrf is not None
    data = {"email": email, "password": PASSWORD, "csrf": csrf.group(1), "next": "/"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("until", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_the_meeting_page_refuses_a_day_outside_the_range_without_failing(
    world: World, until: str
) -> None:
    meeting = schedule(world, world.board)
    web_sign_in(world.client, world.board.email)

    page = world.client.get(f"/board/meetings/{meeting}", params={"until": until})

    assert page.status_code == 422, page.text[:500]
    assert "2026-03-14" in page.text  # the field's hint


def test_the_voting_round_page_refuses_a_number_beyond_64_bits(world: World) -> None:
    web_sign_in(world.client, world.member_a.email)

    page = world.client.get(f"/groups/{world.group_1}/rounds/{2**63}")

    assert page.status_code == 422
